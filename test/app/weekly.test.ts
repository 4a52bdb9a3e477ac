// The weekly job on live data (issue 11, "Done when"): against local servers answering like
// the Hugging Face API (pagination, the Friday before in a week= answer, a 429 with
// Retry-After) and the arXiv API (paging, an empty first page, 3 s between requests as the
// server measures it), with the clock set to a Monday. The edition is the previous week and
// holds exactly its papers, once each, ranked by their end-of-week upvotes; a second run that
// week sends nothing; the next week's edition holds only the next week's papers; a Monday
// the scheduler was off for is caught up, and an older missed week is listed by status.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppContext } from '../../src/app/context.ts';
import { runCycle } from '../../src/app/cycle.ts';
import { startScheduler } from '../../src/app/scheduler.ts';
import { collectStatus } from '../../src/app/status.ts';
import { formatStatus } from '../../src/cli/present/status.ts';
import type { Config } from '../../src/config/index.ts';
import { ingestSettings, ingestSources } from '../../src/ingest/index.ts';
import type { Store } from '../../src/store/index.ts';
import { startArxivApi } from '../helpers/arxiv-api.ts';
import { startPaperwire } from '../helpers/cli.ts';
import { type HfItem, loadFixtureDays, startHfApi, syntheticItems } from '../helpers/hf-api.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { testStore } from '../helpers/store.ts';
import { memoryLog, workspace } from '../schedule/helpers.ts';

const THURSDAY_W48 = new Date('2026-11-26T12:00:00Z');
const MONDAY_W49 = new Date('2026-11-30T08:00:00Z');
const TUESDAY_W49 = new Date('2026-12-01T09:00:00Z');
const MONDAY_W50 = new Date('2026-12-07T08:00:00Z');
/** The scheduler was off over Mondays 14 and 21 December. */
const TUESDAY_W52 = new Date('2026-12-22T10:00:00Z');

const ctxAt = (store: Store, config: Config, now: Date): AppContext => ({
  store,
  config,
  log: memoryLog(),
  clock: () => now,
});

/** The ids of the fixture's Daily Papers items on days `from`…`to`. */
function hfIds(days: Record<string, HfItem[]>, from: string, to: string): string[] {
  return Object.entries(days)
    .filter(([day]) => day >= from && day <= to)
    .flatMap(([, items]) => items.map((item) => item.paper.id));
}

test('the weekly job on a Monday: last week, exactly its papers once each, by end-of-week upvotes; then next week, then a missed Monday', async (t) => {
  const ws = workspace(t, 3);
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const hf = await startHfApi(t);
  // 120 more papers on Wednesday: a week of 138 items is two pages of 100.
  hf.addItems('2026-11-25', syntheticItems('2026-11-25', 120, 50_000));
  // One paper is on Daily Papers and in the arXiv query both: it is one paper.
  const [both] = syntheticItems('2026-11-24', 1, 0);
  both!.paper.id = '2611.17733';
  hf.addItems('2026-11-24', [both!]);
  const arxiv = await startArxivApi(t, { pageCap: 2 });
  const config = ws.config({
    SOURCES: 'hf, arxiv:cat:cs.CL',
    HF_API_URL: hf.url,
    ARXIV_API_URL: arxiv.url,
    SMTP_URL: sink.url,
    MAIL_FROM: 'Papers <papers@example.org>',
    SCHEDULE_TZ: 'UTC',
  });
  const store = testStore(t, config);

  // Thursday: a daily ingest of the week so far, when the counts are still low.
  await ingestSources(store, ['hf'], { ...ingestSettings(config), clock: () => THURSDAY_W48 });
  // By Monday, two papers of Monday and Friday took off.
  hf.setUpvotes('2611.15811', 500);
  hf.setUpvotes('2611.20240', 300);
  hf.failNext(1, { status: 429, headers: { 'retry-after': '1' } });
  arxiv.emptyPages(1);
  const hfBefore = hf.requests.length;

  const monday = await runCycle(ctxAt(store, config, MONDAY_W49));
  assert.equal(monday.exitCode, 0, monday.headline);
  assert.equal(monday.editionId, '2026-W48', 'the Monday run sends last week');
  assert.equal(monday.sent, 3);

  const days = loadFixtureDays();
  const arxivW48 = ['2611.16620', '2611.17733', '2611.18821', '2611.20117', '2611.20950'];
  const expected = new Set([
    ...hfIds(days, '2026-11-23', '2026-11-29'),
    ...syntheticItems('2026-11-25', 120, 50_000).map((item) => item.paper.id),
    ...arxivW48,
  ]);
  const edition = store.editions.find('2026-W48')!;
  const ids = edition.papers.map((entry) => entry.paper.id);
  assert.equal(ids.length, new Set(ids).size, 'each paper once');
  assert.deepEqual(new Set(ids), expected, 'exactly the papers of 23–29 November');
  for (const friday of hfIds(days, '2026-11-20', '2026-11-20')) assert.ok(!ids.includes(friday), friday);
  // Ranked by the counts of Monday morning, not Thursday's.
  assert.deepEqual(ids.slice(0, 2), ['2611.15811', '2611.20240']);
  assert.equal(edition.papers[0]?.paper.upvotes, 500);
  const votes = edition.papers.map((entry) => entry.paper.upvotes ?? -1);
  assert.deepEqual(
    votes,
    [...votes].sort((a, b) => b - a),
  );

  // What the servers saw: two pages of week 48 after a 429 waited out; arXiv paged, its empty first page asked again, 3 s apart.
  const hfRun = hf.requests.slice(hfBefore);
  assert.equal(hfRun.length, 3, 'the 429, then p=0 and p=1');
  assert.deepEqual(
    hfRun.map((request) => [request.query.week, request.query.p]),
    [
      ['2026-W48', '0'],
      ['2026-W48', '0'],
      ['2026-W48', '1'],
    ],
  );
  assert.ok(hfRun[1]!.at - hfRun[0]!.at >= 900, 'Retry-After: 1 was honoured');
  assert.deepEqual(
    arxiv.requests.map((request) => request.query.start),
    ['0', '0', '2', '4'],
  );
  const gaps = arxiv.requests.slice(1).map((request, i) => request.at - arxiv.requests[i]!.at);
  assert.ok(
    gaps.every((gap) => gap >= 3000),
    `gaps between arXiv requests: ${gaps.join(', ')} ms`,
  );
  assert.equal(arxiv.maxConnections, 1);

  // A second run that week sends nothing, and asks the APIs nothing again.
  const requestsSoFar = hf.requests.length + arxiv.requests.length;
  const tuesday = await runCycle(ctxAt(store, config, TUESDAY_W49));
  assert.equal(tuesday.sent, 0);
  assert.match(tuesday.headline, /^nothing sent: edition 2026-W48 is already delivered/);
  assert.equal(hf.requests.length + arxiv.requests.length, requestsSoFar);
  assert.equal(sink.accepted.length, 3);

  // The next Monday: week 49's papers only.
  const next = await runCycle(ctxAt(store, config, MONDAY_W50));
  assert.equal(next.editionId, '2026-W49');
  assert.equal(next.sent, 3);
  assert.deepEqual(
    new Set(store.editions.find('2026-W49')!.papers.map((entry) => entry.paper.id)),
    new Set([...hfIds(days, '2026-11-30', '2026-12-06'), '2611.21207']),
  );

  // Off over two Mondays; started on Tuesday of week 52: week 51's edition goes out at start.
  hf.addItems('2026-12-09', syntheticItems('2026-12-09', 3, 60_000));
  hf.addItems('2026-12-16', syntheticItems('2026-12-16', 2, 70_000));
  const hfOnly = { ...config, sources: ['hf'] };
  const log = memoryLog();
  const cycles: string[] = [];
  const scheduler = await startScheduler(
    { store, config: hfOnly, log, clock: () => TUESDAY_W52 },
    { onCycle: (summary) => cycles.push(`${summary.kind} ${summary.editionId} sent ${summary.sent}`) },
  );
  await scheduler.ready;
  await scheduler.stop();
  assert.deepEqual(cycles, ['catch-up 2026-W51 sent 3']);
  assert.ok(log.lines.some((line) => line.message.includes('the edition of 2026-W51 was not sent')));
  assert.deepEqual(
    store.editions
      .find('2026-W51')!
      .papers.map((entry) => entry.paper.id)
      .sort(),
    ['2612.70000', '2612.70001'],
  );
  // Week 50 is more than one behind: not sent by itself, listed by status.
  assert.equal(store.editions.find('2026-W50'), null);
  const status = collectStatus(hfOnly, store, TUESDAY_W52);
  assert.deepEqual(status.missedWeeks, [{ week: '2026-W50', papers: 0 }]);
  assert.ok(
    formatStatus(status, ws.dir).includes(
      'missed: 2026-W50 has no edition (0 papers stored); it is not sent by itself — `paperwire run --week 2026-W50` sends it',
    ),
  );
  const w50 = await runCycle(ctxAt(store, hfOnly, TUESDAY_W52), { week: '2026-W50' });
  assert.equal(w50.editionId, '2026-W50');
  assert.equal(w50.sent, 3);
  assert.equal(store.editions.find('2026-W50')!.papers.length, 3);
  assert.deepEqual(collectStatus(hfOnly, store, TUESDAY_W52).missedWeeks, []);
});

test('`paperwire run` on a Monday by the process clock (faketime): last week’s edition, then what waits', async (t) => {
  const ws = workspace(t, 2);
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const hf = await startHfApi(t);
  const env = ws.env({
    SOURCES: 'hf',
    HF_API_URL: hf.url,
    SMTP_URL: sink.url,
    MAIL_FROM: 'Papers <papers@example.org>',
    SCHEDULE_TZ: 'UTC',
    TZ: 'UTC',
  });
  // The binary runs under libfaketime: the clock starts at Monday 08:00 of week 49 and runs on.
  const { code, stdout, stderr } = await startPaperwire(['run'], {
    cwd: ws.dir,
    env,
    under: ['faketime', '-f', '@2026-11-30 08:00:00'],
  }).exited;
  assert.equal(code, 0, stdout + stderr);
  assert.match(stdout, /^hf 2026-W48: 17 new/m);
  assert.match(stdout, /^edition 2026-W48: sent 2/m);
  // The Daily Papers of Monday 30 November and Tuesday are not asked for yet: nothing of week 49 waits.
  assert.deepEqual([...new Set(hf.requests.map((request) => request.query.week))], ['2026-W48']);
  assert.equal(sink.accepted.length, 2);
});
