// `paperwire ingest` and `paperwire papers` as a user runs them: a child
// process with its own working directory and STATE_DIR.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSince } from '../../src/cli/options.ts';
import type { PaperListing } from '../../src/cli/present/papers.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { ingestSources } from '../../src/ingest/index.ts';
import { openStore } from '../../src/store/index.ts';
import { fixture, paperwire, tempDir, testOptions } from './helpers.ts';

const LISTING_KEYS = [
  'id',
  'arxivId',
  'title',
  'abstract',
  'authors',
  'url',
  'pageUrl',
  'arxivUrl',
  'pdfUrl',
  'codeUrl',
  'projectUrl',
  'upvotes',
  'keywords',
  'aiSummary',
  'publishedAt',
  'featuredOn',
  'upvotesObservedAt',
  'firstSeenAt',
  'updatedAt',
  'source',
  'origin',
];

/** A temp working directory with the page and daily-papers fixtures copied in. */
function workspace(t: Parameters<typeof tempDir>[0]) {
  const cwd = tempDir(t);
  copyFileSync(fixture('hf-daily-old.json'), join(cwd, 'daily.json'));
  copyFileSync(fixture('papers-page.txt'), join(cwd, 'page.txt'));
  return { cwd, env: { STATE_DIR: join(cwd, 'state') } };
}

test('ingest prints a line per source and a total; a re-run says 0 new', async (t) => {
  const { cwd, env } = workspace(t);
  let result = await paperwire(cwd, ['ingest', 'page.txt', 'daily.json'], env);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(
    result.stdout,
    [
      'page.txt: 4 new, 0 updated, 0 rejected (papers-page-text)',
      'daily.json: 2 new, 1 updated, 0 rejected (hf-daily-papers)',
      'total: 6 new, 1 updated, 0 rejected',
      '',
    ].join('\n'),
  );
  result = await paperwire(cwd, ['ingest', 'page.txt', 'daily.json'], env);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^total: 0 new, 0 updated, 0 rejected$/m);
});

test('papers --json lists flat objects with the promised keys; papers prints a table', async (t) => {
  const { cwd, env } = workspace(t);
  const store = openStore(join(env.STATE_DIR, 'paperwire.db'));
  await ingestSources(store, [join(cwd, 'page.txt'), join(cwd, 'daily.json')], testOptions());
  store.close();

  let result = await paperwire(cwd, ['papers', '--json'], env);
  assert.equal(result.status, 0, result.stderr);
  const papers = JSON.parse(result.stdout) as PaperListing[];
  assert.equal(papers.length, 6);
  for (const paper of papers) assert.deepEqual(Object.keys(paper), LISTING_KEYS);
  const ledger = papers.find((paper) => paper.title.startsWith('Sparse Ledger'));
  assert.equal(ledger?.id, '2401.05230');
  assert.equal(ledger?.url, 'https://huggingface.co/papers/2401.05230');
  assert.equal(ledger?.upvotes, 12);
  assert.equal(ledger?.source, 'papers-page-text');
  const glass = papers.find((paper) => paper.title.startsWith('Glass Diffusion'));
  assert.equal(glass?.upvotes, null);
  assert.equal(glass?.url, null);
  assert.equal(glass?.origin, join(cwd, 'page.txt'));

  result = await paperwire(cwd, ['papers'], env);
  assert.equal(result.status, 0, result.stderr);
  // The paper keeps the publication date of its first source (the page's date line).
  assert.match(
    result.stdout,
    /^2401\.05230 +12 {2}\d{4}-11-18 {2}Sparse Ledger: Auditing the Tool Calls of Language Agents$/m,
  );
  assert.match(result.stdout, /^6 papers$/m);
});

test('ingest with a rejected entry and a missing file: lines name source and place, exit 1, the rest stored', async (t) => {
  const cwd = tempDir(t);
  const env = { STATE_DIR: join(cwd, 'state') };
  writeFileSync(
    join(cwd, 'mixed.json'),
    JSON.stringify([{ paper: { id: '2611.00001', title: 'Good' } }, { paper: { title: 'No id' } }]),
  );
  const result = await paperwire(cwd, ['ingest', 'missing.json', 'mixed.json'], env);
  assert.equal(result.status, 1, result.stderr);
  assert.equal(
    result.stdout,
    [
      'missing.json: failed, nothing stored',
      '  error: missing.json: cannot read: no such file or folder',
      '  hint: Check the path.',
      'mixed.json: 1 new, 0 updated, 1 rejected (hf-daily-papers)',
      'mixed.json [1].paper.id: missing',
      'total: 1 new, 0 updated, 1 rejected; 1 source failed',
      '',
    ].join('\n'),
  );
  const listed = await paperwire(cwd, ['papers', '--json'], env);
  assert.deepEqual(
    (JSON.parse(listed.stdout) as PaperListing[]).map((paper) => paper.id),
    ['2611.00001'],
  );
});

test('ingest with no sources reads INBOX_DIR when set; an empty or missing inbox says there is nothing to ingest', async (t) => {
  const cwd = tempDir(t);
  // An INBOX_DIR set alone is what is read (no hf then).
  const env = { STATE_DIR: join(cwd, 'state'), INBOX_DIR: 'inbox' };
  let result = await paperwire(cwd, ['ingest'], env);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^nothing to ingest: inbox does not exist and SOURCES is empty$/m);

  mkdirSync(join(cwd, 'inbox'), { recursive: true });
  result = await paperwire(cwd, ['ingest'], env);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^nothing to ingest: inbox has no files/m);

  copyFileSync(fixture('arxiv-current.xml'), join(cwd, 'inbox', 'feed.xml'));
  copyFileSync(fixture('paperwire-entries.json'), join(cwd, 'inbox', 'mine.json'));
  result = await paperwire(cwd, ['ingest'], env);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^inbox\/feed\.xml: 3 new, 0 updated, 0 rejected \(arxiv-atom\)$/m);
  assert.match(result.stdout, /^inbox\/mine\.json: 3 new, 0 updated, 0 rejected \(paperwire-json\)$/m);

  const other = join(cwd, 'elsewhere');
  mkdirSync(other);
  copyFileSync(fixture('hf-paper.json'), join(other, 'one.json'));
  result = await paperwire(cwd, ['ingest'], { ...env, INBOX_DIR: other });
  assert.match(result.stdout, /^elsewhere\/one\.json: 0 new, 1 updated/m);
});

test('papers --since filters by first-seen time; a bad date is a usage error (exit 2)', async (t) => {
  const cwd = tempDir(t);
  const env = { STATE_DIR: join(cwd, 'state') };
  let result = await paperwire(cwd, ['papers', '--json'], env);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), '[]');
  result = await paperwire(cwd, ['papers'], env);
  assert.match(result.stdout, /^no papers stored/m);

  await paperwire(cwd, ['ingest', fixture('hf-paper.json')], env);
  result = await paperwire(cwd, ['papers', '--json', '--since', '2000-01-01'], env);
  assert.equal((JSON.parse(result.stdout) as unknown[]).length, 1);
  result = await paperwire(cwd, ['papers', '--json', '--since', '2999-01-01T00:00:00Z'], env);
  assert.equal(result.stdout.trim(), '[]');

  result = await paperwire(cwd, ['papers', '--since', 'yesterday'], env);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^paperwire: --since "yesterday" is not a date/m);
  assert.match(result.stderr, /hint: Write .*YYYY-MM-DD/);
});

test('parseSince: dates and ISO times become instants; anything else is E_USAGE', async () => {
  assert.equal(parseSince('2026-11-16'), '2026-11-16T00:00:00.000Z');
  assert.equal(parseSince('2026-11-16T08:30:00+01:00'), '2026-11-16T07:30:00.000Z');
  assert.equal(parseSince('2026-11-16T08:30Z'), '2026-11-16T08:30:00.000Z');
  for (const bad of ['yesterday', '2026-02-30', '2026-13-01', '20261101', '', '16/11/2026']) {
    assert.throws(
      () => parseSince(bad),
      (error: unknown) => isPaperwireError(error, 'E_USAGE'),
      bad,
    );
  }
});
