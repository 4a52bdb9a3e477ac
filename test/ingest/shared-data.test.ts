// The mission's own inputs in ../shared: the seed page (35 papers) and two real
// Hugging Face daily papers responses. Skipped when ../shared is not beside the repo.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestSources } from '../../src/ingest/index.ts';
import { NO_SHARED, paperwire, sharedPath, tempDir, tempStore, testOptions } from './helpers.ts';

const seed = sharedPath('seeds/000_5233890ffdda0128.txt');
const realdata = sharedPath('realdata/hf-daily-papers');

test('the seed page yields 35 papers with titles and abstracts intact; a re-run is 0 new', async (t) => {
  if (!seed) return t.skip(`seeds/000_5233890ffdda0128.txt ${NO_SHARED}`);
  const { store } = tempStore(t);
  const report = await ingestSources(store, [seed], testOptions());
  assert.equal(report.sources[0]?.format, 'papers-page-text');
  assert.deepEqual(report.totals, { new: 35, updated: 0, rejected: 0 });
  const papers = store.papers.list();
  assert.equal(papers.length, 35);
  assert.equal(new Set(papers.map((paper) => paper.id)).size, 35);
  for (const paper of papers) {
    assert.ok(paper.title.length > 10 && paper.title.length < 200, paper.title);
    assert.ok(paper.abstract.length > 300, `${paper.title}: abstract of ${paper.abstract.length} chars`);
    assert.ok(!paper.abstract.endsWith('…'), `${paper.title}: abstract was cut`);
    assert.equal(paper.publishedAt?.slice(4), '-03-14T00:00:00.000Z');
  }
  assert.equal(papers[0]?.title.split(':')[0], 'Mixture-of-Mamba');
  const again = await ingestSources(store, [seed], testOptions());
  assert.deepEqual(again.totals, { new: 0, updated: 0, rejected: 0 });
});

test('both real HF daily papers responses ingest with 0 rejected, titles on one line, upvotes stored', async (t) => {
  if (!realdata) return t.skip(`realdata/hf-daily-papers ${NO_SHARED}`);
  const { store } = tempStore(t);
  const files = readdirSync(realdata)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(realdata, name));
  assert.equal(files.length, 2);
  const report = await ingestSources(store, files, testOptions());
  for (const source of report.sources) {
    assert.equal(source.format, 'hf-daily-papers', source.source);
    assert.equal(source.problem, null);
    assert.equal(source.rejected, 0, source.rejections.map((rejection) => rejection.place).join(', '));
  }
  assert.deepEqual(
    report.sources.map((source) => source.new),
    [12, 2],
  );
  for (const paper of store.papers.list()) {
    assert.doesNotMatch(paper.title, /\n|\s{2}/, paper.title);
    assert.equal(typeof paper.upvotes, 'number', paper.id);
    assert.match(paper.id, /^\d{4}\.\d{5}$/);
    assert.equal(paper.links.page, `https://huggingface.co/papers/${paper.id}`);
    for (const url of Object.values(paper.links)) assert.match(url, /^https:\/\/\S+$/);
  }
  const pladis = store.papers.list().find((paper) => paper.id === '2503.07677');
  assert.equal(
    pladis?.title,
    'PLADIS: Pushing the Limits of Attention in Diffusion Models at Inference Time by Leveraging Sparsity',
  );
  assert.equal(pladis?.upvotes, 46);
});

test('npx paperwire ingest of the seed: 35 new, then 0 new (the "done when" of the issue)', async (t) => {
  if (!seed) return t.skip(`seeds/000_5233890ffdda0128.txt ${NO_SHARED}`);
  const cwd = tempDir(t);
  const env = { STATE_DIR: join(cwd, 'var') };
  let result = await paperwire(cwd, ['ingest', seed], env);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^total: 35 new, 0 updated, 0 rejected$/m);
  result = await paperwire(cwd, ['ingest', seed], env);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^total: 0 new, 0 updated, 0 rejected$/m);
});
