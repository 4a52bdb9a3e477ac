import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isPaperwireError } from '../../src/errors.ts';
import { openStore, schemaVersion } from '../../src/store/index.ts';
import { acquireLock, lockHolder, releaseLock, tryAcquireLock } from '../../src/store/locks.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { findSuppression, listSuppressions, suppress, unsuppress } from '../../src/store/suppressions.ts';
import { tempDir } from '../helpers/temp.ts';

test('a new store is created in WAL mode at the newest schema version', (t) => {
  const path = join(tempDir(t), 'nested', 'paperwire.db');
  const store = openStore(path);
  t.after(() => store.close());
  assert.equal(schemaVersion(store), MIGRATIONS.at(-1)?.version);
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
});

test('reopening runs no migration twice', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const counting = [
    ...MIGRATIONS,
    {
      version: MIGRATIONS.length + 1,
      name: 'count how often this runs',
      sql: 'CREATE TABLE IF NOT EXISTS runs_of_test (n INTEGER); INSERT INTO runs_of_test VALUES (1);',
    },
  ];
  openStore(path, { migrations: counting }).close();
  const store = openStore(path, { migrations: counting });
  t.after(() => store.close());
  assert.equal(schemaVersion(store), MIGRATIONS.length + 1);
  assert.deepEqual(store.db.prepare('SELECT COUNT(*) AS n FROM runs_of_test').get(), { n: 1 });
});

test('a file that is not a database is a store error with a hint', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  writeFileSync(path, 'this is not sqlite, just text that is long enough to have a header'.repeat(20));
  assert.throws(
    () => openStore(path),
    (error: unknown) =>
      isPaperwireError(error, 'E_STORE') && error.message.includes(path) && Boolean(error.hint),
  );
});

test('a SQLite driver that does not load on this Node is its own error, with the rebuild to run', (t) => {
  // The driver's compiled part is refused as one built for another Node version would be: a child
  // process with addons disabled (Node's own switch) meets the same load failure at openStore.
  const path = join(tempDir(t), 'paperwire.db');
  const store = fileURLToPath(new URL('../../src/store/index.ts', import.meta.url));
  const script = `
    const { openStore } = await import(${JSON.stringify(store)});
    try { openStore(${JSON.stringify(path)}); console.log('{}'); }
    catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message, hint: error.hint })); }`;
  const child = spawnSync(
    process.execPath,
    ['--no-addons', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    },
  );
  assert.equal(child.status, 0, child.stderr);
  const error = JSON.parse(child.stdout);
  assert.equal(error.code, 'E_SQLITE_DRIVER');
  assert.ok(error.message.includes(path) && error.message.includes(process.version), error.message);
  assert.match(error.hint, /npm rebuild better-sqlite3/);
});

test('a database from a newer paperwire is refused', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  openStore(path).close();
  assert.throws(
    () => openStore(path, { migrations: MIGRATIONS.slice(0, 1) }),
    (error: unknown) =>
      isPaperwireError(error, 'E_STORE') &&
      error.message.includes(path) &&
      error.message.includes(`schema version ${MIGRATIONS.length}`) &&
      Boolean(error.hint),
  );
});

test('suppressions: first record wins, unsuppress lifts it, addresses compare case-insensitively', (t) => {
  const store = openStore(join(tempDir(t), 'paperwire.db'));
  t.after(() => store.close());
  assert.equal(suppress(store, 'Ada@Example.org', 'command', 'asked by phone'), true);
  assert.equal(suppress(store, 'ada@example.org', 'link', 'clicked'), false);
  assert.equal(findSuppression(store, 'ADA@example.org')?.via, 'command');
  assert.equal(listSuppressions(store).length, 1);
  assert.equal(unsuppress(store, 'ada@EXAMPLE.org'), true);
  assert.equal(findSuppression(store, 'ada@example.org'), null);
});

test('a lock is exclusive to a live process and taken over from a dead one', (t) => {
  const store = openStore(join(tempDir(t), 'paperwire.db'));
  t.after(() => store.close());
  assert.deepEqual(tryAcquireLock(store, 'send'), { acquired: true });
  // Another live process (pid 1 always exists) holds "cycle": refused.
  store.db
    .prepare("INSERT INTO locks (name, pid, host, acquired_at) VALUES ('cycle', 1, ?, 'then')")
    .run(lockHolder(store, 'send')?.host);
  assert.throws(
    () => acquireLock(store, 'cycle', 'the weekly run'),
    (error: unknown) => isPaperwireError(error, 'E_LOCKED') && error.message.includes('pid 1'),
  );
  // A dead holder (a pid far beyond pid_max) is recovered.
  store.db.prepare("UPDATE locks SET pid = 99999999 WHERE name = 'cycle'").run();
  assert.deepEqual(tryAcquireLock(store, 'cycle'), { acquired: true });
  assert.equal(lockHolder(store, 'cycle')?.pid, process.pid);
  releaseLock(store, 'cycle');
  assert.equal(lockHolder(store, 'cycle'), null);
});
