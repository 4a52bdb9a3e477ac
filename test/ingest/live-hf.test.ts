// The `hf` source against a local server answering like the Hugging Face API (test/helpers/hf-api.ts):
// one week's papers, paginated and deduplicated, without the Friday before that `week=` answers hold;
// 429s waited out; HF_TOKEN sent; fresh upvotes on a second fetch; each fetch recorded for `status`.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectStatus } from '../../src/app/status.ts';
import { formatStatus } from '../../src/cli/present/status.ts';
import { loadConfig } from '../../src/config/index.ts';
import { ingestSources } from '../../src/ingest/index.ts';
import { runCli } from '../helpers/cli.ts';
import { FIXTURE_WEEK, loadFixtureDays, startHfApi, syntheticItems } from '../helpers/hf-api.ts';
import { tempDir, tempStore, testOptions } from './helpers.ts';

const MONDAY_AFTER = new Date('2026-11-30T08:00:00Z');

/** The W48 ids of the fixture days (23–29 November). */
function fixtureWeekIds(): string[] {
  return Object.entries(loadFixtureDays())
    .filter(([day]) => day >= '2026-11-23' && day <= '2026-11-29')
    .flatMap(([, items]) => items.map((item) => item.paper.id))
    .sort();
}

test('hf fetches the week: its papers once each, with their Daily Papers day, not the Friday before', async (t) => {
  const api = await startHfApi(t);
  const { store } = tempStore(t);
  const report = await ingestSources(
    store,
    ['hf'],
    testOptions({ week: FIXTURE_WEEK, hfApiUrl: api.url, clock: () => MONDAY_AFTER }),
  );
  const source = report.sources[0]!;
  assert.equal(source.problem, null);
  assert.equal(source.format, 'hf-daily-papers');
  assert.deepEqual(source.live, { week: FIXTURE_WEEK, pages: 1, items: 20, otherWeeks: 3 });
  const papers = store.papers.list();
  // A fresh install: the three papers of Friday 20 November are not stored at all.
  assert.deepEqual(papers.map((paper) => paper.id).sort(), fixtureWeekIds());
  assert.equal(source.new, 17);
  for (const paper of papers) {
    assert.ok(paper.featuredOn! >= '2026-11-23' && paper.featuredOn! <= '2026-11-29', paper.featuredOn!);
    assert.equal(paper.upvotesObservedAt, MONDAY_AFTER.toISOString());
  }
  assert.equal(papers.find((paper) => paper.id === '2611.17230')?.featuredOn, '2026-11-24');
  assert.deepEqual(
    api.requests.map((request) => request.query),
    [{ week: FIXTURE_WEEK, limit: '100', p: '0' }],
  );
  assert.match(api.requests[0]?.userAgent ?? '', /^paperwire\//);
  assert.equal(api.requests[0]?.authorization, null);
});

test('hf pages until a short page, and a paper on two days of the week is one paper', async (t) => {
  const api = await startHfApi(t);
  api.addItems('2026-11-24', syntheticItems('2026-11-24', 150, 30000));
  api.addItems('2026-11-25', syntheticItems('2026-11-25', 100, 40000));
  // The same paper again on Thursday.
  api.addItems('2026-11-26', [loadFixtureDays()['2026-11-23']![0]!]);
  const { store } = tempStore(t);
  const report = await ingestSources(store, ['hf'], testOptions({ week: FIXTURE_WEEK, hfApiUrl: api.url }));
  const source = report.sources[0]!;
  assert.equal(source.problem, null);
  assert.deepEqual(
    api.requests.map((request) => request.query.p),
    ['0', '1', '2'],
  );
  assert.deepEqual(source.live, { week: FIXTURE_WEEK, pages: 3, items: 271, otherWeeks: 3 });
  assert.equal(source.new, 17 + 250);
  assert.equal(store.papers.list().length, 267);
});

test('hf waits out a 429 as Retry-After or the RateLimit reset asks, and sends HF_TOKEN', async (t) => {
  const api = await startHfApi(t);
  api.failNext(1, { status: 429, headers: { 'retry-after': '1' } });
  api.failNext(1, {
    status: 429,
    headers: { ratelimit: '"api";r=0;t=1', 'ratelimit-policy': '"fixed window";"api";q=500;w=300' },
  });
  const { store } = tempStore(t);
  const report = await ingestSources(
    store,
    ['hf'],
    testOptions({ week: FIXTURE_WEEK, hfApiUrl: api.url, hfToken: 'hf_test_token', retryMaxDelayMs: 5000 }),
  );
  assert.equal(report.sources[0]?.problem, null);
  assert.equal(report.sources[0]?.new, 17);
  const [first, second, third] = api.requests;
  assert.equal(api.requests.length, 3);
  assert.ok(second!.at - first!.at >= 1000, `waited ${second!.at - first!.at} ms after Retry-After: 1`);
  assert.ok(third!.at - second!.at >= 1000, `waited ${third!.at - second!.at} ms after t=1`);
  assert.ok(api.requests.every((request) => request.authorization === 'Bearer hf_test_token'));
});

test('a second fetch takes the upvotes of the end of the week; each fetch is recorded for status', async (t) => {
  const api = await startHfApi(t);
  const dir = tempDir(t);
  const config = loadConfig({ STATE_DIR: dir, HF_API_URL: api.url }, dir);
  const { openStore } = await import('../../src/store/index.ts');
  const store = openStore(config.dbPath);
  t.after(() => store.close());
  const options = { week: FIXTURE_WEEK, hfApiUrl: api.url };
  await ingestSources(
    store,
    ['hf'],
    testOptions({ ...options, clock: () => new Date('2026-11-24T08:00:00Z') }),
  );
  api.setUpvotes('2611.15811', 240);
  const again = await ingestSources(store, ['hf'], testOptions({ ...options, clock: () => MONDAY_AFTER }));
  assert.equal(again.sources[0]?.updated, 1);
  assert.equal(store.papers.list().find((paper) => paper.id === '2611.15811')?.upvotes, 240);
  const record = store.liveFetches.find('hf', FIXTURE_WEEK);
  assert.deepEqual(record, {
    source: 'hf',
    week: FIXTURE_WEEK,
    fetchedAt: MONDAY_AFTER.toISOString(),
    pages: 1,
    items: 20,
    new: 0,
    updated: 1,
    rejected: 0,
    otherWeeks: 3,
    error: null,
  });
  // A fetch that fails is recorded with its error; status shows the latest of each source.
  api.failNext(3, { status: 503 });
  const failed = await ingestSources(
    store,
    ['hf'],
    testOptions({ week: '2026-W49', hfApiUrl: api.url, clock: () => new Date('2026-12-07T08:00:00Z') }),
  );
  assert.equal(failed.sources[0]?.problem?.code, 'E_SOURCE_READ');
  const status = collectStatus(config, store, new Date());
  assert.equal(status.liveSources.length, 1);
  assert.equal(status.liveSources[0]?.week, '2026-W49');
  const line = formatStatus(status, dir).find((text) => text.startsWith('source hf:'));
  assert.match(
    line ?? '',
    /^source hf: 2026-W49 fetched 2026-12-07T08:00:00.000Z, 0 pages, .* failed: .*HTTP 503/,
  );
});

test('an answer that is not a list of daily papers fails the source, naming the URL', async (t) => {
  const api = await startHfApi(t);
  api.failNext(1, {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"error": "maintenance"}',
  });
  const { store } = tempStore(t);
  const report = await ingestSources(store, ['hf'], testOptions({ week: FIXTURE_WEEK, hfApiUrl: api.url }));
  assert.equal(report.sources[0]?.problem?.code, 'E_SOURCE_FORMAT');
  assert.match(report.sources[0]?.problem?.message ?? '', /api\/daily_papers\?week=2026-W48/);
});

test('the server answers date= with that day and week= with the week plus the Friday before', async (t) => {
  const api = await startHfApi(t);
  const get = async (query: string): Promise<{ paper: { id: string } }[]> =>
    (await fetch(`${api.url}/api/daily_papers?${query}`)).json() as Promise<{ paper: { id: string } }[]>;
  assert.equal((await get('date=2026-11-20')).length, 3);
  assert.equal((await get('date=2026-11-28')).length, 0);
  assert.equal((await get('week=2026-W48&limit=100')).length, 20);
  assert.equal((await get('week=2026-W48&limit=5&p=3')).length, 5);
  assert.equal((await get('week=2026-W49')).length, 5 + 3);
  assert.equal((await fetch(`${api.url}/api/daily_papers?week=48`)).status, 400);
});

test('paperwire ingest hf --week reads HF_API_URL and prints the week; status lists the fetch', async (t) => {
  const api = await startHfApi(t);
  const cwd = tempDir(t);
  const env = { STATE_DIR: join(cwd, 'state'), HF_API_URL: api.url, SOURCES: 'hf' };
  const ingest = await runCli(['ingest', '--week', FIXTURE_WEEK], { cwd, env });
  assert.equal(ingest.status, 0, ingest.stderr);
  assert.match(
    ingest.stdout,
    /^hf 2026-W48: 17 new, 0 updated, 0 rejected \(hf-daily-papers; 1 page, 20 items, 3 of another week left out\)$/m,
  );
  const status = await runCli(['status'], { cwd, env });
  assert.match(status.stdout, /^source hf: 2026-W48 fetched .*, 1 page, 20 items: 17 new, 0 updated/m);
});

test('paperwire ingest without --week on a Monday fetches the edition due (last week); once it is frozen, this week', async (t) => {
  const api = await startHfApi(t);
  const cwd = tempDir(t);
  const env = { STATE_DIR: join(cwd, 'state'), HF_API_URL: api.url, SOURCES: 'hf', SCHEDULE_TZ: 'UTC' };
  const monday = { cwd, env, clock: () => MONDAY_AFTER };
  // It fetched the current week (W49) while `send` acted on W48: W48 went out without its papers.
  const first = await runCli(['ingest'], monday);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^hf 2026-W48: 17 new/m);
  assert.equal(api.requests.at(-1)?.query.week, '2026-W48');
  const freeze = await runCli(['edition', '--freeze'], monday);
  assert.equal(freeze.status, 0, freeze.stderr);
  const second = await runCli(['ingest'], monday);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(api.requests.at(-1)?.query.week, '2026-W49', 'the week the next edition will hold');
});
