import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CycleSummary, runCycle } from '../../src/app/cycle.ts';
import { collectStatus } from '../../src/app/status.ts';
import { formatStatus } from '../../src/cli/present/status.ts';
import { isPaperwireError } from '../../src/errors.ts';
import type { Store } from '../../src/store/index.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { testStore } from '../helpers/store.ts';
import { addEntries, memoryLog, schedulerOn, seedRun, waitFor, workspace } from './helpers.ts';

const EVERY_SECOND = '* * * * * *';

function runs(store: Store) {
  return store.runs.list();
}

/** Asserts no two runs overlapped in time. */
function assertNoOverlap(rows: ReturnType<typeof runs>): void {
  for (let i = 1; i < rows.length; i++) {
    const before = rows[i - 1]!;
    assert.ok(before.finishedAt, `run ${i} finished`);
    assert.ok(rows[i]!.startedAt >= before.finishedAt!, `run ${i + 1} started after run ${i} finished`);
  }
}

/** Records an ok run of `kind` at `startedAt`, through a store whose clock says so. */
test('two ticks deliver two editions, one after the other', async (t) => {
  const ws = workspace(t, 3);
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  addEntries(ws.inbox, 2);
  const config = ws.config({ SCHEDULE: EVERY_SECOND, SMTP_URL: sink.url, MAIL_FROM: 'news@example.org' });
  let clock = new Date('2026-11-30T09:00:00Z'); // 2026-W49: the edition due is 2026-W48's
  const cycles: CycleSummary[] = [];
  const log = memoryLog();
  const { scheduler, store } = await schedulerOn(t, config, {
    log,
    clock: () => clock,
    onCycle: (summary) => cycles.push(summary),
  });
  await waitFor(() => cycles.some((c) => c.editionId === '2026-W48' && c.sent === 3), 20_000, 'edition W48');
  clock = new Date('2026-12-07T09:00:00Z'); // 2026-W50: 2026-W49's is due
  addEntries(ws.inbox, 3);
  await waitFor(() => cycles.some((c) => c.editionId === '2026-W49' && c.sent === 3), 20_000, 'edition W49');
  await scheduler.stop();

  assert.ok(cycles.every((c) => c.kind === 'scheduled'));
  for (const email of ws.emails) {
    const received = sink.receivedBy(email);
    assert.equal(received.length, 2, `${email} got each edition once`);
    assert.notEqual(received[0]?.messageId, received[1]?.messageId);
  }
  assertNoOverlap(runs(store));
  assert.ok(log.lines.some((line) => line.message === 'scheduler started'));
  assert.ok(
    log.lines.filter((line) => line.message === 'next run').length >= 3,
    'next run logged at start and after runs',
  );
});

test('a tick while a slow run is going is skipped and logged', async (t) => {
  const ws = workspace(t, 4);
  const sink = await startSmtpSink({ acceptDelayMs: 800 });
  t.after(() => sink.close());
  addEntries(ws.inbox, 2);
  const config = ws.config({
    SCHEDULE: EVERY_SECOND,
    SMTP_URL: sink.url,
    MAIL_FROM: 'news@example.org',
    SMTP_MAX_CONNECTIONS: '1',
  });
  const cycles: CycleSummary[] = [];
  const log = memoryLog();
  const { scheduler, store } = await schedulerOn(t, config, {
    log,
    clock: () => new Date('2026-11-23T09:00:00Z'),
    onCycle: (summary) => cycles.push(summary),
  });
  await waitFor(() => cycles.some((c) => c.sent === 4), 30_000, 'the slow delivery');
  await scheduler.stop();

  assert.ok(
    log.lines.some((line) => line.level === 'warn' && line.message === 'skipped: previous run still going'),
    'a skipped tick is logged',
  );
  for (const email of ws.emails) assert.equal(sink.receivedBy(email).length, 1, email);
  assertNoOverlap(runs(store));
});

test('catch-up: a scheduled time that passed without a run is run at start, unless turned off', async (t) => {
  // A daily schedule whose time was an hour ago; the last run was two hours ago.
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  const schedule = `${hourAgo.getUTCMinutes()} ${hourAgo.getUTCHours()} * * *`;
  for (const catchUp of ['true', 'false']) {
    const ws = workspace(t, 2);
    const sink = await startSmtpSink();
    t.after(() => sink.close());
    addEntries(ws.inbox, 2);
    const config = ws.config({
      SCHEDULE: schedule,
      SCHEDULE_CATCH_UP: catchUp,
      SMTP_URL: sink.url,
      MAIL_FROM: 'news@example.org',
    });
    seedRun(config.dbPath, 'scheduled', new Date(Date.now() - 2 * 60 * 60 * 1000));

    const log = memoryLog();
    const { scheduler, store } = await schedulerOn(t, config, { log });
    await scheduler.ready;
    await scheduler.stop();
    const kinds = runs(store).map((run) => run.kind);
    if (catchUp === 'true') {
      assert.deepEqual(kinds, ['scheduled', 'catch-up']);
      assert.equal(sink.accepted.length, 2, 'the catch-up run delivered');
    } else {
      assert.deepEqual(kinds, ['scheduled'], 'no catch-up with SCHEDULE_CATCH_UP=false');
      assert.equal(sink.accepted.length, 0);
      assert.ok(log.lines.some((line) => line.message.includes('SCHEDULE_CATCH_UP=false')));
    }
  }
});

test('no catch-up when a run happened after the last scheduled time', async (t) => {
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  const ws = workspace(t, 1);
  addEntries(ws.inbox, 1);
  const config = ws.config({ SCHEDULE: `${hourAgo.getUTCMinutes()} ${hourAgo.getUTCHours()} * * *` });
  seedRun(config.dbPath, 'run', new Date(Date.now() - 30 * 60 * 1000));
  const { scheduler, store } = await schedulerOn(t, config);
  await scheduler.ready;
  await scheduler.stop();
  assert.deepEqual(
    runs(store).map((run) => run.kind),
    ['run'],
  );
});

test('an edition left half-delivered is finished at start, nobody twice', async (t) => {
  const ws = workspace(t, 6);
  const sink = await startSmtpSink({ acceptDelayMs: 150 });
  t.after(() => sink.close());
  addEntries(ws.inbox, 2);
  const config = ws.config({
    SCHEDULE: '0 8 1 1 *',
    SCHEDULE_CATCH_UP: 'false',
    SMTP_URL: sink.url,
    MAIL_FROM: 'news@example.org',
    SMTP_MAX_CONNECTIONS: '1',
  });
  const store = testStore(t, config);
  const controller = new AbortController();
  sink.waitForAccepted(2).then(() => controller.abort());
  const stopped = await runCycle(
    { store, config, log: memoryLog(), clock: () => new Date() },
    { signal: controller.signal },
  );
  assert.ok(stopped.pending > 0);

  const log = memoryLog();
  const { scheduler } = await schedulerOn(t, config, { log });
  await scheduler.ready;
  await scheduler.stop();
  assert.equal(store.ledger.counts(stopped.editionId!).pending, 0);
  for (const email of ws.emails) assert.equal(sink.receivedBy(email).length, 1, email);
  assert.ok(log.lines.some((line) => line.message.includes('half-delivered')));
});

test('an invalid SCHEDULE or SCHEDULE_TZ stops the scheduler at start with E_CONFIG', async (t) => {
  const ws = workspace(t, 1);
  const cases: Record<string, string>[] = [{ SCHEDULE: '0 8 * *' }, { SCHEDULE_TZ: 'Mars/Olympus' }];
  for (const extra of cases) {
    await assert.rejects(
      schedulerOn(t, ws.config(extra)),
      (error: unknown) =>
        isPaperwireError(error, 'E_CONFIG') && error.message.startsWith(Object.keys(extra)[0]!),
    );
  }
});

test('one scheduler per STATE_DIR: a second refuses with E_LOCKED; status shows the running one, then its last run', async (t) => {
  const ws = workspace(t, 1);
  addEntries(ws.inbox, 1);
  const config = ws.config({ SCHEDULE: EVERY_SECOND });
  const cycles: CycleSummary[] = [];
  const { scheduler, store } = await schedulerOn(t, config, { onCycle: (summary) => cycles.push(summary) });
  await assert.rejects(schedulerOn(t, config), (error: unknown) => isPaperwireError(error, 'E_LOCKED'));

  const running = collectStatus(config, store, new Date());
  assert.equal(running.scheduler.running, true);
  assert.equal(running.scheduler.process?.pid, process.pid);
  assert.ok(running.scheduler.process?.lastBeat, 'the lease carries a heartbeat');
  assert.match(
    formatStatus(running, ws.dir).join('\n'),
    new RegExp(`^scheduler: running \\(pid ${process.pid} `, 'm'),
  );

  await waitFor(() => cycles.length > 0, 20_000, 'a scheduled run');
  await scheduler.stop();
  const stopped = collectStatus(config, store, new Date());
  assert.equal(stopped.scheduler.running, false);
  assert.equal(stopped.scheduler.process, null, 'a clean stop gives the lease back');
  assert.equal(stopped.scheduler.lastRunAt, store.runs.list().at(-1)?.startedAt);
  assert.match(formatStatus(stopped, ws.dir).join('\n'), /^scheduler: not running .*last scheduled run 20/m);
});
