// JSON and text a hostile or broken file can hold: deep nesting, byte order
// marks, impossible upvote counts, exports that wrote every item as a string,
// more values, lines or rejections than any real source. Each is a clear
// rejection (of the source or of the value) with its place; nothing crashes,
// and no message shows `[object Object]`, `undefined` or an invisible character.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportLines } from '../../src/cli/present/ingest.ts';
import { ingestSources } from '../../src/ingest/index.ts';
import { MAX_JSON_VALUES, MAX_LISTED_NOTES, MAX_TEXT_LINES } from '../../src/ingest/limits.ts';
import { MAX_NAME_CHARS, MAX_NAMES } from '../../src/ingest/normalise.ts';
import { fixture, tempStore, testOptions } from './helpers.ts';

const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const entries = (papers: unknown[]): string => JSON.stringify({ format: 'paperwire-entries/1', papers });
const entry = (extra: Record<string, unknown> = {}) => ({
  title: 'A fine title',
  abstract: 'An abstract.',
  authors: ['A. Author'],
  ...extra,
});

/** Ingests `files` (name → content) in a fresh store, then the old daily-papers fixture; returns the report. */
async function ingestFiles(t: Parameters<typeof tempStore>[0], files: Record<string, string | Buffer>) {
  const { store, dir } = tempStore(t);
  const paths = Object.entries(files).map(([name, content]) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  });
  const report = await ingestSources(store, [...paths, fixture('hf-daily-old.json')], testOptions());
  const good = report.sources.at(-1);
  assert.equal(good?.problem, null, 'the source after the bad ones is read');
  assert.equal(good?.new, 3);
  const printed = reportLines(report).join('\n');
  assert.doesNotMatch(printed, /\[object Object\]|undefined|column undefined|\uFEFF/);
  return { store, paths, report, sources: report.sources.slice(0, paths.length), printed };
}

test('JSON nested 100,000 deep, at the top or inside an entry value, is a rejected source naming line and column', async (t) => {
  const { sources } = await ingestFiles(t, {
    'open-brackets.json': '['.repeat(100_000),
    'closed-brackets.json': deep(100_000),
    'deep-upvotes.json': `{"format": "paperwire-entries/1", "papers": [{"title": "t", "abstract": "a", "authors": [], "upvotes": ${deep(100_000)}}]}`,
    'deep-format.json': `{"$schema": "paperwire", "format": ${deep(100_000)}, "papers": []}`,
    'deep-link.json': `[{"paper": {"id": "2611.08001", "title": "t", "githubRepo": ${deep(100_000)}}}]`,
  });
  for (const source of sources) {
    assert.equal(source.problem?.code, 'E_SOURCE_FORMAT', `${source.source}: ${source.problem?.message}`);
    assert.match(source.problem?.message ?? '', /nested more than 100 levels deep \(at line 1, column \d+\)/);
    assert.ok(source.problem?.hint);
  }
});

test('a value that is not a string where one is shown never prints as [object Object]', async (t) => {
  const { sources } = await ingestFiles(t, {
    'object-link.json': JSON.stringify([
      { paper: { id: '2611.08002', title: 'Object repo', githubRepo: { url: 'https://github.com/a/b' } } },
    ]),
    'object-fields.json': entries([
      entry({ upvotes: { n: 1 } }),
      entry({ id: ['2611.08003'] }),
      entry({ links: { code: { href: 'x' } } }),
    ]),
  });
  assert.deepEqual(sources[0]?.warnings, ['[0]: code link an object dropped (not an http(s) URL)']);
  assert.deepEqual(
    sources[1]?.rejections.map((rejection) => `${rejection.place}: ${rejection.reason}`),
    [
      'papers[0].upvotes: must be a whole number from 0 to 9,007,199,254,740,991, found an object',
      'papers[1].id: must be a string, found an array',
      'papers[2].links.code: must be a string, found an object',
    ],
  );
});

test('a 1e308 or 1e400 upvote count: a daily-papers paper is kept with its upvotes unknown and a warning; an entry is rejected', async (t) => {
  const { store, sources } = await ingestFiles(t, {
    'huge-upvotes.json': `[{"paper": {"id": "2611.08010", "title": "Inflated", "upvotes": 1e308}},
      {"paper": {"id": "2611.08011", "title": "Overflowing", "upvotes": 1e400}},
      {"paper": {"id": "2611.08012", "title": "Honest", "upvotes": 12}}]`,
    'huge-entries.json': `{"format": "paperwire-entries/1", "papers": [
      {"title": "Entry inflated", "abstract": "a", "authors": [], "upvotes": 1e308},
      {"title": "Entry overflowing", "abstract": "a", "authors": [], "upvotes": 1e400}]}`,
  });
  const [daily, mine] = sources;
  assert.equal(daily?.new, 3);
  assert.deepEqual(daily?.warnings, [
    '[0].paper.upvotes: 1e+308 is not an upvote count (a whole number from 0 to 9,007,199,254,740,991): stored as unknown',
    '[1].paper.upvotes: a number too large to read (past 1.8e308) is not an upvote count (a whole number from 0 to 9,007,199,254,740,991): stored as unknown',
  ]);
  const upvotes = Object.fromEntries(store.papers.list().map((paper) => [paper.title, paper.upvotes]));
  assert.equal(upvotes.Inflated, null);
  assert.equal(upvotes.Overflowing, null);
  assert.equal(upvotes.Honest, 12);
  assert.equal(mine?.new, 0);
  assert.deepEqual(
    mine?.rejections.map((rejection) => rejection.reason),
    [
      'must be a whole number from 0 to 9,007,199,254,740,991, found 1e+308',
      'must be a whole number from 0 to 9,007,199,254,740,991, found a number too large to read (past 1.8e308)',
    ],
  );
});

test('byte order marks: UTF-8 and UTF-16 (as PowerShell writes) are read; a stray second one is named, not shown', async (t) => {
  const daily = (id: string) => JSON.stringify([{ paper: { id, title: `Marked ${id}`, upvotes: 1 } }]);
  const { store, sources } = await ingestFiles(t, {
    'utf8-bom.json': `\uFEFF${daily('2611.08020')}`,
    'utf16le-bom.json': Buffer.from(`\uFEFF${daily('2611.08021')}`, 'utf16le'),
    'utf16be-bom.json': Buffer.from(`\uFEFF${daily('2611.08022')}`, 'utf16le').swap16(),
    'entries-bom.json': `\uFEFF${entries([entry({ title: 'Marked entry' })])}`,
    'double-bom.json': `\uFEFF\uFEFF${daily('2611.08023')}`,
    'stray-bom.json': `[{"paper": {"id": "2611.08024", "title": "a"}},\n \uFEFF{"paper": {"id": "2611.08025"}}]`,
  });
  assert.deepEqual(
    sources.map((source) => [source.format, source.problem === null]),
    [
      ['hf-daily-papers', true],
      ['hf-daily-papers', true],
      ['hf-daily-papers', true],
      ['paperwire-json', true],
      ['hf-daily-papers', true],
      ['hf-daily-papers', false],
    ],
  );
  const titles = store.papers.list().map((paper) => paper.title);
  for (const title of [
    'Marked 2611.08020',
    'Marked 2611.08021',
    'Marked 2611.08022',
    'Marked entry',
    'Marked 2611.08023',
  ]) {
    assert.ok(titles.includes(title), `${title} in ${titles.join(' | ')}`);
  }
  const stray = sources[5]!;
  assert.equal(stray.problem?.code, 'E_SOURCE_FORMAT');
  assert.match(
    stray.problem?.message ?? '',
    /invalid JSON: a stray byte order mark \(U\+FEFF\) at line 2, column 2/,
  );
});

test('a daily-papers export whose items are strings (Python reprs) says exactly that, with a hint for the export', async (t) => {
  const { sources } = await ingestFiles(t, {
    'reprs.json': JSON.stringify([
      "{'paper': {'id': '2501.1', 'title': 'A paper', 'upvotes': 3}}",
      "{'paper': {'id': '2501.2', 'title': 'Another', 'upvotes': 1}}",
    ]),
    'twice-encoded.json': JSON.stringify([JSON.stringify({ paper: { id: '2501.00001', title: 'x' } })]),
    'numbers.json': '[1, 2, 3]',
  });
  const [reprs, twice, numbers] = sources;
  assert.equal(reprs?.problem?.code, 'E_SOURCE_FORMAT');
  assert.match(
    reprs?.problem?.message ?? '',
    /its items are strings, not objects \(Python reprs of the objects, not JSON\): \[0\] is "\{'paper': \{'id': '2501\.1', /,
  );
  assert.match(reprs?.problem?.hint ?? '', /json\.dump/);
  assert.doesNotMatch(reprs?.problem?.hint ?? '', /inbox/);
  assert.match(
    twice?.problem?.message ?? '',
    /its items are strings, not objects \(JSON written into strings, encoded twice\)/,
  );
  assert.match(numbers?.problem?.message ?? '', /its items are numbers, not objects/);
});

test('more JSON values than any real source is refused before parsing, naming the limit', async (t) => {
  const { sources } = await ingestFiles(t, {
    'ones.json': `[${'1,'.repeat(MAX_JSON_VALUES)}1]`,
    'entries.json': `{"format": "paperwire-entries/1", "papers": [${'{},'.repeat(MAX_JSON_VALUES)}{}]}`,
  });
  for (const source of sources) {
    assert.equal(source.problem?.code, 'E_SOURCE_FORMAT', source.problem?.message ?? '');
    assert.match(source.problem?.message ?? '', /the JSON holds more than 5,000,000 values/);
  }
});

test('a text source of more lines than any papers page is refused before it is split', async (t) => {
  const page = `Papers\nNov 19\n\nA title\n\nAn abstract.\n${'\n'.repeat(MAX_TEXT_LINES)}`;
  const { sources } = await ingestFiles(t, { 'endless.txt': page });
  assert.equal(sources[0]?.problem?.code, 'E_SOURCE_FORMAT');
  assert.match(sources[0]?.problem?.message ?? '', /more than 1,000,000 lines/);
});

test('thousands of broken entries: every one is counted, the first 1,000 are listed, the rest summed up in one line', async (t) => {
  const count = MAX_LISTED_NOTES + 1_500;
  const items = Array.from({ length: count }, (_, i) => ({ paper: { id: `2611.${10_000 + i}` } }));
  items.push({ paper: { id: '2611.09999', title: 'The one good item' } } as never);
  const { sources, printed } = await ingestFiles(t, { 'broken.json': JSON.stringify(items) });
  const [broken] = sources;
  assert.equal(broken?.rejected, count);
  assert.equal(broken?.rejections.length, MAX_LISTED_NOTES);
  assert.equal(broken?.new, 1);
  assert.match(printed, /broken\.json: and 1,500 more rejected entries, not listed/);
  assert.equal(printed.split('\n').length < MAX_LISTED_NOTES + 20, true);
});

test('a single 16 MB line of text, NUL bytes and lone surrogates: stored cleanly or refused, never a crash', async (t) => {
  const { store, sources } = await ingestFiles(t, {
    'one-line.txt': `Nov 19\n\nA title on one line\n\n${'word '.repeat(3_300_000)}`,
    'nul.json': JSON.stringify([
      { paper: { id: '2611.08030', title: 'Nul\u0000 in \ud800 title', summary: '\udfff' } },
    ]),
    'binary.txt': Buffer.from('Nov 19\n\nTitle\n\nAbstract\u0000\u0001'),
  });
  const [line, nul, binary] = sources;
  assert.equal(line?.new, 1);
  assert.match(line?.warnings[0] ?? '', /abstract cut from [\d,]+ to 5,000 characters/);
  assert.equal(nul?.new, 1);
  assert.equal(binary?.problem?.code, 'E_SOURCE_FORMAT');
  assert.match(binary?.problem?.message ?? '', /a binary file/);
  const titles = store.papers.list().map((paper) => paper.title);
  assert.ok(titles.includes('Nul in \uFFFD title'), titles.join(' | '));
});

test('an entry with 5,000 authors, a 1 MB author name, 2,000 keywords and a 1 MB AI summary is stored trimmed, with warnings', async (t) => {
  const huge = 'x'.repeat(1024 * 1024);
  const authors = [{ name: huge }, ...Array.from({ length: 4_999 }, (_, i) => ({ name: `Author ${i}` }))];
  const keywords = [huge, ...Array.from({ length: 1_999 }, (_, i) => `keyword ${i}`)];
  const { store, sources } = await ingestFiles(t, {
    'crowded.json': JSON.stringify([
      { paper: { id: '2611.08040', title: 'Crowded', authors, ai_keywords: keywords, ai_summary: huge } },
    ]),
  });
  assert.deepEqual(sources[0]?.warnings, [
    '[0] "Crowded": authors cut from 5,000 to the first 1,000',
    '[0] "Crowded": 1 of the authors cut to 200 characters',
    '[0] "Crowded": keywords cut from 2,000 to the first 1,000',
    '[0] "Crowded": 1 of the keywords cut to 200 characters',
    '[0] "Crowded": AI summary cut to 5,000 characters',
  ]);
  const [paper] = store.papers.list();
  assert.equal(paper?.authors.length, MAX_NAMES);
  assert.equal(paper?.keywords.length, MAX_NAMES);
  assert.ok(paper?.authors.every((author) => author.length <= MAX_NAME_CHARS));
  assert.ok((paper?.aiSummary?.length ?? 0) <= 5_000);
});
