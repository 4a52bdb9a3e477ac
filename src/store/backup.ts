// `paperwire backup FILE`: a consistent copy of the live database through SQLite's online
// backup (other connections keep reading and writing meanwhile), checked, made self-contained
// (no write-ahead log beside it) and put in place by a rename, so FILE is never half written.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PaperwireError } from '../errors.ts';
import { rethrowAsStoreFailure } from './failures.ts';

/** What a backup wrote. */
export interface BackupResult {
  file: string;
  bytes: number;
  schemaVersion: number;
}

/** Copies `db` (the database at `path`) to `file`, replacing an older backup there only once the copy is whole and checked. */
export async function backupDatabase(
  db: Database.Database,
  path: string,
  file: string,
): Promise<BackupResult> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await db.backup(partial);
    const copy = new Database(partial);
    let check: unknown;
    let schemaVersion: number;
    try {
      // A backup is one file: restoring it is a copy, with no -wal to forget.
      copy.pragma('journal_mode = DELETE');
      check = copy.pragma('quick_check', { simple: true });
      schemaVersion = copy.pragma('user_version', { simple: true }) as number;
    } finally {
      copy.close();
    }
    if (check !== 'ok') {
      throw new PaperwireError('E_STORE', `the backup of ${path} failed its check: ${String(check)}`, {
        hint: 'The database itself may be damaged: run `paperwire backup` again; if it fails again, restore an older backup.',
      });
    }
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, schemaVersion };
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    rethrowAsStoreFailure(file, error);
  }
}
