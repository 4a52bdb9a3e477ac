// A run killed with SIGKILL mid-send: the next run takes its lock over and finishes the edition.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPaperwire } from '../helpers/cli.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { addEntries, paperwire, workspace } from './helpers.ts';

test('the lock of a run killed with SIGKILL is recovered by the next run', async (t) => {
  const ws = workspace(t, 8);
  const sink = await startSmtpSink({ acceptDelayMs: 300 });
  t.after(() => sink.close());
  addEntries(ws.inbox, 2);
  const env = ws.env({ SMTP_URL: sink.url, MAIL_FROM: 'news@example.org', SMTP_MAX_CONNECTIONS: '1' });

  const killed = paperwire(['run'], env, ws.dir);
  t.after(() => killed.process.kill('SIGKILL'));
  await sink.waitForAccepted(2, 30_000);
  killed.process.kill('SIGKILL');
  assert.equal((await killed.exited).signal, 'SIGKILL');
  const acceptedBefore = sink.accepted.length;

  const next = paperwire(['run'], env, ws.dir);
  t.after(() => next.process.kill('SIGKILL'));
  const end = await next.exited;
  assert.equal(end.code, 0, next.stderr());
  assert.match(next.stderr(), /ended without finishing/);
  for (const email of ws.emails) assert.ok(sink.receivedBy(email).length >= 1, `${email} got it`);
  // Only a message in flight at the kill may arrive twice (same Message-ID): at most one per worker.
  const twice = [...sink.countsByRecipient().values()].filter((count) => count > 1).length;
  assert.ok(twice <= 2, `${twice} subscribers got it twice`);
  assert.ok(sink.accepted.length >= acceptedBefore);
  const status = runPaperwire(['status', '--json'], { cwd: ws.dir, env });
  const report = JSON.parse(status.stdout);
  assert.deepEqual(report.locks, [], 'no lock left behind');
  assert.equal(report.lastEdition.pending, 0);
});
