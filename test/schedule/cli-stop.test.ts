// `paperwire schedule` as a service manager runs it: SIGTERM mid-delivery, then a restart.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import {
  addEntries,
  jsonLines,
  latestEditionId,
  ledgerCounts,
  paperwire,
  waitFor,
  workspace,
} from './helpers.ts';

test('SIGTERM mid-delivery: schedule exits 0 within 30 s; a restart finishes the edition, nothing sent twice', async (t) => {
  const ws = workspace(t, 8);
  const sink = await startSmtpSink({ acceptDelayMs: 400 });
  t.after(() => sink.close());
  addEntries(ws.inbox, 3);
  const env = ws.env({
    SCHEDULE: '* * * * * *',
    SMTP_URL: sink.url,
    MAIL_FROM: 'news@example.org',
    SMTP_MAX_CONNECTIONS: '1',
    LOG_FORMAT: 'json',
  });

  const first = paperwire(['schedule'], env, ws.dir);
  t.after(() => first.process.kill('SIGKILL'));
  await sink.waitForAccepted(2, 30_000);
  const termAt = Date.now();
  first.process.kill('SIGTERM');
  const end = await first.exited;
  assert.equal(end.code, 0, first.stderr());
  assert.ok(Date.now() - termAt < 30_000, 'stopped within 30 s');
  const logged = jsonLines(first.stderr());
  assert.ok(logged.some((line) => line.msg === 'scheduler started'));
  const finished = logged.find((line) => line.msg === 'run finished');
  assert.equal(finished?.status, 'stopped');
  const edition = latestEditionId(join(ws.stateDir, 'paperwire.db'));
  const afterStop = ledgerCounts(join(ws.stateDir, 'paperwire.db'), edition);
  assert.ok(afterStop.pending > 0, 'the stop left some subscribers pending');
  assert.equal(afterStop.sent, sink.accepted.length, 'the ledger matches what the server accepted');

  const second = paperwire(['schedule'], env, ws.dir);
  t.after(() => second.process.kill('SIGKILL'));
  await sink.waitForAccepted(8, 30_000);
  await waitFor(
    () => jsonLines(second.stderr()).some((line) => line.msg === 'run finished' && line.kind === 'resume'),
    20_000,
    'the resume to finish',
  );
  second.process.kill('SIGTERM');
  assert.equal((await second.exited).code, 0, second.stderr());
  for (const email of ws.emails) assert.equal(sink.receivedBy(email).length, 1, `${email} got it once`);
  assert.deepEqual(ledgerCounts(join(ws.stateDir, 'paperwire.db'), edition), {
    pending: 0,
    sent: 8,
    failed: 0,
  });
});
