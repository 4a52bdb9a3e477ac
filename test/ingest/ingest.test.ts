// ingestSources end to end in-process: re-ingest, merging across sources,
// folders, default sources and the printed report.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportLines } from '../../src/cli/present/ingest.ts';
import { defaultSources, folderEntries, ingestSources } from '../../src/ingest/index.ts';
import { fixture, tempDir, tempStore, testOptions } from './helpers.ts';

test('re-ingesting the same sources reports 0 new and keeps first-seen times', async (t) => {
  const { store } = tempStore(t);
  const sources = [
    fixture('hf-daily-old.json'),
    fixture('arxiv-current.xml'),
    fixture('paperwire-entries.json'),
  ];
  const first = await ingestSources(
    store,
    sources,
    testOptions({ clock: () => new Date('2026-11-16T08:00:00Z') }),
  );
  assert.deepEqual(first.totals, { new: 9, updated: 0, rejected: 0 });
  const again = await ingestSources(
    store,
    sources,
    testOptions({ clock: () => new Date('2026-11-23T08:00:00Z') }),
  );
  assert.deepEqual(again.totals, { new: 0, updated: 0, rejected: 0 });
  for (const paper of store.papers.list()) assert.equal(paper.firstSeenAt, '2026-11-16T08:00:00.000Z');
});

test('the same paper from four sources in four spellings is one stored paper', async (t) => {
  const { store } = tempStore(t);
  // Title only (papers page), then HF (id, upvotes), then arXiv (v2 id), then the single-paper API (more upvotes).
  await ingestSources(store, [fixture('papers-page.txt')], testOptions());
  const page = store.papers.list().find((paper) => paper.title.startsWith('Sparse Ledger'));
  assert.equal(page?.arxivId, null);
  const hf = await ingestSources(store, [fixture('hf-daily-old.json')], testOptions());
  // Sparse Ledger merges into the page's row; the other two are new.
  assert.deepEqual(hf.totals, { new: 2, updated: 1, rejected: 0 });
  const merged = store.papers.list().find((paper) => paper.title.startsWith('Sparse Ledger'));
  assert.equal(merged?.seq, page?.seq);
  assert.equal(merged?.id, '2401.05230');
  assert.equal(merged?.firstSeenAt, page?.firstSeenAt);
  assert.equal(merged?.upvotes, 12);
  assert.equal(merged?.links.page, 'https://huggingface.co/papers/2401.05230');
  assert.equal(merged?.links.project, 'https://sparse-ledger.example.org/');

  await ingestSources(
    store,
    [fixture('hf-daily-new.json'), fixture('arxiv-current.xml'), fixture('hf-paper.json')],
    testOptions(),
  );
  const quiet = store.papers.list().filter((paper) => paper.title.startsWith('Quiet Weights'));
  assert.equal(quiet.length, 1);
  assert.equal(quiet[0]?.upvotes, 95);
  const ids = store.papers.list().map((paper) => paper.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('a folder source is every file in it, sorted, without dotfiles or subfolders', async (t) => {
  const { store } = tempStore(t);
  const inbox = join(tempDir(t), 'inbox');
  mkdirSync(join(inbox, 'archive'), { recursive: true });
  copyFileSync(fixture('hf-daily-new.json'), join(inbox, 'b-daily.json'));
  copyFileSync(fixture('papers-page.txt'), join(inbox, 'a-page.txt'));
  writeFileSync(join(inbox, '.DS_Store'), 'junk');
  copyFileSync(fixture('hf-paper.json'), join(inbox, 'archive', 'old.json'));
  assert.deepEqual(
    folderEntries(inbox)
      .filter((entry) => entry.skipped === null)
      .map((entry) => entry.path),
    [join(inbox, 'a-page.txt'), join(inbox, 'b-daily.json')],
  );
  const report = await ingestSources(store, [inbox], testOptions());
  assert.deepEqual(
    report.sources.map((source) => [source.source, source.format, source.new]),
    [
      [join(inbox, 'a-page.txt'), 'papers-page-text', 4],
      [join(inbox, 'b-daily.json'), 'hf-daily-papers', 2],
    ],
  );

  const empty = join(tempDir(t), 'empty');
  mkdirSync(empty);
  const none = await ingestSources(store, [empty], testOptions());
  assert.equal(none.sources[0]?.warnings.length, 1);
  assert.equal(none.failedSources, 0);
});

test('default sources: the inbox (read as a folder), then SOURCES; an empty or missing inbox gives just SOURCES', async (t) => {
  const { store } = tempStore(t);
  const inbox = join(tempDir(t), 'inbox');
  mkdirSync(join(inbox, 'archive'), { recursive: true });
  const urls = ['https://example.org/feed.xml'];
  assert.deepEqual(defaultSources({ inboxDir: inbox, sources: urls }), urls, 'only a subfolder');
  writeFileSync(join(inbox, '2.json'), '[]');
  writeFileSync(join(inbox, '1.json'), '[]');
  const sources = ['hf', 'arxiv:cat:cs.CL', 'https://example.org/feed.xml'];
  assert.deepEqual(defaultSources({ inboxDir: inbox, sources }), [inbox, ...sources]);
  const report = await ingestSources(store, defaultSources({ inboxDir: inbox, sources: [] }), testOptions());
  assert.deepEqual(
    report.sources.map((source) => source.source),
    [join(inbox, '1.json'), join(inbox, '2.json')],
  );
  assert.deepEqual(defaultSources({ inboxDir: join(inbox, 'nope'), sources }), sources);
  assert.deepEqual(defaultSources({ inboxDir: join(inbox, 'nope'), sources: [] }), []);
});

test('the printed report: one summary line per source, one line per rejection and warning, a total', async (t) => {
  const { store, dir } = tempStore(t);
  const bad = join(dir, 'mixed.json');
  writeFileSync(
    bad,
    JSON.stringify([
      { paper: { id: '2611.00001', title: 'Good', summary: 'x'.repeat(6000) } },
      { paper: { id: '2611.00002' } },
    ]),
  );
  const report = await ingestSources(store, [bad, join(dir, 'gone.json')], testOptions());
  const lines = reportLines(report, (source) => source.replace(`${dir}/`, ''));
  assert.deepEqual(lines.slice(0, 3), [
    'mixed.json: 1 new, 0 updated, 1 rejected (hf-daily-papers)',
    'mixed.json [1].paper.title: missing',
    'mixed.json [0] "Good": abstract cut from 6,000 to 5,000 characters (warning)',
  ]);
  assert.deepEqual(lines.slice(3), [
    'gone.json: failed, nothing stored',
    '  error: gone.json: cannot read: no such file or folder',
    '  hint: Check the path.',
    'total: 1 new, 0 updated, 1 rejected; 1 source failed',
  ]);
});
