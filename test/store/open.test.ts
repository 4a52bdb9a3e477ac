import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { isPaperwireError } from '../../src/errors.ts';
import { acquireLease } from '../../src/schedule/leases.ts';
import { openStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { cleanEnv } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';
import { databaseAtVersion } from './helpers.ts';

/** The newest schema version (versions may leave gaps: each branch has its own number). */
const NEWEST = MIGRATIONS.at(-1)!.version;

test('a new store is created in WAL mode at the newest schema version', (t) => {
  const path = join(tempDir(t), 'nested', 'paperwire.db');
  const store = openStore(path);
  t.after(() => store.close());
  assert.equal(store.schemaVersion(), MIGRATIONS.at(-1)?.version);
  // The file itself, as SQLite sees it.
  const raw = new Database(path, { readonly: true });
  t.after(() => raw.close());
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
});

test('reopening runs no migration twice', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const counting = [
    ...MIGRATIONS,
    {
      version: NEWEST + 1,
      name: 'count how often this runs',
      sql: 'CREATE TABLE IF NOT EXISTS runs_of_test (n INTEGER); INSERT INTO runs_of_test VALUES (1);',
    },
  ];
  openStore(path, { migrations: counting }).close();
  const store = openStore(path, { migrations: counting });
  t.after(() => store.close());
  assert.equal(store.schemaVersion(), NEWEST + 1);
  const raw = new Database(path, { readonly: true });
  t.after(() => raw.close());
  assert.deepEqual(raw.prepare('SELECT COUNT(*) AS n FROM runs_of_test').get(), { n: 1 });
});

test('a version 2 database migrates to the newest schema, keeping its papers and dating them', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  // A database as paperwire 0.1 left it (schema version 2), written straight into the file.
  const old = databaseAtVersion(path, 2);
  const insert = old.prepare(`INSERT INTO papers (id, title, title_key, abstract, authors, links,
    upvotes, published_at, source, origin, first_seen_at, updated_at)
    VALUES (?, ?, ?, '', '[]', '{}', ?, ?, ?, 'x', 't', 't')`);
  insert.run(
    '2611.00001',
    'An arXiv paper',
    'an arxiv paper',
    null,
    '2026-11-24T17:00:00.000Z',
    'arxiv-atom',
  );
  insert.run(
    '2611.00002',
    'A daily paper',
    'a daily paper',
    7,
    '2026-11-20T17:00:00.000Z',
    'hf-daily-papers',
  );
  old.close();

  const store = openStore(path);
  t.after(() => store.close());
  assert.equal(store.schemaVersion(), NEWEST);
  const rows = store.papers.list().map(({ id, featuredOn, upvotes }) => ({ id, featuredOn, upvotes }));
  // An arXiv date is its submission day; a Hugging Face row's date is not its Daily Papers day.
  assert.deepEqual(rows, [
    { id: '2611.00001', featuredOn: '2026-11-24', upvotes: null },
    { id: '2611.00002', featuredOn: null, upvotes: 7 },
  ]);
});

test('a version 5 database migrates its editions: every paper an old edition took stays taken', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const old = databaseAtVersion(path, 5);
  const insert = old.prepare(`INSERT INTO papers (id, title, title_key, abstract, authors, links,
    source, origin, first_seen_at, updated_at, featured_on) VALUES (?, ?, ?, '', '[]', '{}', 'paperwire-json', 'x', 't', 't', ?)`);
  for (const [i, day] of ['2026-11-24', '2026-11-25', '2026-12-01', '2026-12-02'].entries()) {
    insert.run(`2611.0000${i}`, `Paper ${i}`, `paper ${i}`, day);
  }
  // Editions made by the old rule took every paper up to their through_seq: W48 took 1–2, W49 took 3.
  const edition = old.prepare(
    "INSERT INTO editions (id, created_at, previous_id, through_seq, paper_count) VALUES (?, 't', ?, ?, 0)",
  );
  edition.run('2026-W48', null, 2);
  edition.run('2026-W49', '2026-W48', 3);
  old.close();

  const store = openStore(path);
  t.after(() => store.close());
  assert.equal(store.schemaVersion(), NEWEST);
  // Only the paper stored after the last edition waits.
  assert.deepEqual(store.papers.waitingDays(), [{ day: '2026-12-02', papers: 1 }]);
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
      env: cleanEnv(),
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
      error.message.includes(`schema version ${NEWEST}`) &&
      Boolean(error.hint),
  );
});

test('suppressions: first record wins, unsuppress lifts it, addresses compare case-insensitively', (t) => {
  const store = openStore(join(tempDir(t), 'paperwire.db'));
  t.after(() => store.close());
  assert.equal(store.suppressions.suppress('Ada@Example.org', 'command', 'asked by phone'), true);
  assert.equal(store.suppressions.suppress('ada@example.org', 'link', 'clicked'), false);
  assert.equal(store.suppressions.find('ADA@example.org')?.via, 'command');
  assert.equal(store.suppressions.list().length, 1);
  assert.equal(store.suppressions.lift('ada@EXAMPLE.org'), true);
  assert.equal(store.suppressions.find('ada@example.org'), null);
});

test('a lease is exclusive to a live process, not re-entrant, and taken over from a dead one', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const store = openStore(path);
  t.after(() => store.close());
  const send = store.leases.tryAcquire('send');
  assert.ok('lease' in send);
  // Held: even this same process gets no second lease without the first in hand.
  assert.ok('holder' in store.leases.tryAcquire('send'));
  // Another live process (pid 1 always exists) holds "cycle", through its own connection: refused.
  const init = openStore(path, { holder: { pid: 1, host: hostname() } });
  t.after(() => init.close());
  assert.ok('lease' in init.leases.tryAcquire('cycle'));
  assert.throws(
    () => acquireLease(store.leases, 'cycle', 'the weekly run'),
    (error: unknown) => isPaperwireError(error, 'E_LOCKED') && error.message.includes('pid 1'),
  );
  // A dead holder (a pid far beyond pid_max) is recovered.
  const gone = openStore(path, { holder: { pid: 99999999, host: hostname() } });
  t.after(() => gone.close());
  assert.ok('lease' in gone.leases.tryAcquire('other'));
  const taken = acquireLease(store.leases, 'other', 'another run');
  assert.equal(store.leases.holder('other')?.pid, process.pid);
  taken.release();
  assert.equal(store.leases.holder('other'), null);
  // A release only removes its own row.
  send.lease.release();
  assert.equal(store.leases.holder('cycle')?.pid, 1, 'the other process keeps its lease');
});
