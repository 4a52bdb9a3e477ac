// An edition is a week (issue 11): the papers featured in it, plus late arrivals for the
// newest edition, never a paper twice, never a paper of a later week; and the backlog of
// what waits and which weeks were skipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editionBacklog, freezeEdition, planEdition } from '../../src/edition/index.ts';
import { addWeeks, dayIn, weekDays, weekOfDay } from '../../src/week.ts';
import { dated, paper, storePapers, tempStore } from './helpers.ts';

const MONDAY_W49 = new Date('2026-11-30T08:00:00Z');
const MONDAY_W50 = new Date('2026-12-07T08:00:00Z');

const ids = (result: ReturnType<typeof freezeEdition>): string[] =>
  result.status === 'nothing-new' ? [] : result.edition.papers.map((entry) => entry.paper.id).sort();

test('week arithmetic: days of a week, weeks of days, across a 53-week year, in a zone', () => {
  assert.deepEqual(weekDays('2026-W48'), { from: '2026-11-23', to: '2026-11-29' });
  assert.deepEqual(weekDays('2026-W53'), { from: '2026-12-28', to: '2027-01-03' });
  assert.equal(weekOfDay('2027-01-03'), '2026-W53');
  assert.equal(addWeeks('2026-W52', 1), '2026-W53');
  assert.equal(addWeeks('2026-W53', 1), '2027-W01');
  assert.equal(addWeeks('2027-W01', -2), '2026-W52');
  // Sunday 19:00 UTC is already Monday morning in Auckland.
  const sundayEvening = new Date('2026-11-29T19:00:00Z');
  assert.equal(dayIn(sundayEvening, 'UTC'), '2026-11-29');
  assert.equal(dayIn(sundayEvening, 'Pacific/Auckland'), '2026-11-30');
});

test('an edition holds the papers featured in its week; a later week waits; an older one is not a first edition', (t) => {
  const { store } = tempStore(t);
  storePapers(store, [
    dated('friday-before', 90, '2026-11-20'), // W47: the Friday a week= answer also holds
    dated('mon', 5, '2026-11-23'),
    dated('sun', 7, '2026-11-29'),
    dated('next-mon', 99, '2026-11-30'), // W49
  ]);
  const w48 = freezeEdition(store, '2026-W48', MONDAY_W49);
  assert.deepEqual(ids(w48), ['mon', 'sun']);
  assert.ok(w48.status === 'created');
  assert.deepEqual(
    w48.edition.papers.map((entry) => entry.rank),
    [1, 2],
  );
  assert.deepEqual(editionBacklog(store, '2026-W48').waiting, [{ week: '2026-W49', papers: 1 }]);
  const w49 = freezeEdition(store, '2026-W49', MONDAY_W50);
  assert.deepEqual(ids(w49), ['next-mon'], 'the next edition holds only the next week');
  // The W47 paper came before the first edition: it is not a late arrival; --week 2026-W47 would hold it.
  const w47 = planEdition(store, '2026-W47', MONDAY_W50);
  assert.ok(w47.status === 'new');
  assert.deepEqual(
    w47.edition.papers.map((entry) => entry.paper.id),
    ['friday-before'],
  );
});

test('late arrivals: papers of covered weeks first stored since the previous edition, and undated ones, go to the next', (t) => {
  const { store } = tempStore(t);
  storePapers(store, [dated('a', 1, '2026-11-24')]);
  freezeEdition(store, '2026-W48', MONDAY_W49);
  storePapers(store, [
    dated('late-w48', 40, '2026-11-26'), // first seen after W48 was frozen
    dated('pick-2025', 3, '2025-06-01'), // an editor pick with an old date
    paper('undated', 8),
    dated('w49', 2, '2026-12-02'),
    dated('w50', 50, '2026-12-08'), // waits for its own week
  ]);
  // A paper of W48 seen again is not new; its count changes, its edition does not.
  storePapers(store, [dated('a', 500, '2026-11-24')]);
  const w49 = freezeEdition(store, '2026-W49', MONDAY_W50);
  assert.deepEqual(ids(w49), ['late-w48', 'pick-2025', 'undated', 'w49']);
  assert.ok(w49.status === 'created');
  assert.equal(w49.edition.previousId, '2026-W48');
  assert.equal(w49.edition.papers[0]?.paper.id, 'late-w48', 'ranked by upvotes');
  assert.deepEqual(editionBacklog(store, '2026-W49').waiting, [{ week: '2026-W50', papers: 1 }]);
  assert.equal(freezeEdition(store, '2026-W50', new Date('2026-12-14T08:00:00Z')).status, 'created');
  assert.deepEqual(editionBacklog(store, '2026-W50').waiting, []);
});

test('a skipped week keeps its papers for `--week`, is listed as missed, and is never taken by a later edition', (t) => {
  const { store } = tempStore(t);
  storePapers(store, [dated('w45', 1, '2026-11-03')]);
  freezeEdition(store, '2026-W45', new Date('2026-11-09T08:00:00Z'));
  // The job was off for W46 and W47; the papers were stored all the same.
  storePapers(store, [
    dated('w46', 1, '2026-11-10'),
    dated('w47', 1, '2026-11-17'),
    dated('w48', 1, '2026-11-24'),
  ]);
  assert.deepEqual(editionBacklog(store, '2026-W48').missed, [
    { week: '2026-W46', papers: 1 },
    { week: '2026-W47', papers: 1 },
  ]);
  const w48 = freezeEdition(store, '2026-W48', MONDAY_W49);
  assert.deepEqual(ids(w48), ['w48']);
  // Still listed once the edition after them is out.
  assert.equal(editionBacklog(store, '2026-W49').missed.length, 2);
  const w46 = freezeEdition(store, '2026-W46', MONDAY_W49);
  assert.deepEqual(ids(w46), ['w46']);
  assert.deepEqual(editionBacklog(store, '2026-W49').missed, [{ week: '2026-W47', papers: 1 }]);
  // Live sources could still fetch a skipped week with nothing stored: then it is listed too.
  freezeEdition(store, '2026-W47', MONDAY_W49);
  assert.deepEqual(editionBacklog(store, '2026-W51').missed, []);
  assert.deepEqual(editionBacklog(store, '2026-W51', true).missed, [
    { week: '2026-W49', papers: 0 },
    { week: '2026-W50', papers: 0 },
  ]);
  // Weeks before the first edition are not missed: they were before the newsletter.
  assert.ok(editionBacklog(store, '2026-W51', true).missed.every((entry) => entry.week > '2026-W45'));
});

test('no paper is in two editions, whatever order they are made in', (t) => {
  const { store } = tempStore(t);
  const papers = Array.from({ length: 30 }, (_, i) =>
    i % 3 === 0 ? paper(`u${i}`, i) : dated(`d${i}`, i, `2026-11-${String(16 + (i % 14)).padStart(2, '0')}`),
  );
  storePapers(store, papers);
  const seen = new Map<string, string>();
  for (const week of ['2026-W48', '2026-W47', '2026-W49', '2026-W48', '2026-W46']) {
    const result = freezeEdition(store, week, MONDAY_W50);
    if (result.status !== 'created') continue;
    for (const { paper: p } of result.edition.papers) {
      assert.equal(seen.get(p.id), undefined, `${p.id} in ${week} and ${seen.get(p.id)}`);
      seen.set(p.id, week);
    }
  }
  assert.equal(seen.size, 30, 'every paper found its edition');
  assert.equal(store.papers.waitingDays().length, 0);
});

test('deleting an edition lets its papers wait again', (t) => {
  const { store } = tempStore(t);
  storePapers(store, [dated('a', 1, '2026-11-24'), paper('b', 2)]);
  freezeEdition(store, '2026-W48', MONDAY_W49);
  storePapers(store, [dated('c', 3, '2026-12-01')]);
  freezeEdition(store, '2026-W49', MONDAY_W50);
  assert.equal(store.editions.find('2026-W49')?.previousId, '2026-W48');
  store.transaction(() => store.editions.remove('2026-W48'));
  assert.equal(store.editions.find('2026-W48'), null);
  assert.equal(store.editions.find('2026-W49')?.previousId, null);
  assert.deepEqual(store.papers.waitingDays(), [
    { day: '2026-11-24', papers: 1 },
    { day: null, papers: 1 },
  ]);
  assert.deepEqual(
    ids(freezeEdition(store, '2026-W48', MONDAY_W50)),
    ['a'],
    'undated b goes to the newest only',
  );
});
