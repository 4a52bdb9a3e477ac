// `run` and `schedule` read the mailbox: before each delivery, and (schedule) every
// MAILBOX_EVERY; an unreachable mailbox is a warning, never a reason to skip delivery.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCycle } from '../../src/app/cycle.ts';
import { openStore } from '../../src/store/index.ts';
import { startDovecot } from '../helpers/dovecot.ts';
import { freePort } from '../helpers/net.ts';
import { testStore } from '../helpers/store.ts';
import { addEntries, memoryLog, schedulerOn, waitFor, workspace } from '../schedule/helpers.ts';
import { postfixDsn } from './messages.ts';

const WEEK_1 = new Date('2026-11-18T09:00:00Z'); // edition 2026-W46 (the last complete week)
const WEEK_2 = new Date('2026-11-25T09:00:00Z'); // edition 2026-W47

/** The Message-ID the ledger holds for (edition, email). */
function ledgerMessageId(dbPath: string, editionId: string, email: string): string {
  const store = openStore(dbPath);
  try {
    const row = store.ledger.records(editionId).find((record) => record.email === email);
    assert.ok(row && store.mailbox.deliveryByMessageId(row.messageId));
    return row.messageId;
  } finally {
    store.close();
  }
}

test('run reads the mailbox before delivering: an address that bounced last week is not mailed this week', async (t) => {
  const dovecot = await startDovecot(t, { users: ['papers'] });
  if (!dovecot) return;
  const ws = workspace(t, 3);
  const config = ws.config({ MAILBOX_URL: dovecot.url('papers') });
  const store = testStore(t, config);
  addEntries(ws.inbox, 3);
  const week1 = await runCycle({ store, config: config, log: memoryLog(), clock: () => WEEK_1 });
  assert.equal(week1.sent, 3);
  const edition = week1.editionId!;

  const gone = ws.emails[1]!;
  await dovecot.append(
    'papers',
    postfixDsn({
      messageId: ledgerMessageId(config.dbPath, edition, gone),
      to: gone,
      returnPath: 'paperwire@localhost',
      edition,
    }),
  );
  addEntries(ws.inbox, 2);
  const log = memoryLog();
  const week2 = await runCycle({ store, config: config, log: log, clock: () => WEEK_2 });
  assert.equal(store.suppressions.find(gone)?.via, 'bounce');
  assert.equal(week2.sent, 2);
  assert.equal(week2.skipped, 1, 'the bounced address is skipped in the same run');
  assert.ok(log.lines.some((line) => line.message === 'mailbox read' && line.fields.suppressed === 1));
});

test('an unreachable mailbox is a warning: the run delivers anyway', async (t) => {
  const ws = workspace(t, 2);
  const config = ws.config({ MAILBOX_URL: `imap://u:p@127.0.0.1:${await freePort()}/INBOX` });
  const store = testStore(t, config);
  addEntries(ws.inbox, 2);
  const log = memoryLog();
  const summary = await runCycle({ store, config: config, log: log, clock: () => WEEK_1 });
  assert.equal(summary.sent, 2);
  assert.equal(summary.exitCode, 0);
  const warning = log.lines.find(
    (line) => line.level === 'warn' && /could not read the mailbox/.test(line.message),
  );
  assert.ok(warning, JSON.stringify(log.lines));
  assert.match(warning.message, /ECONNREFUSED|connect/i);
});

test('schedule reads the mailbox every MAILBOX_EVERY between deliveries', async (t) => {
  const dovecot = await startDovecot(t, { users: ['papers'] });
  if (!dovecot) return;
  const ws = workspace(t, 2);
  const env = {
    MAILBOX_URL: dovecot.url('papers'),
    MAILBOX_EVERY: '1s',
    SCHEDULE: '0 8 1 1 *',
    SCHEDULE_CATCH_UP: 'false',
  };
  const config = ws.config(env);
  addEntries(ws.inbox, 2);
  const store = openStore(config.dbPath);
  const week1 = await runCycle({ store, config: config, log: memoryLog(), clock: () => WEEK_1 });
  const gone = ws.emails[0]!;
  const messageId = ledgerMessageId(config.dbPath, week1.editionId!, gone);
  store.close();

  const { scheduler } = await schedulerOn(t, config);
  await scheduler.ready;
  await dovecot.append(
    'papers',
    postfixDsn({ messageId, to: gone, returnPath: 'paperwire@localhost', edition: week1.editionId! }),
  );
  const check = openStore(config.dbPath);
  t.after(() => check.close());
  await waitFor(() => check.suppressions.find(gone) !== null, 15_000, 'the scheduler to read the mailbox');
  assert.equal(check.suppressions.find(gone)?.via, 'bounce');
  // The report is recorded (with its suppression) before it is moved: wait for the move too.
  const moved = async () => (await dovecot.messages('papers', 'paperwire/processed'))?.length ?? 0;
  await waitFor(async () => (await moved()) > 0, 15_000, 'the report to be moved to the done folder');
  assert.equal(await moved(), 1);
  assert.equal((await dovecot.messages('papers', 'INBOX'))?.length, 0, 'and gone from INBOX');
});
