// When the disk misbehaves: a state folder on a real tmpfs that fills up mid-send or is
// remounted read-only, and a database file with damaged pages. Each is E_STORE naming the
// file and the cause in words, never "this is a bug"; nothing is lost, and nothing is sent
// twice except the messages in flight when the disk gave out (with the same Message-ID).
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sendEdition } from '../../src/app/send.ts';
import { silentLogger } from '../../src/log.ts';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/index.ts';
import { openStore } from '../../src/store/index.ts';
import { runCli, startPaperwire } from '../helpers/cli.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { testStore } from '../helpers/store.ts';
import { mountTmpfs } from '../helpers/tmpfs.ts';
import { addEntries, workspace } from '../schedule/helpers.ts';

const MAIL_FROM = 'Digest <digest@news.example.org>';
// A Monday run sends the week before it: 2026-W48, then 2026-W49.
const MONDAY = new Date('2026-11-30T08:00:00Z');
const NEXT_MONDAY = new Date('2026-12-07T08:00:00Z');

/** Fills the file system of `dir` to the last byte. */
function fillDisk(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
      for (;;) {
        try {
          writeSync(fd, chunk, 0, size);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

test('a disk that fills up during a send: E_STORE "the disk is full" naming the file; with space again the send completes, only in-flight messages twice', async (t) => {
  const disk = mountTmpfs(t, '2m');
  if (!disk) return;
  const ws = workspace(t, 200);
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  addEntries(ws.inbox, 3);
  const env = ws.env({ STATE_DIR: disk.dir, SMTP_URL: sink.url, MAIL_FROM });
  assert.equal((await runCli(['ingest'], { cwd: ws.dir, env })).status, 0);

  // Every accepted message grows the write-ahead log: 2 MB run out after some dozens.
  const full = await startPaperwire(['send', '--yes'], { cwd: ws.dir, env }).exited;
  assert.equal(full.code, 2, full.stdout + full.stderr);
  assert.match(full.stderr, new RegExp(`paperwire: ${disk.dir}/paperwire[^:]*: the disk is full`));
  assert.match(full.stderr, /hint: Free some space/);
  assert.doesNotMatch(full.stderr, /this is a bug|unexpected error/);
  const beforeSpace = sink.accepted.length;
  assert.ok(beforeSpace > 0 && beforeSpace < 200, `the disk filled mid-send (${beforeSpace} accepted)`);

  disk.remount('size=64m');
  const resumed = await startPaperwire(['send', '--yes'], { cwd: ws.dir, env }).exited;
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  const twice: string[] = [];
  for (const email of ws.emails) {
    const copies = sink.receivedBy(email);
    assert.ok(copies.length >= 1, `${email} got the edition`);
    if (copies.length > 1) {
      twice.push(email);
      assert.equal(new Set(copies.map((copy) => copy.messageId)).size, 1, 'a repeat has the same Message-ID');
    }
  }
  // At most the messages in flight when the disk gave out (2 × SMTP_MAX_CONNECTIONS workers).
  assert.ok(twice.length <= 10, `${twice.length} sent twice`);
  const store = openStore(join(disk.dir, 'paperwire.db'));
  t.after(() => store.close());
  const edition = store.editions.summaries()[0]!;
  assert.deepEqual(
    { sent: edition.sent, pending: edition.pending, failed: edition.failed },
    { sent: 200, pending: 0, failed: 0 },
  );
});

test('the lease release never hides the first error (the disk full by then too)', async (t) => {
  const disk = mountTmpfs(t, '2m');
  if (!disk) return;
  const ws = workspace(t, 60);
  addEntries(ws.inbox, 3);
  const config = ws.config({ STATE_DIR: disk.dir, TEMPLATES_DIR: DEFAULT_TEMPLATES_DIR });
  assert.equal((await runCli(['ingest'], { cwd: ws.dir, env: ws.env({ STATE_DIR: disk.dir }) })).status, 0);
  const store = testStore(t, config);
  const gone = new Error('the operator closed the terminal');
  await assert.rejects(
    sendEdition(
      { store, config, clock: () => MONDAY, log: silentLogger },
      {
        // Asked once the send lease is held: the disk fills, then the question fails.
        confirm: async () => {
          fillDisk(disk.dir);
          throw gone;
        },
      },
    ),
    (error: unknown) => error === gone,
  );
});

test('a read-only state folder: E_STORE "read-only" naming the folder; writable again, the run goes on and sends nothing twice', async (t) => {
  const disk = mountTmpfs(t, '16m');
  if (!disk) return;
  const ws = workspace(t, 5);
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  addEntries(ws.inbox, 3);
  const env = ws.env({ STATE_DIR: disk.dir, SMTP_URL: sink.url, MAIL_FROM });
  assert.equal((await runCli(['run'], { cwd: ws.dir, env, clock: () => MONDAY })).status, 0);
  assert.equal(sink.accepted.length, 5);

  addEntries(ws.inbox, 2);
  disk.remount('ro');
  for (const command of [['run'], ['send', '--yes'], ['unsubscribe', 's1@example.org']]) {
    const refused = await runCli(command, { cwd: ws.dir, env, clock: () => NEXT_MONDAY });
    assert.equal(refused.status, 2, `${command[0]}: ${refused.stdout}${refused.stderr}`);
    assert.match(refused.stderr, new RegExp(`${disk.dir}/paperwire[^:]*: the state folder is read-only`));
    assert.match(refused.stderr, /hint: Make STATE_DIR writable/);
    assert.doesNotMatch(refused.stderr, /this is a bug|unexpected error/);
  }
  assert.equal(sink.accepted.length, 5);

  disk.remount('rw');
  const next = await runCli(['run'], { cwd: ws.dir, env, clock: () => NEXT_MONDAY });
  assert.equal(next.status, 0, next.stderr);
  assert.match(next.stdout, /edition 2026-W49: sent 5,/);
  for (const email of ws.emails)
    assert.equal(sink.receivedBy(email).length, 2, `${email}: one of each edition`);
});

test('a database with damaged pages: E_STORE "damaged: restore a backup"; restored, nothing is sent twice', async (t) => {
  const ws = workspace(t, 5);
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  addEntries(ws.inbox, 30);
  const env = ws.env({ SMTP_URL: sink.url, MAIL_FROM });
  const at = { cwd: ws.dir, env, clock: () => MONDAY };
  assert.equal((await runCli(['run'], at)).status, 0);
  // The run closed the database: the file alone is whole, and a copy of it is a backup.
  const db = join(ws.stateDir, 'paperwire.db');
  const backup = join(ws.dir, 'good.db');
  copyFileSync(db, backup);

  // Garbage over every page but the first (the header and the schema), as a failing disk leaves it.
  const damaged = join(ws.dir, 'damaged.db');
  copyFileSync(db, damaged);
  const { size } = statSync(damaged);
  const page = 16 * 1024;
  assert.ok(size >= 3 * page, `a real database of several pages (${size} bytes)`);
  const fd = openSync(damaged, 'r+');
  const garbage = Buffer.alloc(size - page);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) % 251;
  writeSync(fd, garbage, 0, garbage.length, page);
  closeSync(fd);
  copyFileSync(damaged, db);

  for (const command of [['send', '--yes'], ['subscribers'], ['editions']]) {
    const refused = await runCli(command, at);
    assert.equal(refused.status, 2, `${command[0]}: ${refused.stdout}${refused.stderr}`);
    assert.match(refused.stderr, /paperwire\.db: the database file is damaged: restore a backup/);
    assert.match(refused.stderr, /hint: .*paperwire restore BACKUP-FILE/);
    assert.doesNotMatch(refused.stderr, /this is a bug|unexpected error/);
  }
  assert.equal(sink.accepted.length, 5);

  assert.equal((await runCli(['restore', backup], at)).status, 0);
  const again = await runCli(['send', '--yes'], at);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /already delivered: 5 sent/);
  assert.equal(sink.accepted.length, 5);
});
