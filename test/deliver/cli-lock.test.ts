// `paperwire send` run twice at once, with no server, and without MAIL_FROM.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { COUNT, editionOf, project, run, start, withStore } from './cli-helpers.ts';
import { ledgerRows, runCli } from './helpers.ts';

test('a second send while the first runs refuses with E_LOCKED (exit 1) and a clear message', async (t) => {
  const sink = await startSmtpSink({ acceptDelayMs: 40 });
  t.after(() => sink.close());
  const { cwd, env } = project(t, sink);

  const first = start(['send', '--yes'], cwd, env);
  await sink.waitForAccepted(5, 60_000);
  const second = await run(['send', '--yes'], cwd, env);
  assert.equal(second.status, 1);
  assert.match(second.stderr, /a delivery \(paperwire send, run or schedule\) is already running \(pid \d+/);
  assert.match(second.stderr, /hint:/);

  const done = await first.exited;
  assert.equal(done.code, 0, done.stderr);
  for (const [email, count] of sink.countsByRecipient()) assert.equal(count, 1, email);
});

test('with the SMTP server down for the whole run: every row pending, "left to retry", exit 1', async (t) => {
  const sink = await startSmtpSink();
  const port = sink.port;
  await sink.close();
  const { cwd, env } = project(t, null, port);
  const result = await runCli(['send', '--yes'], { cwd, env });
  assert.equal(result.status, 1, result.stderr);
  assert.match(
    result.stdout,
    new RegExp(`sent 0, skipped 0 \\(suppressed or already sent\\), failed 0, left to retry ${COUNT}`),
  );
  assert.match(result.stdout, /stopped early: .*hint: /s);
  const rows = withStore(cwd, env, (store) => [...ledgerRows(store, editionOf(store)).values()]);
  assert.equal(rows.length, COUNT);
  assert.ok(rows.every((row) => row.status === 'pending'));
});

test('SMTP_URL without MAIL_FROM is a configuration error (exit 2) before anything is written', async (t) => {
  const { cwd, env } = project(t, null, 25);
  const { MAIL_FROM: _unused, ...noFrom } = env;
  const result = await runCli(['send', '--yes'], { cwd, env: noFrom });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /MAIL_FROM/);
  assert.deepEqual(
    withStore(cwd, env, (store) => store.editions.summaries()),
    [],
  );
});

test('off a terminal, a send to more than 50 subscribers goes ahead without asking', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const { cwd, env } = project(t, sink);
  // No --yes, and stdin/stdout are pipes: a prompt would hang this child until the test times out.
  const result = await run(['send'], cwd, env);
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stdout + result.stderr, /\[y\/N\]/);
  assert.equal(sink.countsByRecipient().size, COUNT);
});
