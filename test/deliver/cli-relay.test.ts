// `paperwire send` and `status` (in-process) against a misbehaving relay: what the operator
// reads, the exit code, and that the next send (or `send --retry-failed`) finishes the job.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { COUNT, editionOf, project, withStore } from './cli-helpers.ts';

test('send: a login the relay wants fails nobody; exit 1 naming SMTP_URL, status shows it, the next send delivers all', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const { cwd, env } = project(t, sink);
  sink.hooks.mailFrom = () => ({ code: 530, message: '5.7.0 Authentication required' });

  const refused = await runCli(['send', '--yes'], { cwd, env });
  assert.equal(refused.status, 1, refused.stdout + refused.stderr);
  assert.match(refused.stdout, /failed 0, left to retry 120/);
  assert.match(refused.stdout, /stopped early: the SMTP server wants a login first: 530/);
  assert.match(refused.stdout, /hint: .*SMTP_URL/);
  const status = await runCli(['status'], { cwd, env });
  assert.match(status.stdout, /last error: the SMTP server wants a login first: 530 .*\(run #\d+ send/);
  // And what to do about it, as the send said.
  assert.match(status.stdout, /^last error: .*\n {2}hint: .*SMTP_URL/m);

  sink.hooks.mailFrom = undefined;
  const fixed = await runCli(['send', '--yes'], { cwd, env });
  assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, new RegExp(`sent ${COUNT}, `));
  assert.equal(sink.accepted.length, COUNT);
});

test('send: a refusal for everyone stops the run with the reply and a hint; nobody is failed, status shows it', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const { cwd, env } = project(t, sink);
  sink.hooks.data = () => ({ code: 554, message: '5.7.1 Message rejected by the content filter' });

  const result = await runCli(['send', '--yes'], { cwd, env });
  assert.equal(result.status, 1);
  assert.match(result.stdout, /failed 0, left to retry 120/);
  assert.match(
    result.stdout,
    /stopped early: the SMTP server gave the same answer to \d+ different recipients: 554 5\.7\.1/,
  );
  assert.match(result.stdout, /hint: .*nobody was marked failed/);
  withStore(cwd, env, (store) =>
    assert.deepEqual(store.ledger.counts(editionOf(store)), { pending: COUNT, sent: 0, failed: 0 }),
  );
  const status = await runCli(['status'], { cwd, env });
  assert.match(status.stdout, /last error: the SMTP server gave the same answer .*554 5\.7\.1/);
});

test('send: messages lost after the final "." are retried once and reported as maybe arrived', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const { cwd, env } = project(t, sink);
  sink.hooks.data = (message) =>
    ['s5@example.org', 's9@example.org'].includes(message.to[0]!) ? 'drop' : undefined;
  const result = await runCli(['send', '--yes'], { cwd, env });
  assert.equal(result.status, 1);
  assert.match(result.stdout, /left to retry 2/);
  assert.match(
    result.stdout,
    /2 may have arrived .*same Message-ID: s5@example\.org, s9@example\.org|2 may have arrived .*s9@example\.org, s5@example\.org/,
  );
  assert.equal(sink.dataAttempts('s5@example.org'), 2);
});

test('send --retry-failed puts an edition’s failed rows back to pending, says how many, and sends them', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const { cwd, env } = project(t, sink);
  const refused = new Set(['s1@example.org', 's4@example.org', 's7@example.org']);
  sink.hooks.rcpt = (address) =>
    refused.has(address) ? { code: 550, message: '5.7.1 policy: not today' } : undefined;
  const first = await runCli(['send', '--yes'], { cwd, env });
  assert.equal(first.status, 1);
  assert.match(first.stdout, /failed 3/);
  const again = await runCli(['send', '--yes'], { cwd, env });
  assert.match(again.stdout, /3 failed permanently/);

  sink.hooks.rcpt = undefined;
  const mixed = await runCli(['send', '--retry-failed', '--dry-run'], { cwd, env });
  assert.equal(mixed.status, 2, 'a usage error');
  const week = withStore(cwd, env, editionOf);
  const retried = await runCli(['send', '--retry-failed', '--week', week, '--yes'], { cwd, env });
  assert.equal(retried.status, 0, retried.stdout + retried.stderr);
  assert.match(
    retried.stdout,
    new RegExp(`put 3 permanently failed rows of edition ${week} back to pending`),
  );
  assert.match(retried.stdout, /sent 3, /);
  for (const email of refused) assert.equal(sink.receivedBy(email).length, 1, email);
  withStore(cwd, env, (store) =>
    assert.deepEqual(store.ledger.counts(week), { pending: 0, sent: COUNT, failed: 0 }),
  );
  const nothing = await runCli(['send', '--retry-failed', '--yes'], { cwd, env });
  assert.equal(nothing.status, 0);
  assert.match(nothing.stdout, /nothing to send: edition .* is already delivered/);
});
