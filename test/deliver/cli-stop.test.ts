// `paperwire send` stopped with SIGTERM mid-send, then run again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { COUNT, editionOf, project, run, start, withStore } from './cli-helpers.ts';
import { ledgerRows } from './helpers.ts';

test('SIGTERM mid-send: in-flight messages finish, exit 1 with "stopped", the ledger matches, a resume finishes', async (t) => {
  const sink = await startSmtpSink({ acceptDelayMs: 40 });
  t.after(() => sink.close());
  const { cwd, env } = project(t, sink);

  const first = start(['send', '--yes'], cwd, env);
  await sink.waitForAccepted(25, 60_000);
  first.child.kill('SIGTERM');
  const stopped = await first.exited;
  assert.equal(stopped.code, 1, stopped.stderr);
  const match = /stopped: (\d+) left, run send again to resume/.exec(stopped.stdout);
  assert.ok(match, stopped.stdout);
  const left = Number(match[1]);

  const rows = withStore(cwd, env, (store) => [...ledgerRows(store, editionOf(store)).entries()]);
  const sent = rows.filter(([, row]) => row.status === 'sent');
  assert.equal(sent.length, sink.accepted.length, 'every accepted message is recorded, none more');
  assert.equal(left, COUNT - sent.length);
  assert.ok(
    rows.every(([, row]) => row.status === 'sent' || row.attempts === 0),
    'no attempt left unsettled',
  );
  const lock = withStore(cwd, env, (store) => store.leases.list());
  assert.deepEqual(lock, [], 'the lock is released');

  const resume = await run(['send', '--yes'], cwd, env);
  assert.equal(resume.status, 0, resume.stderr);
  for (const [email, count] of sink.countsByRecipient()) assert.equal(count, 1, email);
  assert.equal(sink.countsByRecipient().size, COUNT);
});
