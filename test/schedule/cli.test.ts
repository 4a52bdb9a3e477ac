// The weekly job as an operator runs it: `paperwire schedule`, `run` and `send` as
// child processes against a real SMTP server, stopped with SIGTERM and killed with SIGKILL.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { openLedger } from '../../src/store/ledger.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { addEntries, bin, repoRoot, waitFor, workspace } from './helpers.ts';

interface Child {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function paperwire(args: string[], env: Record<string, string>, cwd: string): Child {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

function jsonLines(text: string): { msg: string; [key: string]: unknown }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

function ledgerCounts(dbPath: string, editionId: string) {
  const store = openStore(dbPath);
  try {
    return openLedger(store).counts(editionId);
  } finally {
    store.close();
  }
}

function thisWeek(dbPath: string): string {
  const store = openStore(dbPath);
  try {
    return (store.db.prepare('SELECT id FROM editions ORDER BY rowid DESC LIMIT 1').get() as { id: string })
      .id;
  } finally {
    store.close();
  }
}

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
  const edition = thisWeek(join(ws.stateDir, 'paperwire.db'));
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
  const status = spawnSync(process.execPath, [bin, 'status', '--json'], {
    cwd: ws.dir,
    env,
    encoding: 'utf8',
  });
  const report = JSON.parse(status.stdout);
  assert.deepEqual(report.locks, [], 'no lock left behind');
  assert.equal(report.lastEdition.pending, 0);
});

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
  assert.match(waiting.stdout(), /nothing new since \d{4}-W\d\d: nothing sent/);
  scheduler.process.kill('SIGTERM');
  assert.equal((await scheduler.exited).code, 0, scheduler.stderr());
  for (const email of ws.emails) assert.equal(sink.receivedBy(email).length, 1, email);
});

test('npm start twice in a fresh state directory: the first delivers to the outbox, the second sends nothing', (t) => {
  const inbox = join(repoRoot, 'data', 'inbox');
  const samples = existsSync(inbox) ? readdirSync(inbox).filter((name) => !name.startsWith('.')) : [];
  assert.ok(samples.length > 0, 'data/inbox holds the bundled sample entries');
  const stateDir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const env = { PATH: process.env.PATH ?? '', STATE_DIR: stateDir };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

  const first = spawnSync(npm, ['start', '--silent'], { cwd: repoRoot, env, encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  const outbox = /^outbox: (.+) \((\d+) \.eml files?\)$/m.exec(first.stdout);
  assert.ok(outbox, first.stdout);
  assert.ok(Number(outbox[2]) > 0);
  const emlDir = join(stateDir, 'outbox', readdirSync(join(stateDir, 'outbox'))[0]!);
  assert.equal(readdirSync(emlDir).filter((name) => name.endsWith('.eml')).length, Number(outbox[2]));
  const preview = /^preview: (.+\.html)$/m.exec(first.stdout);
  assert.ok(preview && existsSync(preview[1]!), first.stdout);

  const second = spawnSync(npm, ['start', '--silent'], { cwd: repoRoot, env, encoding: 'utf8' });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /^nothing new since \d{4}-W\d\d: nothing sent$/m);
  assert.equal(readdirSync(emlDir).filter((name) => name.endsWith('.eml')).length, Number(outbox[2]));
});

test('an invalid SCHEDULE or SCHEDULE_TZ: schedule exits 2 at start naming the variable', (t) => {
  const ws = workspace(t, 1);
  for (const [name, value] of [
    ['SCHEDULE', '0 8 * *'],
    ['SCHEDULE', '0 8 * * 8'],
    ['SCHEDULE_TZ', 'Mars/Olympus'],
  ] as const) {
    const result = spawnSync(process.execPath, [bin, 'schedule'], {
      cwd: ws.dir,
      env: ws.env({ [name]: value }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 2, `${name}=${value}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^paperwire: ${name}=`, 'm'));
    assert.match(result.stderr, /hint:/);
  }
});
