// `paperwire restore`: puts a backup in the database's place (or starts a new database from
// the journal alone), keeping whatever was there under a `.replaced-<time>` name, then opens
// it, which replays the journal's later facts into it (journal-replay.ts).
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { PaperwireError } from '../errors.ts';
import { processIsAlive } from '../schedule/leases.ts';
import { storeFailure } from './failures.ts';
import { openStore } from './index.ts';
import { journalPathOf } from './journal.ts';
import type { ReplaySummary } from './journal-replay.ts';
import { MIGRATIONS } from './migrations.ts';

/** Where the restored database comes from: a backup file, or the journal alone. */
export type RestoreSource = { backup: string } | { journal: true };

/** What a restore did. */
export interface RestoreResult {
  /** The files that were in the way, kept under their new names. */
  keptAs: string[];
  /** What the journal added to the restored database. */
  replayed: ReplaySummary | null;
}

/** Replaces the database at `path` with `source`; see the top of this file. E_LOCKED while paperwire runs on it. */
export function restoreDatabase(path: string, source: RestoreSource, clock: Clock): RestoreResult {
  const staged = `${path}.restoring-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    if ('backup' in source) stageBackup(source.backup, staged);
    else if (!existsSync(journalPathOf(path)) || statSync(journalPathOf(path)).size === 0) {
      throw new PaperwireError('E_STORE', `there is no journal at ${journalPathOf(path)} to rebuild from`, {
        hint: 'Restore a backup instead (`paperwire restore BACKUP-FILE`), or point STATE_DIR at the folder that holds the journal.',
      });
    }
    refuseWhileInUse(path);
    const stamp = clock().toISOString().replace(/[:.]/g, '-');
    const keptAs: string[] = [];
    for (const suffix of ['', '-wal', '-shm']) {
      if (!existsSync(`${path}${suffix}`)) continue;
      const kept = `${path}${suffix}.replaced-${stamp}`;
      renameSync(`${path}${suffix}`, kept);
      keptAs.push(kept);
    }
    if ('backup' in source) renameSync(staged, path);
    const store = openStore(path, { clock, allowNewDatabase: true });
    const { replayed } = store;
    store.close();
    return { keptAs, replayed };
  } catch (error) {
    rmSync(staged, { force: true });
    if (error instanceof PaperwireError) throw error;
    throw (
      storeFailure(path, error) ??
      new PaperwireError('E_STORE', `restoring ${path} failed: ${(error as Error).message}`, {
        hint: 'Fix what the message names and run restore again (a file already moved aside keeps its .replaced- name).',
        cause: error,
      })
    );
  }
}

/** Copies the backup to `staged` and checks it is a whole paperwire database this version reads. */
function stageBackup(backup: string, staged: string): void {
  if (!existsSync(backup)) {
    throw new PaperwireError('E_USAGE', `the backup ${backup} does not exist`, {
      hint: 'Give the file `paperwire backup` wrote.',
    });
  }
  if (statSync(backup).isDirectory()) {
    // `paperwire backup FOLDER` names its files by time, so the last in order is the newest.
    const newest = readdirSync(backup)
      .filter((name) => /^paperwire-.+\.db$/.test(name))
      .sort()
      .at(-1);
    throw new PaperwireError('E_USAGE', `the backup ${backup} is a folder, not a file`, {
      hint: newest
        ? `Give one backup file in it, e.g. the newest: \`paperwire restore ${join(backup, newest)}\``
        : 'Give the file `paperwire backup` wrote.',
    });
  }
  copyFileSync(backup, staged);
  let problem: string | null = null;
  try {
    const db = new Database(staged, { fileMustExist: true });
    try {
      const check = db.pragma('quick_check', { simple: true });
      const version = db.pragma('user_version', { simple: true }) as number;
      const newest = MIGRATIONS.at(-1)?.version ?? 0;
      if (check !== 'ok') problem = `it fails SQLite's check (${String(check)})`;
      else if (version === 0) problem = 'it is not a paperwire database';
      else if (version > newest) problem = `it comes from a newer paperwire (schema ${version})`;
      else db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
  } catch (error) {
    problem = `it cannot be read as a database (${(error as Error).message})`;
  }
  if (problem) {
    rmSync(staged, { force: true });
    throw new PaperwireError('E_STORE', `the backup ${backup} cannot be restored: ${problem}`, {
      hint: 'Restore another backup, or `paperwire restore --from-journal` to start from the journal alone.',
    });
  }
}

/** E_LOCKED when a live paperwire on this host holds a lease in the current database (when it can be read at all). */
function refuseWhileInUse(path: string): void {
  if (!existsSync(path)) return;
  let holders: { name: string; pid: number; host: string }[] = [];
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      holders = db.prepare('SELECT name, pid, host FROM locks').all() as typeof holders;
    } finally {
      db.close();
    }
  } catch {
    // A damaged or empty file: nothing can be running on it.
    return;
  }
  const live = holders.find((holder) => holder.host === hostname() && processIsAlive(holder.pid));
  if (live) {
    throw new PaperwireError(
      'E_LOCKED',
      `paperwire is running on ${path} (${live.name}, pid ${live.pid}): it cannot be restored under it`,
      { hint: 'Stop it (and the scheduler and serve: systemctl stop paperwire), then run restore again.' },
    );
  }
}
