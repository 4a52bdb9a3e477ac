// Store tests that look at the database file itself: a file as an older paperwire left it,
// and a database lost with its WAL files.
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/migrations.ts';

/**
 * A database at `path` at schema `version`, as the paperwire of that version left it (its
 * migrations written straight into the file); the handle is open for the test to add rows.
 */
export function databaseAtVersion(path: string, version: number): Database.Database {
  const old = new Database(path);
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) old.exec(migration.sql);
  old.pragma(`user_version = ${version}`);
  return old;
}

/** Removes the database at `path` with its -wal and -shm files, as a lost disk or a careless `rm` would. */
export function dropDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
