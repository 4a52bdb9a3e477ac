import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCatchUpDue } from '../../src/schedule/runs.ts';
import { tempStore } from '../helpers/store.ts';
import { seedRun } from './helpers.ts';

test('a run is recorded from start to finish with its summary', (t) => {
  const { store } = tempStore(t);
  const id = store.runs.start('run');
  assert.equal(store.runs.get(id)?.status, 'running');
  store.runs.finish(id, {
    status: 'problems',
    editionId: '2026-W48',
    summary: { sent: 3, failed: 1 },
    error: null,
  });
  const run = store.runs.get(id);
  assert.equal(run?.status, 'problems');
  assert.equal(run?.editionId, '2026-W48');
  assert.deepEqual(run?.summary, { sent: 3, failed: 1 });
  assert.ok(run?.finishedAt);
  assert.equal(store.runs.last()?.id, id);
  assert.equal(store.runs.lastWithError(), null);
  const failed = store.runs.start('scheduled');
  store.runs.finish(failed, { status: 'failed', error: 'templates/digest.mjml.hbs line 3: bad' });
  assert.equal(store.runs.lastWithError()?.id, failed);
});

test('runs left "running" by a dead process are marked abandoned', (t) => {
  const { store } = tempStore(t);
  const left = store.runs.start('scheduled');
  assert.equal(store.runs.abandonUnfinished(), 1);
  assert.equal(store.runs.get(left)?.status, 'abandoned');
  assert.ok(store.runs.get(left)?.error);
});

test('the last completed cycle ignores stopped, abandoned and resume runs', (t) => {
  const { store } = tempStore(t);
  assert.equal(store.runs.lastCompletedCycle(), null);
  seedRun(store.path, 'scheduled', '2026-11-16T08:00:00.000Z', 'ok');
  seedRun(store.path, 'run', '2026-11-20T10:00:00.000Z', 'failed');
  seedRun(store.path, 'scheduled', '2026-11-23T08:00:00.000Z', 'abandoned');
  seedRun(store.path, 'catch-up', '2026-11-23T09:00:00.000Z', 'stopped');
  seedRun(store.path, 'resume', '2026-11-23T10:00:00.000Z', 'ok');
  assert.equal(store.runs.lastCompletedCycle()?.startedAt, '2026-11-20T10:00:00.000Z');
});

test('catch-up is due when the edition the last scheduled time was due to send was not made', (t) => {
  const { store } = tempStore(t);
  const monday = new Date('2026-11-23T08:00:00Z');
  const due = (editionMade = false, anyEdition = true) =>
    isCatchUpDue({
      lastScheduled: monday,
      editionMade,
      anyEdition,
      lastCycle: store.runs.lastCompletedCycle(),
    });
  // Nothing on record at all: a new install waits for its first scheduled time.
  assert.equal(due(false, false), false);
  // An edition but no run on record (made by hand): the week's edition is missing, so it is due.
  assert.equal(due(false, true), true);
  seedRun(store.path, 'scheduled', '2026-11-16T08:00:01.000Z', 'ok');
  assert.equal(due(false, false), true);
  assert.equal(
    isCatchUpDue({ lastScheduled: null, editionMade: false, anyEdition: true, lastCycle: null }),
    false,
  );
  // The Monday run was killed: still due.
  seedRun(store.path, 'scheduled', '2026-11-23T08:00:00.000Z', 'abandoned');
  assert.equal(due(), true);
  // A run that failed afterwards does not make the edition: due again at the next start.
  seedRun(store.path, 'run', '2026-11-23T09:00:00.000Z', 'problems');
  assert.equal(due(), true);
  // A run by hand on Tuesday that ended well covers it, even if the week had nothing to send.
  seedRun(store.path, 'run', '2026-11-24T12:00:00.000Z', 'ok');
  assert.equal(due(), false);
  // The edition is made: never due, whatever the runs say.
  assert.equal(due(true), false);
});
