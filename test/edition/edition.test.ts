import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freezeEdition, planEdition } from '../../src/edition/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { isoWeekOf, parseWeek, weekRange } from '../../src/week.ts';
import { dated, paper, storePapers, tempStore } from './helpers.ts';

const MONDAY_W48 = new Date('2026-11-23T08:00:00Z');
const MONDAY_W49 = new Date('2026-11-30T08:00:00Z');

/** Freezes the edition of `now`'s week, as `paperwire edition` does without --week. */
const freezeAt = (store: Store, now: Date) => freezeEdition(store, isoWeekOf(now), now);

test('isoWeekOf gives the ISO 8601 week, including across year ends', () => {
  const cases: [string, string][] = [
    ['2026-11-26T12:00:00Z', '2026-W48'],
    ['2021-01-03T12:00:00Z', '2020-W53'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
    ['2026-03-16T23:59:59Z', '2026-W12'],
  ];
  for (const [date, week] of cases) assert.equal(isoWeekOf(new Date(date)), week, date);
});

test('parseWeek accepts real weeks and rejects the rest with E_USAGE', () => {
  assert.deepEqual(parseWeek('2026-W53'), { year: 2026, week: 53 });
  for (const bad of ['2026-48', '2026-W00', '2025-W53', '2026-W54', 'W48', '2026-w48 x']) {
    assert.throws(
      () => parseWeek(bad),
      (error: unknown) => isPaperwireError(error, 'E_USAGE'),
      bad,
    );
  }
  const { monday, sunday } = weekRange('2026-W48');
  assert.equal(monday.toISOString().slice(0, 10), '2026-11-23');
  assert.equal(sunday.toISOString().slice(0, 10), '2026-11-29');
});

test('an edition ranks by upvotes (unknown last), then by source order', (t) => {
  const { store } = tempStore(t);
  storePapers(store, [paper('a', 5), paper('b', null), paper('c', 20), paper('d', 5), paper('e', null)]);
  const result = freezeAt(store, MONDAY_W48);
  assert.ok(result.status === 'created');
  assert.equal(result.edition.id, '2026-W48');
  assert.deepEqual(
    result.edition.papers.map((p) => [p.rank, p.paper.id]),
    [
      [1, 'c'],
      [2, 'a'],
      [3, 'd'],
      [4, 'b'],
      [5, 'e'],
    ],
  );
  assert.deepEqual(store.editions.find('2026-W48'), result.edition);
});

test('running it again the same week returns the same edition', (t) => {
  const { store } = tempStore(t);
  storePapers(store, [paper('a', 1), paper('b', 2)]);
  const first = freezeAt(store, MONDAY_W48);
  storePapers(store, [paper('c', 99)]);
  const again = freezeAt(store, new Date('2026-11-27T08:00:00Z'));
  assert.equal(again.status, 'existing');
  assert.ok(first.status === 'created' && again.status === 'existing');
  assert.deepEqual(again.edition, first.edition);
  assert.equal(store.editions.summaries().length, 1);
});

test('the next edition takes only papers stored since the previous one; nothing new says so', (t) => {
  const { store } = tempStore(t);
  assert.deepEqual(freezeAt(store, MONDAY_W48), { status: 'nothing-new', previousId: null });
  storePapers(store, [paper('a', 1), paper('b', 2)]);
  freezeAt(store, MONDAY_W48);
  assert.deepEqual(freezeAt(store, MONDAY_W49), {
    status: 'nothing-new',
    previousId: '2026-W48',
  });
  // A re-ingest of an old paper is not new; a new paper is.
  storePapers(store, [paper('a', 50), paper('c', 3)]);
  const next = freezeAt(store, MONDAY_W49);
  assert.ok(next.status === 'created');
  assert.equal(next.edition.previousId, '2026-W48');
  assert.deepEqual(
    next.edition.papers.map((p) => p.paper.id),
    ['c'],
  );
  assert.equal(store.editions.latest()?.id, '2026-W49');
});

test('selection follows the store order, not the clock: a clock set back loses nothing', (t) => {
  const { store } = tempStore(t);
  storePapers(store, [paper('a', 1)], new Date('2026-11-24T00:00:00Z'));
  freezeAt(store, MONDAY_W48);
  // Ingested with a clock that runs a month behind.
  storePapers(store, [paper('b', 1)], new Date('2026-10-01T00:00:00Z'));
  const next = freezeAt(store, MONDAY_W49);
  assert.ok(next.status === 'created');
  assert.deepEqual(
    next.edition.papers.map((p) => p.paper.id),
    ['b'],
  );
});

test('a frozen edition keeps its snapshot when its papers are re-ingested', (t) => {
  const { store } = tempStore(t);
  const bare = { ...paper('a', 10, 'Original title'), links: {}, aiSummary: null };
  storePapers(store, [bare, paper('b', 5)]);
  const frozen = freezeAt(store, MONDAY_W48);
  assert.ok(frozen.status === 'created');
  // A later ingest refreshes upvotes and fills in links and a summary.
  const richer = {
    ...bare,
    upvotes: 1,
    links: { code: 'https://github.com/x/y' },
    aiSummary: 'Later summary.',
  };
  assert.deepEqual(storePapers(store, [richer, paper('b', 500)]), { new: 0, updated: 2 });
  const reread = store.editions.find('2026-W48');
  assert.deepEqual(reread, frozen.edition);
  assert.deepEqual(reread?.papers[0]?.paper.links, {});
  assert.equal(reread?.papers[0]?.paper.aiSummary, null);
  assert.equal(reread?.papers[0]?.paper.upvotes, 10);
  assert.deepEqual(
    reread?.papers.map((entry) => entry.paper.upvotes),
    [10, 5],
  );
});

test('--week picks the id; a past week made afterwards holds only its own papers', (t) => {
  const { store } = tempStore(t);
  storePapers(store, [paper('a', 1)]);
  const result = freezeEdition(store, '2026-W50', MONDAY_W48);
  assert.ok(result.status === 'created');
  assert.equal(result.edition.id, '2026-W50');
  // An undated paper goes to the newest edition only: not to a week before the latest one.
  storePapers(store, [paper('b', 1), dated('c', 1, '2026-11-30')]);
  const past = freezeEdition(store, '2026-W49', MONDAY_W49);
  assert.ok(past.status === 'created');
  assert.deepEqual(
    past.edition.papers.map((p) => p.paper.id),
    ['c'],
  );
  assert.equal(past.edition.previousId, null);
  assert.equal(planEdition(store, '2026-W51', MONDAY_W49).status, 'new', 'b waits for the next one');
});

test('planEdition shows the would-be edition without storing it', (t) => {
  const { store } = tempStore(t);
  assert.deepEqual(planEdition(store, '2026-W48', MONDAY_W48), { status: 'nothing-new', previousId: null });
  storePapers(store, [paper('a', 1), paper('b', 7)]);
  const plan = planEdition(store, '2026-W48', MONDAY_W48);
  assert.ok(plan.status === 'new');
  assert.equal(plan.edition.id, '2026-W48');
  assert.deepEqual(
    plan.edition.papers.map((p) => p.paper.id),
    ['b', 'a'],
  );
  assert.equal(store.editions.summaries().length, 0);
  const frozen = freezeAt(store, MONDAY_W48);
  assert.ok(frozen.status === 'created');
  assert.deepEqual(frozen.edition, plan.edition);
  assert.deepEqual(planEdition(store, '2026-W48', MONDAY_W48), {
    status: 'existing',
    edition: frozen.edition,
  });
});

test('listEditions counts ledger rows by status, newest edition first', (t) => {
  const { store } = tempStore(t);
  storePapers(store, [paper('a', 1)]);
  freezeAt(store, MONDAY_W48);
  storePapers(store, [paper('b', 1), paper('c', 1)]);
  freezeAt(store, MONDAY_W49);
  const emails = ['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org'];
  store.ledger.admit(
    '2026-W48',
    emails.map((email) => ({ email, messageId: `${email}-id` })),
  );
  store.ledger.recordSent('2026-W48', 'a@x.org', '250 ok');
  store.ledger.recordSent('2026-W48', 'b@x.org', '250 ok');
  store.ledger.recordFailed('2026-W48', 'c@x.org', { reason: '550 no', smtpCode: 550, enhancedCode: null });
  const summaries = store.editions.summaries();
  assert.deepEqual(
    summaries.map(({ createdAt: _, ...rest }) => rest),
    [
      { id: '2026-W49', paperCount: 2, sent: 0, failed: 0, pending: 0 },
      { id: '2026-W48', paperCount: 1, sent: 2, failed: 1, pending: 1 },
    ],
  );
});

test('two processes freezing at once make one edition', async (t) => {
  const { store, dir } = tempStore(t);
  storePapers(
    store,
    Array.from({ length: 50 }, (_, i) => paper(`p${i}`, i % 7)),
  );
  const dbPath = join(dir, 'paperwire.db');
  const child = fileURLToPath(new URL('./freeze-child.ts', import.meta.url));
  const startAt = Date.now() + 2500;
  const run = () =>
    new Promise<string>((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dbPath, String(startAt)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      proc.on('error', reject);
      proc.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}`))));
    });
  const results = (await Promise.all([run(), run()])).map((line) => JSON.parse(line) as string[]);
  assert.deepEqual(results.map((r) => r[0]).sort(), ['created', 'existing']);
  assert.equal(results[0]?.[1], results[1]?.[1], 'both see the same papers in the same order');
  const reopened = openStore(dbPath);
  t.after(() => reopened.close());
  assert.equal(reopened.editions.summaries().length, 1);
  assert.equal(reopened.editions.find('2026-W48')?.papers.length, 50);
});
