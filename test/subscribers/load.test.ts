import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isPaperwireError } from '../../src/errors.ts';
import { parseCsv } from '../../src/subscribers/csv.ts';
import { addressProblem, loadSubscribers, normalizeAddress } from '../../src/subscribers/index.ts';
import { linesAt, parseList } from '../../src/subscribers/yaml-list.ts';

import { tempDir } from '../deliver/helpers.ts';

/** The line each list item of `text` starts on. */
const listItemLines = (text: string): number[] => linesAt(text, parseList(text).itemStarts);

const fixtures = fileURLToPath(new URL('../fixtures/subscribers/', import.meta.url));
const fixture = (name: string): string => join(fixtures, name);

test('YAML: addresses alone or with name and topics, normalised, invalid ones reported by line', () => {
  const list = loadSubscribers(fixture('list.yaml'));
  assert.deepEqual(list.subscribers, [
    { email: 'ada@example.org', name: 'Ada Lovelace', topics: ['diffusion', 'quantization'] },
    { email: 'grace@example.org', name: null, topics: [] },
    { email: 'alan@example.org', name: 'Alan', topics: ['reasoning', 'agents'] },
    { email: 'katherine@example.org', name: null, topics: [] },
  ]);
  assert.deepEqual(
    list.invalid.map((entry) => [entry.line, entry.value]),
    [
      [10, 'not-an-address'],
      [12, 'bob@'],
      [15, '{"name":"No Email Here"}'],
    ],
  );
  assert.ok(list.invalid.every((entry) => entry.reason.length > 0));
  assert.equal(list.duplicates, 1, 'ADA@example.org is ada@example.org');
});

test('JSON: the same shapes, with the line of each invalid item', () => {
  const list = loadSubscribers(fixture('list.json'));
  assert.deepEqual(
    list.subscribers.map((s) => s.email),
    ['ada@example.org', 'grace@example.org'],
  );
  assert.deepEqual(list.subscribers[0]?.topics, ['diffusion']);
  assert.deepEqual(
    list.invalid.map((entry) => [entry.line, entry.value]),
    [[5, 'bad address@example.org']],
  );
  assert.equal(list.duplicates, 1);
});

test('CSV as listmonk exports it: CRLF, doubled quotes, multi-line attributes, topics from attributes', () => {
  const list = loadSubscribers(fixture('listmonk.csv'));
  assert.deepEqual(list.subscribers, [
    { email: 'ada@example.org', name: 'Lovelace, Ada', topics: ['diffusion', 'agents'] },
    { email: 'grace@example.org', name: 'Grace', topics: [] },
    { email: 'alan@example.org', name: 'Alan "the" Turing', topics: ['reasoning'] },
    { email: 'katherine@example.org', name: null, topics: [] },
  ]);
  assert.deepEqual(
    list.invalid.map((entry) => [entry.line, entry.value]),
    [[7, 'nobody-at-example.org']],
  );
  assert.equal(list.duplicates, 1);
  assert.deepEqual(
    list.warnings.map((warning) => warning.line),
    [8],
    'unreadable attributes keep the subscriber and warn',
  );
});

test('a listmonk export: blocklisted and unsubscribed rows are kept off the mailing and reported by line', () => {
  const list = loadSubscribers(fixture('listmonk-export.csv'));
  assert.deepEqual(list.subscribers, [
    { email: 'ada@example.org', name: 'Ada Lovelace', topics: ['diffusion'] },
    { email: 'grace@example.org', name: 'Hopper, Grace', topics: ['agents'] },
    { email: 'alan@example.org', name: 'Alan', topics: [] },
  ]);
  // The later "enabled" row of a blocklisted address does not bring it back.
  assert.deepEqual(list.notMailed, [
    { line: 3, email: 'mallory@example.org', status: 'blocklisted' },
    { line: 6, email: 'eve@example.org', status: 'unsubscribed' },
  ]);
  assert.equal(list.duplicates, 1);
  assert.deepEqual(list.invalid, []);
});

test('a list with nobody left to mail is E_SUBSCRIBERS, saying so', (t) => {
  const path = join(tempDir(t), 'blocked.csv');
  writeFileSync(path, 'email,name,status\nmallory@example.org,Mallory,blocklisted\n');
  assert.throws(
    () => loadSubscribers(path),
    (error: unknown) => isPaperwireError(error, 'E_SUBSCRIBERS') && /nobody to mail/.test(error.message),
  );
});

test('CSV syntax errors name their line: text after a closing quote, a quote that never closes', (t) => {
  const dir = tempDir(t);
  const cases: [string, string, number][] = [
    // Not read as a@b.orgx: the quotes end the field, and what follows them is an error.
    ['junk.csv', 'email,name\n"a@b.org"x,A\nb@example.org,B\n', 2],
    // CRLF and a multi-line field before it: the line count does not drift.
    ['crlf.csv', 'email,name\r\nada@example.org,"Ada\r\nLovelace"\r\n"b@example.org"x,B\r\n', 4],
    // The quote that never closes opened on line 4, in the second field of a record begun on line 3.
    ['unclosed.csv', 'email,name\r\n\r\nada@example.org,"Ada\r\nLovelace","never\r\nclosed\r\n', 4],
    ['bare-quote.csv', 'email,name\nalan@example.org,Alan "the" Turing\n', 2],
  ];
  for (const [name, text, line] of cases) {
    const path = join(dir, name);
    writeFileSync(path, text);
    assert.throws(
      () => loadSubscribers(path),
      (error: unknown) =>
        isPaperwireError(error, 'E_SUBSCRIBERS') &&
        error.message.startsWith(`${path} line ${line}: `) &&
        Boolean(error.hint?.includes('""')),
      name,
    );
  }
});

test('a byte order mark before the list is not part of it, in YAML, JSON and CSV', (t) => {
  const dir = tempDir(t);
  const files = {
    'bom.yaml': 'subscribers:\n  - ada@example.org\n  - nope\n',
    'bom.json': '{\n  "subscribers": [\n    "ada@example.org",\n    "nope"\n  ]\n}\n',
    'bom.csv': 'email,name\r\nada@example.org,Ada\r\nnope,Nope\r\n',
  };
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, `\uFEFF${text}`);
    const list = loadSubscribers(path);
    assert.deepEqual(
      list.subscribers.map((s) => s.email),
      ['ada@example.org'],
      name,
    );
    assert.deepEqual(
      list.invalid.map((entry) => [entry.line, entry.value]),
      [[name === 'bom.json' ? 4 : 3, 'nope']],
      name,
    );
  }
});

test('CSV with LF line ends reads the same way', () => {
  const list = loadSubscribers(fixture('lf.csv'));
  assert.deepEqual(list.subscribers, [
    { email: 'ada@example.org', name: 'Ada', topics: ['quantization'] },
    { email: 'grace@example.org', name: 'Grace', topics: [] },
  ]);
});

test('every unusable list is E_SUBSCRIBERS naming the file', (t) => {
  const dir = tempDir(t);
  // Broken files are written here rather than kept as fixtures, which the linter would refuse.
  const malformed = join(dir, 'malformed.yaml');
  writeFileSync(malformed, 'subscribers:\n  - email: ada@example.org\n    name: [unclosed\n');
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '[\n  "ada@example.org",\n');
  const cases: [string, RegExp][] = [
    [fixture('empty.yaml'), /empty/],
    [fixture('header-only.csv'), /empty/],
    [malformed, /line \d/],
    [fixture('no-email-column.csv'), /email/],
    [broken, /JSON/],
    [fixture('all-invalid.yaml'), /no valid address.*line 2/],
    [join(dir, 'missing.yaml'), /does not exist/],
    [dir, /cannot read/], // a folder where a file should be
  ];
  const blank = join(dir, 'blank.yaml');
  writeFileSync(blank, '');
  cases.push([blank, /empty/]);
  const noKey = join(dir, 'nokey.yaml');
  writeFileSync(noKey, 'people:\n  - ada@example.org\n');
  cases.push([noKey, /subscribers/]);
  for (const [path, message] of cases) {
    assert.throws(
      () => loadSubscribers(path),
      (error: unknown) =>
        isPaperwireError(error, 'E_SUBSCRIBERS') &&
        error.message.includes(path) &&
        message.test(error.message) &&
        Boolean(error.hint),
      path,
    );
  }
});

test('addresses: trimmed, domain lower-cased, local part kept; odd ones refused', () => {
  assert.equal(normalizeAddress('  Ada.L+news@Example.ORG '), 'Ada.L+news@example.org');
  for (const bad of [
    '',
    'ada',
    '@example.org',
    'ada@',
    'ada@example',
    'a b@example.org',
    'ada@exa mple.org',
    'ada@example.org\r\nBcc: x@y.org',
    '"quoted"@example.org',
    'a..b@example.org',
    '<ada@example.org>',
  ]) {
    assert.equal(normalizeAddress(bad), null, JSON.stringify(bad));
    assert.ok(addressProblem(bad));
  }
});

test('an address with an invisible or text-direction character is invalid, wherever it hides', (t) => {
  const hidden = [
    '\u200B', // zero-width space
    '\u200C', // zero-width non-joiner
    '\u200D', // zero-width joiner
    '\u200E', // left-to-right mark
    '\u200F', // right-to-left mark
    '\u202A', // left-to-right embedding
    '\u202E', // right-to-left override
    '\u2066', // left-to-right isolate
    '\u2069', // pop directional isolate
    '\uFEFF', // zero-width no-break space (BOM)
    '\u00AD', // soft hyphen
    '\u2060', // word joiner
    '\u3164', // Hangul filler
  ];
  for (const char of hidden) {
    for (const address of [`ad${char}a@example.org`, `ada@exam${char}ple.org`, `${char}ada@example.org`]) {
      assert.equal(normalizeAddress(address), null, JSON.stringify(address));
      assert.match(addressProblem(address) ?? '', /invisible or text-direction character \(U\+[0-9A-F]{4}\)/);
    }
  }
  // In a list: the entry is reported with its line, the others are kept.
  const path = join(tempDir(t), 'hidden.yaml');
  writeFileSync(
    path,
    'subscribers:\n  - ada@example.org\n  - "gr\\u200Bace@example.org"\n  - "\\u202Egro.elpmaxe@nala"\n',
  );
  const list = loadSubscribers(path);
  assert.deepEqual(
    list.subscribers.map((s) => s.email),
    ['ada@example.org'],
  );
  assert.deepEqual(
    list.invalid.map((entry) => [entry.line, entry.value]),
    [
      [3, 'gr\u200Bace@example.org'],
      [4, '\u202Egro.elpmaxe@nala'],
    ],
  );
});

test('the CSV reader keeps quotes, commas and line breaks inside quoted fields', () => {
  // Line ends inside a field come out as LF, whatever the file uses.
  assert.deepEqual(parseCsv('a,"b,""c""\r\nd",e\n\nf'), [
    { line: 1, cells: ['a', 'b,"c"\nd', 'e'] },
    { line: 4, cells: ['f'] },
  ]);
  assert.throws(() => parseCsv('a,"never closed\n'), /never closed/);
});

test('the sample list in data/ loads', () => {
  const list = loadSubscribers(fileURLToPath(new URL('../../data/subscribers.yaml', import.meta.url)));
  assert.ok(list.subscribers.length >= 5);
  assert.equal(list.invalid.length, 0);
  assert.ok(list.subscribers.some((s) => s.name === null && s.topics.length === 0));
});

test('the lines of list items, looked up for reports: block and flow lists, anchors, comments, JSON', () => {
  const text = readFileSync(fixture('list.yaml'), 'utf8');
  assert.deepEqual(listItemLines(text), [3, 6, 7, 10, 12, 13, 15, 16]);
  assert.deepEqual(
    listItemLines(
      '# list\n- a@example.org\n\n  # note\n- email: b@example.org\n  name: |\n    B\n- &c c@example.org\n- *c\n',
    ),
    [2, 5, 8, 9],
  );
  assert.deepEqual(
    listItemLines('subscribers: [a@example.org,\n  B@Example.org, !!str c@example.org]\n'),
    [1, 2, 2],
  );
  // The key may come after others; the last `subscribers` is the one the parse keeps.
  assert.deepEqual(
    listItemLines(
      'title: {a: [1, 2]}\nsubscribers:\n  - old@example.org\nsubscribers:\n  - x@example.org\n  - y@example.org\n',
    ),
    [5, 6],
  );
  assert.deepEqual(listItemLines(readFileSync(fixture('list.json'), 'utf8')), [3, 4, 5, 8]);
  assert.deepEqual(listItemLines('people:\n  - a@example.org\n'), []);
});

test('YAML shapes beyond the plain list: flow style, anchors, explicit document start; broken ones are errors', (t) => {
  const dir = tempDir(t);
  const cases: [string, string[]][] = [
    ['subscribers: [a@example.org, B@Example.org]\n', ['a@example.org', 'B@example.org']],
    ['subscribers:\n  - &ada ada@example.org\n  - email: *ada\n    name: Ada\n', ['ada@example.org']],
    ['---\nsubscribers:\n  - a@example.org\n', ['a@example.org']],
    ['- a@example.org\n- b@example.org\n', ['a@example.org', 'b@example.org']],
  ];
  for (const [text, emails] of cases) {
    const path = join(dir, 'shape.yaml');
    writeFileSync(path, text);
    assert.deepEqual(
      loadSubscribers(path).subscribers.map((s) => s.email),
      emails,
      JSON.stringify(text),
    );
  }
  // An alias to nothing, a tab as indentation, two documents: the file is refused, naming the line.
  const broken: [string, RegExp][] = [
    ['subscribers:\n  - ada@example.org\n  - *nobody\n', /line 3 .*alias/],
    ['subscribers:\n\t- a@example.org\n', /line 2 .*tab/],
    ['subscribers:\n  - a@example.org\n---\nsubscribers: []\n', /2 YAML documents/],
  ];
  for (const [text, message] of broken) {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, text);
    assert.throws(
      () => loadSubscribers(path),
      (error: unknown) => isPaperwireError(error, 'E_SUBSCRIBERS') && message.test(error.message),
      JSON.stringify(text),
    );
  }
});
