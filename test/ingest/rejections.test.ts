// Bad input gets a clear error naming the place, and loses nothing: the valid
// entries of a source are stored, other sources go on, stored rows stay as they were.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestSources } from '../../src/ingest/index.ts';
import { MAX_ABSTRACT_CHARS } from '../../src/ingest/normalise.ts';
import { fixture, fixtureText, tempStore, testOptions } from './helpers.ts';

function hfItem(id: unknown, title: unknown, extra: Record<string, unknown> = {}) {
  return {
    paper: { id, title, summary: 'An abstract.', authors: [{ name: 'A. Author' }], upvotes: 1, ...extra },
  };
}

test('truncated JSON: the source fails naming line and column, other sources are still ingested', async (t) => {
  const { store, dir } = tempStore(t);
  const text = fixtureText('hf-daily-new.json');
  const truncated = join(dir, 'truncated.json');
  writeFileSync(truncated, text.slice(0, 1500));
  const report = await ingestSources(store, [truncated, fixture('hf-daily-old.json')], testOptions());
  const [bad, good] = report.sources;
  assert.equal(bad?.problem?.code, 'E_SOURCE_FORMAT');
  assert.match(bad?.problem?.message ?? '', /truncated.*at line \d+, column \d+/);
  const lines = text.slice(0, 1500).split('\n');
  assert.match(
    bad?.problem?.message ?? '',
    new RegExp(`line ${lines.length}, column ${lines.at(-1)!.length + 1}`),
  );
  assert.ok(bad?.problem?.hint);
  assert.equal(good?.new, 3);
  assert.equal(report.failedSources, 1);
  assert.equal(store.papers.list().length, 3);
});

test('malformed and wrong-format files fail as sources with E_SOURCE_FORMAT and a place where there is one', async (t) => {
  const { store, dir } = tempStore(t);
  const files: Record<string, string | Buffer> = {
    'broken.json': '[{"paper": {"id": "2611.00001", "title": "x"}},\n  {"paper": oops}]',
    'broken.xml':
      '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <entry><title>x</entry>\n</feed>',
    'rss.xml': '<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title></channel></rss>',
    'other.json': '{"name": "package.json, not papers", "version": "1.0.0"}',
    'table.csv': 'id,title\n2611.00001,A paper\n',
    'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    'empty.txt': '   \n',
  };
  const paths = Object.entries(files).map(([name, content]) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  });
  const report = await ingestSources(store, paths, testOptions());
  assert.equal(report.failedSources, paths.length);
  for (const source of report.sources) {
    assert.equal(source.problem?.code, 'E_SOURCE_FORMAT', `${source.source}: ${source.problem?.message}`);
    assert.ok(source.problem?.message.startsWith(source.source), source.problem?.message ?? '');
    assert.ok(source.problem?.hint, source.source);
  }
  const error = (name: string) =>
    report.sources.find((source) => source.source.endsWith(name))?.problem?.message ?? '';
  assert.match(error('broken.json'), /line 2, column 13/);
  assert.match(error('broken.xml'), /line 3, column/);
  assert.match(error('rss.xml'), /<rss>/);
  assert.equal(store.papers.list().length, 0);
});

test('HF entries missing their id or title are rejected by place; the rest of the file is stored', async (t) => {
  const { store, dir } = tempStore(t);
  const path = join(dir, 'daily.json');
  writeFileSync(
    path,
    JSON.stringify([
      hfItem('2611.00001', 'Kept one'),
      hfItem(undefined, 'No id'),
      hfItem('2611.00003', '   '),
      'not an item',
      { title: 'no paper object' },
      hfItem('paper-three', 'Id that is no arXiv id'),
      hfItem('2611.00007', 'Kept two'),
    ]),
  );
  const report = await ingestSources(store, [path], testOptions());
  const source = report.sources[0]!;
  assert.equal(source.new, 2);
  assert.equal(source.rejected, 5);
  assert.deepEqual(
    source.rejections.map((rejection) => rejection.place),
    ['[1].paper.id', '[2].paper.title', '[3]', '[4].paper', '[5].paper.id'],
  );
  for (const rejection of source.rejections) assert.ok(rejection.reason.length > 0);
  assert.deepEqual(
    store.papers.list().map((paper) => paper.title),
    ['Kept one', 'Kept two'],
  );
});

test('paperwire entries: each bad field is rejected with its JSON path; unknown fields warn', async (t) => {
  const { store, dir } = tempStore(t);
  const good = { title: 'Fine', abstract: 'Fine abstract.', authors: ['A'] };
  const papers = [
    good,
    { ...good, title: undefined },
    { ...good, title: 'Bad author', authors: ['A', 7] },
    { ...good, title: 'Bad id', id: 'paper-one' },
    { ...good, title: 'Bad upvotes', upvotes: -3 },
    { ...good, title: 'Bad date', publishedAt: 'last Tuesday' },
    42,
    { ...good, title: 'Bad link kind', links: { homepage: 'https://example.org' } },
    { ...good, title: 'No abstract', abstract: undefined },
    { ...good, title: 'Typo field', upvote: 3, url: 'javascript:alert(1)' },
  ];
  const path = join(dir, 'entries.json');
  writeFileSync(path, JSON.stringify({ format: 'paperwire-entries/1', papers }));
  const report = await ingestSources(store, [path], testOptions());
  const source = report.sources[0]!;
  assert.equal(source.format, 'paperwire-json');
  assert.deepEqual(
    source.rejections.map((rejection) => rejection.place),
    [
      'papers[1].title',
      'papers[2].authors[1]',
      'papers[3].id',
      'papers[4].upvotes',
      'papers[5].publishedAt',
      'papers[6]',
      'papers[7].links.homepage',
      'papers[8].abstract',
    ],
  );
  assert.equal(source.new, 2);
  assert.equal(source.warnings.length, 2);
  assert.match(source.warnings.join('\n'), /papers\[9\]: unknown field "upvote" ignored/);
  assert.match(source.warnings.join('\n'), /papers\[9\]: page link "javascript:alert\(1\)" dropped/);
  const typo = store.papers.list().find((paper) => paper.title === 'Typo field');
  assert.deepEqual(typo?.links, {});
});

test('an entries file of another format version, or without a papers array, fails as a source', async (t) => {
  const { store, dir } = tempStore(t);
  const v2 = join(dir, 'v2.json');
  writeFileSync(v2, JSON.stringify({ format: 'paperwire-entries/2', papers: [] }));
  const noList = join(dir, 'nolist.json');
  writeFileSync(noList, JSON.stringify({ format: 'paperwire-entries/1', papers: { title: 'x' } }));
  const report = await ingestSources(store, [v2, noList], testOptions());
  assert.deepEqual(
    report.sources.map((source) => source.problem?.code),
    ['E_SOURCE_FORMAT', 'E_SOURCE_FORMAT'],
  );
});

test('arXiv entries without id or title, and a papers page title without abstract, are rejected by place', async (t) => {
  const { store, dir } = tempStore(t);
  const feed = join(dir, 'feed.xml');
  writeFileSync(
    feed,
    `<feed xmlns="http://www.w3.org/2005/Atom">
  <entry><id>http://arxiv.org/abs/2611.00001v1</id><title>Kept</title><summary>s</summary></entry>
  <entry><title>No id here</title><summary>s</summary></entry>
  <entry><id>http://arxiv.org/abs/2611.00003v1</id><summary>no title</summary></entry>
</feed>`,
  );
  const page = join(dir, 'page.txt');
  writeFileSync(
    page,
    [
      'Papers',
      '',
      'Nov 19',
      '',
      'A title whose abstract went missing',
      '',
      'Kept page paper',
      '',
      `${'A long abstract sentence. '.repeat(30)}`,
      '',
      'Dangling last title',
      '',
    ].join('\n'),
  );
  const report = await ingestSources(store, [feed, page], testOptions());
  const [atom, text] = report.sources;
  assert.deepEqual(
    atom?.rejections.map((rejection) => rejection.place),
    ['entry 2', 'entry 3'],
  );
  assert.equal(atom?.new, 1);
  assert.equal(text?.format, 'papers-page-text');
  assert.deepEqual(
    text?.rejections.map((rejection) => rejection.place),
    ['line 5', 'line 11'],
  );
  assert.equal(text?.new, 1);
  assert.equal(report.totals.rejected, 4);
});

test('a 10 MB abstract is cut to a sane length with a warning naming the entry', async (t) => {
  const { store, dir } = tempStore(t);
  const huge = 'word '.repeat(2 * 1024 * 1024);
  const path = join(dir, 'huge.json');
  writeFileSync(
    path,
    JSON.stringify([hfItem('2611.00042', 'The paper with the endless abstract', { summary: huge })]),
  );
  const report = await ingestSources(store, [path], testOptions());
  const source = report.sources[0]!;
  assert.equal(source.new, 1);
  assert.equal(source.rejected, 0);
  assert.equal(source.warnings.length, 1);
  assert.match(
    source.warnings[0]!,
    /^\[0\] "The paper with the endless abstract": abstract cut from [\d,]+ to 5,000/,
  );
  const [paper] = store.papers.list();
  assert.ok(paper && paper.abstract.length <= MAX_ABSTRACT_CHARS, String(paper?.abstract.length));
  assert.ok(paper.abstract.endsWith('word…'));
});

test('HTML, Handlebars braces and control characters in a title are kept as text, control characters removed', async (t) => {
  const { store, dir } = tempStore(t);
  const title = '<img src=x onerror=alert(1)> {{constructor}} {{{raw}}}\u0000\u0007 Bold\u001b claims';
  const path = join(dir, 'markup.json');
  writeFileSync(path, JSON.stringify([hfItem('2611.00666', title)]));
  const report = await ingestSources(store, [path], testOptions());
  assert.equal(report.sources[0]?.rejected, 0);
  assert.equal(
    store.papers.list()[0]?.title,
    '<img src=x onerror=alert(1)> {{constructor}} {{{raw}}} Bold claims',
  );
});

test('a rejected entry leaves the stored paper as it was; an unreadable source fails alone', async (t) => {
  const { store, dir } = tempStore(t);
  await ingestSources(store, [fixture('hf-daily-old.json')], testOptions());
  const before = store.papers.list();
  const path = join(dir, 'later.json');
  // The same id again, now without a title: rejected, so its upvotes must not overwrite the stored ones.
  writeFileSync(path, JSON.stringify([hfItem('2401.05117', '', { upvotes: 999 })]));
  const missing = join(dir, 'no-such-file.json');
  // Unreadable even for root (tests often run as root, who reads any file whatever its mode).
  const unreadable = join(path, 'inside.json');
  const report = await ingestSources(
    store,
    [missing, path, unreadable, fixture('hf-paper.json')],
    testOptions(),
  );
  assert.equal(report.sources[0]?.problem?.code, 'E_SOURCE_READ');
  assert.match(report.sources[0]?.problem?.message ?? '', /no-such-file\.json: cannot read: no such file/);
  assert.equal(report.sources[1]?.rejected, 1);
  assert.equal(report.sources[2]?.problem?.code, 'E_SOURCE_READ');
  assert.match(report.sources[2]?.problem?.message ?? '', /inside\.json/);
  assert.equal(report.sources[3]?.new, 1);
  assert.deepEqual(store.papers.list().slice(0, before.length), before);
});
