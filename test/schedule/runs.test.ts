import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  abandonUnfinishedRuns,
  finishRun,
  getRun,
  isCatchUpDue,
  lastCompletedCycle,
  lastRun,
  lastRunWithError,
  startRun,
} from '../../src/schedule/runs.ts';
import { openStore, type Store } from '../../src/store/index.ts';

function tempStore(t: { after: (fn: () => void) => void }): Store {
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  const store = openStore(join(dir, 'paperwire.db'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

function seedRun(store: Store, kind: string, startedAt: string, status: string): void {
  store.db
    .prepare('INSERT INTO runs (kind, started_at, finished_at, status) VALUES (?, ?, ?, ?)')
    .run(kind, startedAt, startedAt, status);
}

test('a run is recorded from start to finish with its summary', (t) => {
  const store = tempStore(t);
  const id = startRun(store, 'run');
  assert.equal(getRun(store, id)?.status, 'running');
  finishRun(store, id, {
    status: 'problems',
    editionId: '2026-W48',
    summary: { sent: 3, failed: 1 },
    error: null,
  });
  const run = getRun(store, id);
  assert.equal(run?.status, 'problems');
  assert.equal(run?.editionId, '2026-W48');
  assert.deepEqual(run?.summary, { sent: 3, failed: 1 });
  assert.ok(run?.finishedAt);
  assert.equal(lastRun(store)?.id, id);
  assert.equal(lastRunWithError(store), null);
  const failed = startRun(store, 'scheduled');
  finishRun(store, failed, { status: 'failed', error: 'templates/digest.mjml.hbs line 3: bad' });
  assert.equal(lastRunWithError(store)?.id, failed);
});

test('runs left "running" by a dead process are marked abandoned', (t) => {
  const store = tempStore(t);
  const left = startRun(store, 'scheduled');
  assert.equal(abandonUnfinishedRuns(store), 1);
  assert.equal(getRun(store, left)?.status, 'abandoned');
  assert.ok(getRun(store, left)?.error);
});

test('the last completed cycle ignores stopped, abandoned and resume runs', (t) => {
  const store = tempStore(t);
  assert.equal(lastCompletedCycle(store), null);
  seedRun(store, 'scheduled', '2026-11-16T08:00:00.000Z', 'ok');
  seedRun(store, 'run', '2026-11-20T10:00:00.000Z', 'failed');
  seedRun(store, 'scheduled', '2026-11-23T08:00:00.000Z', 'abandoned');
  seedRun(store, 'catch-up', '2026-11-23T09:00:00.000Z', 'stopped');
  seedRun(store, 'resume', '2026-11-23T10:00:00.000Z', 'ok');
  assert.equal(lastCompletedCycle(store)?.startedAt, '2026-11-20T10:00:00.000Z');
});

test('catch-up is due when the last scheduled time passed with no cycle since', (t) => {
  const store = tempStore(t);
  const monday = new Date('2026-11-23T08:00:00Z');
  // No run on record at all: a new install waits for its first scheduled time.
  assert.equal(isCatchUpDue(monday, lastCompletedCycle(store)), false);
  seedRun(store, 'scheduled', '2026-11-16T08:00:01.000Z', 'ok');
  assert.equal(isCatchUpDue(monday, lastCompletedCycle(store)), true);
  assert.equal(isCatchUpDue(null, lastCompletedCycle(store)), false);
  // The Monday run was killed: still due.
  seedRun(store, 'scheduled', '2026-11-23T08:00:00.000Z', 'abandoned');
  assert.equal(isCatchUpDue(monday, lastCompletedCycle(store)), true);
  // A run by hand on Tuesday covers it.
  seedRun(store, 'run', '2026-11-24T12:00:00.000Z', 'ok');
  assert.equal(isCatchUpDue(monday, lastCompletedCycle(store)), false);
});
