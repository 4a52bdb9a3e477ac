import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isPaperwireError } from '../../src/errors.ts';
import { parseCsv } from '../../src/subscribers/csv.ts';
import { addressProblem, loadSubscribers, normalizeAddress } from '../../src/subscribers/index.ts';
import { tempDir } from '../deliver/helpers.ts';

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

test('the CSV reader keeps quotes, commas and line breaks inside quoted fields', () => {
  assert.deepEqual(parseCsv('a,"b,""c""\r\nd",e\n\nf'), [
    { line: 1, cells: ['a', 'b,"c"\r\nd', 'e'] },
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
