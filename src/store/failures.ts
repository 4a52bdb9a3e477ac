// What a failing disk or database file looks like to the operator: SQLite's result codes
// and the file system's errno codes turned into one E_STORE error that names the file and
// the cause in words, with what to do. The one place these codes are read; the store wraps
// every repository in `guarded` so no SqliteError reaches the rest of paperwire.
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PaperwireError } from '../errors.ts';

/** Why the store failed, in words, and what to do about it. */
interface Cause {
  words: string;
  hint: string;
}

const RESUME = 'nothing recorded so far is lost, and a send resumes where it stopped.';

const DISK_FULL: Cause = {
  words: 'the disk is full',
  hint: `Free some space on the disk that holds STATE_DIR (or move STATE_DIR to a larger one), then run the command again: ${RESUME}`,
};

const READ_ONLY: Cause = {
  words: 'the state folder is read-only (or not writable by this user)',
  hint: `Make STATE_DIR writable for the user paperwire runs as (remount it read-write, fix its owner or permissions), then run the command again: ${RESUME}`,
};

const DAMAGED: Cause = {
  words: 'the database file is damaged: restore a backup',
  hint: 'Stop paperwire (the scheduler and serve too), then `paperwire restore BACKUP-FILE` with your latest `paperwire backup`; the unsubscribes and deliveries recorded since are replayed from the journal. Without a backup: `paperwire restore --from-journal`.',
};

/** The cause behind SQLite's extended result code or a file system errno code, or null when it is none of these. */
function causeOf(code: string, folder: string): Cause | null {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_IOERR_WRITE') {
    // SQLite reports some out-of-space writes as a plain write error.
    return code === 'SQLITE_IOERR_WRITE' && folderIsWritable(folder) ? ioError(code) : DISK_FULL;
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return READ_ONLY;
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return DAMAGED;
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return folderIsWritable(folder)
      ? {
          words: 'the file cannot be opened',
          hint: 'Check that STATE_DIR is a folder on a local disk, and that nothing else replaced the database file.',
        }
      : READ_ONLY;
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return ioError(code);
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) {
    return {
      words: 'another process kept the database locked for more than 30 seconds',
      hint: 'Wait for the other paperwire command to finish (paperwire status shows what runs), then try again.',
    };
  }
  return null;
}

function ioError(code: string): Cause {
  return {
    words: `the disk reported an input/output error (${code})`,
    hint: 'Check the disk that holds STATE_DIR (dmesg, the file system); if the database is damaged, restore a backup (`paperwire restore BACKUP-FILE`).',
  };
}

function folderIsWritable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The error code of a SqliteError or a file system error, or null for anything else. */
function failureCode(error: unknown): string | null {
  if (error instanceof Database.SqliteError) return error.code;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : null;
}

/**
 * E_STORE for `error` met while using `path` (the database or its journal), naming the file
 * and the cause in words; null when the error is not a disk or database failure.
 */
export function storeFailure(path: string, error: unknown): PaperwireError | null {
  if (error instanceof PaperwireError) return null;
  const code = failureCode(error);
  const cause = code === null ? null : causeOf(code, dirname(path));
  if (!cause) return null;
  return new PaperwireError('E_STORE', `${path}: ${cause.words} (${(error as Error).message})`, {
    hint: cause.hint,
    cause: error,
  });
}

/** Rethrows `error` as storeFailure's E_STORE when it is a disk or database failure, else as it is. */
export function rethrowAsStoreFailure(path: string, error: unknown): never {
  throw storeFailure(path, error) ?? error;
}

/**
 * `target` with every method (and every method of the plain objects they return, such as a
 * lease) turning disk and database failures into E_STORE for `path`; other errors pass unchanged.
 */
export function guarded<T extends object>(path: string, target: T): T {
  const wrap = (value: unknown): unknown => {
    if (typeof value === 'function') {
      return (...args: unknown[]) => {
        try {
          return wrap((value as (...a: unknown[]) => unknown)(...args));
        } catch (error) {
          rethrowAsStoreFailure(path, error);
        }
      };
    }
    if (hasMethods(value)) {
      return Object.fromEntries(Object.entries(value as object).map(([key, member]) => [key, wrap(member)]));
    }
    return value;
  };
  return wrap(target) as T;
}

/** True for a plain object with a method, directly or in a plain object it holds (`{ lease: { release } }`); data passes as it is. */
function hasMethods(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return false;
  return Object.values(value).some(
    (member) => typeof member === 'function' || (depth < 2 && hasMethods(member, depth + 1)),
  );
}
