// `paperwire send` killed with SIGKILL mid-send, then run again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { COUNT, editionOf, project, run, start, withStore } from './cli-helpers.ts';
import { ledgerRows, makeSubscribers } from './helpers.ts';

test('SIGKILL mid-send, then send again: everyone gets it once; only messages in flight may repeat, same Message-ID', async (t) => {
  const sink = await startSmtpSink({ acceptDelayMs: 40 });
  t.after(() => sink.close());
  const { cwd, env } = project(t, sink);

  const first = start(['send', '--yes'], cwd, env);
  await sink.waitForAccepted(25, 60_000);
  first.child.kill('SIGKILL');
  const killed = await first.exited;
  assert.equal(killed.signal, 'SIGKILL');
  const acceptedBeforeResume = sink.accepted.length;
  assert.ok(acceptedBeforeResume < COUNT, 'the kill landed mid-send');

  // What the ledger says at the kill: sent rows, and rows whose attempt was counted but not settled.
  const { inFlight, sentAtKill, editionId } = withStore(cwd, env, (store) => {
    const editionId = editionOf(store);
    const rows = [...ledgerRows(store, editionId).entries()];
    return {
      editionId,
      inFlight: new Set(
        rows.filter(([, row]) => row.status === 'pending' && row.attempts > 0).map(([email]) => email),
      ),
      sentAtKill: new Set(rows.filter(([, row]) => row.status === 'sent').map(([email]) => email)),
    };
  });
  assert.equal(
    withStore(cwd, env, (store) => ledgerRows(store, editionId).size),
    COUNT,
    'everyone was admitted',
  );
  for (const message of sink.accepted) {
    const email = message.to[0]!;
    assert.ok(
      sentAtKill.has(email) || inFlight.has(email),
      `${email} accepted but neither sent nor in flight`,
    );
  }
  assert.ok(inFlight.size <= 2 * 2, `at most 2 × SMTP_MAX_CONNECTIONS in flight, saw ${inFlight.size}`);

  const resume = await run(['send', '--yes'], cwd, env);
  assert.equal(resume.status, 0, resume.stderr);
  assert.match(resume.stdout, /left to retry 0/);

  const counts = sink.countsByRecipient();
  for (const { email } of makeSubscribers(COUNT)) {
    const copies = sink.receivedBy(email);
    assert.ok(copies.length >= 1, `${email} never received`);
    if (copies.length > 1) {
      assert.equal(copies.length, 2, email);
      assert.ok(inFlight.has(email), `${email} received twice but was not in flight at the kill`);
      assert.equal(copies[0]?.messageId, copies[1]?.messageId, 'a repeat carries the same Message-ID');
    }
  }
  assert.equal(counts.size, COUNT);
  const rows = withStore(cwd, env, (store) => [...ledgerRows(store, editionId).values()]);
  assert.ok(rows.every((row) => row.status === 'sent'));
});
