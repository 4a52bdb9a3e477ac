// `paperwire backup FILE` while a real send runs in another process, and `paperwire
// restore FILE`: the copy is consistent and whole, and restored it replays the journal's
// later deliveries, so nobody gets the edition twice.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { isPaperwireError } from '../../src/errors.ts';
import { restoreDatabase } from '../../src/store/restore.ts';
import { runCli, startPaperwire } from '../helpers/cli.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { addEntries, waitFor, workspace } from '../schedule/helpers.ts';

const SUBSCRIBERS = 300;

test('backup during a running send is a consistent copy; restored, the journal completes it and nobody gets the edition twice', async (t) => {
  const ws = workspace(t, SUBSCRIBERS);
  const sink = await startSmtpSink({ acceptDelayMs: 15 });
  t.after(() => sink.close());
  addEntries(ws.inbox, 3);
  const env = ws.env({ SMTP_URL: sink.url, MAIL_FROM: 'Digest <digest@news.example.org>' });
  assert.equal((await runCli(['ingest'], { cwd: ws.dir, env })).status, 0);

  const send = startPaperwire(['send', '--yes'], { cwd: ws.dir, env });
  t.after(() => send.process.kill('SIGKILL'));
  await waitFor(() => sink.accepted.length >= 40, 60_000, 'the send to get going');
  const file = join(ws.dir, 'backups', 'paperwire.db');
  mkdirSync(join(ws.dir, 'backups'));
  const backup = await runCli(['backup', file], { cwd: ws.dir, env });
  assert.equal(backup.status, 0, backup.stderr);
  assert.match(
    backup.stdout,
    /backup of var\/paperwire\.db written to backups\/paperwire\.db \(\d+ KB, schema \d+, checked\)/,
  );
  const acceptedAtBackup = sink.accepted.length;
  const ended = await send.exited;
  assert.equal(ended.code, 0, ended.stderr);
  assert.ok(acceptedAtBackup < SUBSCRIBERS, 'the backup was taken mid-send');

  // The copy: one self-contained file, whole, taken at one moment of the send.
  assert.equal(existsSync(`${file}-wal`), false);
  const copy = new Database(file, { readonly: true });
  const check = copy.pragma('quick_check', { simple: true });
  const mode = copy.pragma('journal_mode', { simple: true });
  const rows = copy
    .prepare('SELECT status, COUNT(*) AS n FROM ledger GROUP BY status ORDER BY status')
    .all() as {
    status: string;
    n: number;
  }[];
  copy.close();
  assert.equal(check, 'ok');
  assert.equal(mode, 'delete');
  const sentInCopy = rows.find((row) => row.status === 'sent')?.n ?? 0;
  assert.equal(
    rows.reduce((sum, row) => sum + row.n, 0),
    SUBSCRIBERS,
    'every row admitted',
  );
  assert.ok(sentInCopy > 0 && sentInCopy < SUBSCRIBERS, `a mid-send copy (${sentInCopy} sent)`);

  // The database is lost; the backup comes back and the journal brings it up to date.
  const restore = await runCli(['restore', file], { cwd: ws.dir, env });
  assert.equal(restore.status, 0, restore.stderr);
  assert.match(restore.stdout, /restored var\/paperwire\.db from backups\/paperwire\.db/);
  assert.match(restore.stdout, /kept the file that was there as var\/paperwire\.db\.replaced-/);
  assert.match(restore.stdout, /replayed from the journal: 0 editions, \d+ deliveries/);
  const again = await runCli(['send', '--yes'], { cwd: ws.dir, env });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`already delivered: ${SUBSCRIBERS} sent`));
  assert.equal(sink.accepted.length, SUBSCRIBERS);
  assert.equal(new Set(sink.accepted.flatMap((message) => message.to)).size, SUBSCRIBERS);
});

test('restore refuses a file that is not a paperwire database, and takes FILE or --from-journal', async (t) => {
  const ws = workspace(t, 2);
  const env = ws.env();
  const notADatabase = join(ws.dir, 'subscribers.yaml');
  const refused = await runCli(['restore', notADatabase], { cwd: ws.dir, env });
  assert.equal(refused.status, 2);
  assert.match(
    refused.stderr,
    /the backup .*subscribers\.yaml cannot be restored: it cannot be read as a database/,
  );
  assert.equal((await runCli(['restore'], { cwd: ws.dir, env })).status, 2);
  const noJournal = await runCli(['restore', '--from-journal'], { cwd: ws.dir, env });
  assert.equal(noJournal.status, 2);
  assert.match(noJournal.stderr, /no journal at .*paperwire-journal\.jsonl/);
});

test('restore given the folder `backup FOLDER` wrote into refuses it (E_USAGE) and names the newest backup in it', async (t) => {
  const ws = workspace(t, 2);
  const env = ws.env();
  assert.equal((await runCli(['subscribers'], { cwd: ws.dir, env })).status, 0);
  const folder = join(ws.dir, 'backups');
  mkdirSync(folder);
  for (const at of ['2026-11-30T08:00:00Z', '2026-12-07T08:00:00Z']) {
    const made = await runCli(['backup', folder], { cwd: ws.dir, env, clock: () => new Date(at) });
    assert.equal(made.status, 0, made.stderr);
  }
  assert.throws(
    () => restoreDatabase(join(ws.dir, 'var', 'paperwire.db'), { backup: folder }, () => new Date()),
    (error: unknown) =>
      isPaperwireError(error, 'E_USAGE') &&
      (error.hint ?? '').includes(join(folder, 'paperwire-2026-12-07T08-00-00-000Z.db')),
  );
  assert.ok(existsSync(join(ws.dir, 'var', 'paperwire.db')), 'the database stays where it was');
});
