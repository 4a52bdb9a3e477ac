// Runs and sends started by hand beside the scheduler: refused with E_LOCKED, or waiting with --wait.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { addEntries, paperwire, waitFor, workspace } from './helpers.ts';

test('a run or send by hand while the scheduler delivers refuses with E_LOCKED; run --wait waits for it', async (t) => {
  const ws = workspace(t, 4);
  // The server holds every message until the test opens the gate: the scheduled delivery is surely going.
  let openGate = (): void => {};
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  const sink = await startSmtpSink({ hooks: { data: () => gate.then(() => undefined) } });
  t.after(() => sink.close());
  t.after(openGate);
  addEntries(ws.inbox, 2);
  const env = ws.env({ SCHEDULE: '* * * * * *', SMTP_URL: sink.url, MAIL_FROM: 'news@example.org' });
  const scheduler = paperwire(['schedule'], env, ws.dir);
  t.after(() => scheduler.process.kill('SIGKILL'));
  await waitFor(
    () => ws.emails.some((email) => sink.dataAttempts(email) > 0),
    30_000,
    'the delivery to start',
  );

  const waiting = paperwire(['run', '--wait', '60'], env, ws.dir);
  t.after(() => waiting.process.kill('SIGKILL'));
  for (const args of [['run'], ['send', '--yes']]) {
    const refused = paperwire(args, env, ws.dir);
    t.after(() => refused.process.kill('SIGKILL'));
    assert.equal((await refused.exited).code, 1, `${args[0]}: ${refused.stderr()}`);
    assert.match(refused.stderr(), /already running \(pid \d+/, args[0]);
    assert.match(refused.stderr(), /hint:/, args[0]);
  }
  await waitFor(() => waiting.stderr().includes('waiting for'), 30_000, 'run --wait to wait');
  openGate();
  const end = await waiting.exited;
  assert.equal(end.code, 0, waiting.stderr());
  assert.match(waiting.stdout(), /nothing sent: edition \d{4}-W\d\d is already delivered/);
  scheduler.process.kill('SIGTERM');
  assert.equal((await scheduler.exited).code, 0, scheduler.stderr());
  for (const email of ws.emails) assert.equal(sink.receivedBy(email).length, 1, email);
});
