// What the file system can put in the way: a symbolic link loop or a dangling
// link in the inbox (skipped with a warning), a FIFO or /dev/zero given as a
// source (refused at once: never a hang, never gigabytes read), a file nobody
// may read, symbolic links to folders, and a file past the size limit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportLines } from '../../src/cli/present/ingest.ts';
import { ingestSources } from '../../src/ingest/index.ts';
import { cleanEnv, PAPERWIRE_BIN } from '../helpers/cli.ts';
import { fixture, tempDir, tempStore, testOptions } from './helpers.ts';

// A read that blocks (a FIFO with no writer) or never ends (/dev/zero) fails the test instead of hanging it.
const BOUNDED = { timeout: 20_000 };

/** An inbox with the old daily-papers fixture and the papers page, plus what `extra` adds. */
function inboxWith(t: Parameters<typeof tempDir>[0], extra: (inbox: string) => void): string {
  const inbox = join(tempDir(t), 'inbox');
  mkdirSync(inbox);
  copyFileSync(fixture('hf-daily-old.json'), join(inbox, 'a-daily.json'));
  copyFileSync(fixture('papers-page.txt'), join(inbox, 'z-page.txt'));
  extra(inbox);
  return inbox;
}

test(
  'a symbolic link loop and a dangling link in the inbox are skipped with a warning; the other files are stored',
  BOUNDED,
  async (t) => {
    const { store } = tempStore(t);
    const inbox = inboxWith(t, (dir) => {
      symlinkSync(join(dir, 'm-loop.json'), join(dir, 'm-loop.json'));
      symlinkSync(join(dir, 'n-other.json'), join(dir, 'n-loop.json'));
      symlinkSync(join(dir, 'n-loop.json'), join(dir, 'n-other.json'));
      symlinkSync(join(dir, 'gone.json'), join(dir, 'p-dangling.json'));
    });
    const report = await ingestSources(store, [inbox], testOptions());
    assert.deepEqual(
      report.sources.map((source) => [source.source.slice(inbox.length + 1), source.new, source.warnings]),
      [
        ['a-daily.json', 3, []],
        ['m-loop.json', 0, ['is a symbolic link loop: skipped']],
        ['n-loop.json', 0, ['is a symbolic link loop: skipped']],
        ['n-other.json', 0, ['is a symbolic link loop: skipped']],
        ['p-dangling.json', 0, ['is a symbolic link to nothing: skipped']],
        ['z-page.txt', 3, []],
      ],
    );
    assert.equal(report.failedSources, 0);
    assert.equal(store.papers.list().length, 6);
    const lines = reportLines(report, (source) => source.slice(inbox.length + 1));
    assert.ok(lines.includes('m-loop.json is a symbolic link loop: skipped (warning)'), lines.join('\n'));
    assert.ok(!lines.some((line) => line.startsWith('m-loop.json:')), 'no "0 new" line for a skipped entry');
  },
);

test('a symbolic link loop named as a source is a read error naming it', BOUNDED, async (t) => {
  const { store, dir } = tempStore(t);
  const loop = join(dir, 'loop.json');
  symlinkSync(loop, loop);
  const report = await ingestSources(store, [loop, fixture('hf-paper.json')], testOptions());
  assert.equal(report.sources[0]?.problem?.code, 'E_SOURCE_READ');
  assert.equal(report.sources[0]?.problem?.message, `${loop}: cannot read: a symbolic link loop`);
  assert.match(report.sources[0]?.problem?.hint ?? '', /symbolic link/);
  assert.equal(report.sources[1]?.new, 1);
});

test(
  'a FIFO and /dev/zero given as sources are refused at once; the next source is stored',
  BOUNDED,
  async (t) => {
    const { store, dir } = tempStore(t);
    const fifo = join(dir, 'feed.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) return t.skip('mkfifo is not available here');
    const sources = [fifo, ...(existsSync('/dev/zero') ? ['/dev/zero'] : []), fixture('hf-paper.json')];
    const started = performance.now();
    const report = await ingestSources(store, sources, testOptions());
    assert.ok(performance.now() - started < 5_000, 'refused without waiting or reading');
    assert.equal(report.sources[0]?.problem?.code, 'E_SOURCE_READ');
    assert.equal(
      report.sources[0]?.problem?.message,
      `${fifo} is a named pipe (FIFO), not a file: paperwire does not read it`,
    );
    assert.match(report.sources[0]?.problem?.hint ?? '', /regular files/);
    if (sources.includes('/dev/zero')) {
      assert.equal(report.sources[1]?.problem?.code, 'E_SOURCE_READ');
      assert.equal(
        report.sources[1]?.problem?.message,
        '/dev/zero is a device, not a file: paperwire does not read it',
      );
    }
    assert.equal(report.sources.at(-1)?.new, 1);
  },
);

test('a FIFO in the inbox is skipped with a warning, not waited on', BOUNDED, async (t) => {
  const { store } = tempStore(t);
  let made = true;
  const inbox = inboxWith(t, (dir) => {
    made = spawnSync('mkfifo', [join(dir, 'm-pipe.json')]).status === 0;
  });
  if (!made) return t.skip('mkfifo is not available here');
  const report = await ingestSources(store, [inbox], testOptions());
  assert.deepEqual(
    report.sources.map((source) => source.warnings),
    [[], ['is a named pipe (FIFO), not a file: skipped'], []],
  );
  assert.equal(store.papers.list().length, 6);
});

test('symbolic links to folders: one named as a source is read as that folder; one inside a folder is left out like a subfolder', async (t) => {
  const { store } = tempStore(t);
  const elsewhere = join(tempDir(t), 'elsewhere');
  mkdirSync(elsewhere);
  copyFileSync(fixture('hf-paper.json'), join(elsewhere, 'paper.json'));
  const inbox = inboxWith(t, (dir) => symlinkSync(elsewhere, join(dir, 'm-linked-folder')));
  const linkedInbox = join(tempDir(t), 'linked-inbox');
  symlinkSync(inbox, linkedInbox);
  const report = await ingestSources(store, [linkedInbox], testOptions());
  assert.deepEqual(
    report.sources.map((source) => source.source),
    [join(linkedInbox, 'a-daily.json'), join(linkedInbox, 'z-page.txt')],
  );
  assert.equal(report.failedSources, 0);
  assert.equal(store.papers.list().length, 6);
});

test('a file past the size limit (a 300 MB sparse file) is refused from its size, unread', async (t) => {
  const { store, dir } = tempStore(t);
  const big = join(dir, 'big.json');
  writeFileSync(big, '[');
  truncateSync(big, 300 * 1024 * 1024);
  const report = await ingestSources(store, [big, fixture('hf-paper.json')], testOptions());
  assert.equal(report.sources[0]?.problem?.code, 'E_SOURCE_READ');
  assert.equal(report.sources[0]?.problem?.message, `${big} is 300 MB, over the 256 MB limit`);
  assert.equal(report.sources[1]?.new, 1);
});

test('a file the user may not read fails alone (E_SOURCE_READ, permission denied); the rest of the inbox is stored', (t) => {
  // Root reads any file whatever its mode, so as root the CLI runs as `nobody`, who cannot.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // `nobody` must be able to run this Node and read this checkout (not so for a Node or a
    // clone under root's own 0700 home, or in a 0700 temporary folder).
    const probe = spawnSync(
      process.execPath,
      ['-e', `require('fs').accessSync(${JSON.stringify(PAPERWIRE_BIN)})`],
      {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
      },
    );
    if (probe.status !== 0) {
      t.skip(
        `as root this test runs paperwire as nobody (uid 65534), who cannot run ${process.execPath} or read ${PAPERWIRE_BIN}: ${(probe.error?.message ?? probe.stderr).split('\n')[0]}`,
      );
      return;
    }
  }
  const cwd = tempDir(t);
  const inbox = inboxWith(t, (dir) => {
    copyFileSync(fixture('hf-paper.json'), join(dir, 'm-secret.json'));
    chmodSync(join(dir, 'm-secret.json'), 0o000);
  });
  chmodSync(cwd, 0o777);
  for (let up = inbox; up !== '/' && up.startsWith('/tmp/'); up = join(up, '..')) chmodSync(up, 0o755);
  const result = spawnSync(process.execPath, [PAPERWIRE_BIN, 'ingest'], {
    cwd,
    env: cleanEnv({ INBOX_DIR: inbox, STATE_DIR: join(cwd, 'state') }),
    encoding: 'utf8',
    timeout: 60_000,
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  assert.equal(result.status, 1, result.stderr);
  assert.match(
    result.stdout,
    /m-secret\.json: failed, nothing stored\n {2}error: .*m-secret\.json: cannot read: permission denied\n {2}hint: /,
  );
  assert.match(result.stdout, /a-daily\.json: 3 new/);
  assert.match(result.stdout, /z-page\.txt: 3 new/);
  // The page repeats one title of the daily file: that paper gains its featured day, an update.
  assert.match(result.stdout, /^total: 6 new, 1 updated, 0 rejected; 1 source failed$/m);
  assert.doesNotMatch(result.stderr, /unexpected error/);
});
