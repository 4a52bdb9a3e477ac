// The embedded store: one SQLite file (better-sqlite3), in WAL mode so readers
// never block the writer, with a busy timeout so two processes at once wait for
// each other instead of failing. All SQL of paperwire lives in this folder; the
// rest of the code sees only the repositories below, never the database handle.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Clock, systemClock } from '../clock.ts';
import type { EditionRepository } from '../edition/index.ts';
import { PaperwireError } from '../errors.ts';
import type { Leases } from '../schedule/leases.ts';
import type { RunLog } from '../schedule/runs.ts';
import type { SuppressionList } from '../subscribers/suppressions.ts';
import type { WebSubscriberList } from '../subscribers/web.ts';
import { createEditionStore } from './editions.ts';
import { createLedger, type Ledger } from './ledger.ts';
import { createLiveFetchStore, type LiveFetchStore } from './live-fetches.ts';
import { createLeases, type LeaseHolder } from './locks.ts';
import { createMailboxStore, type MailboxStore } from './mailbox.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { createPaperStore, type PaperStore } from './papers.ts';
import { createRunLog } from './runs.ts';
import { createSuppressionList } from './suppressions.ts';
import { createWebSubscriberList } from './web-subscribers.ts';

export type { Ledger, LedgerRecord } from './ledger.ts';
export type { LiveFetchStore } from './live-fetches.ts';
export type { LeaseHolder } from './locks.ts';
export type { MailboxStore } from './mailbox.ts';
export type { PaperQuery, PaperStore } from './papers.ts';

/** An open store: one repository per table group, plus where it lives. */
export interface Store {
  readonly path: string;
  readonly papers: PaperStore;
  readonly editions: EditionRepository;
  readonly ledger: Ledger;
  readonly suppressions: SuppressionList;
  readonly leases: Leases;
  readonly runs: RunLog;
  readonly liveFetches: LiveFetchStore;
  readonly mailbox: MailboxStore;
  /** Readers who subscribed on the web, and topics chosen on the preferences page. */
  readonly webSubscribers: WebSubscriberList;
  /** Runs `body` in one IMMEDIATE transaction (the write lock taken up front). */
  transaction<T>(body: () => T): T;
  /** A number that changes when another connection commits (the preview server polls it). */
  dataVersion(): number;
  /** The schema version (how many migrations have run). */
  schemaVersion(): number;
  close(): void;
}

/** How a store is opened. */
export interface StoreOptions {
  /** The clock its timestamps come from; the system's by default. */
  clock?: Clock;
  /** Who takes leases (pid and host); this process by default. Tests play another process or host. */
  holder?: LeaseHolder;
  /** Tests only: another list of migrations. */
  migrations?: readonly Migration[];
}

/** How long a statement waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 30_000;

/** Opens (creating if needed) the database at `path` and runs any pending migrations. */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const clock = options.clock ?? systemClock;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Larger pages make the big paper rows (abstracts, author lists) cheaper to write. It only
    // takes effect on a new, empty database, before WAL mode is switched on; later a no-op.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    throw openFailure(path, error);
  }
  try {
    migrate(db, options.migrations ?? MIGRATIONS, path);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    path,
    papers: createPaperStore(db),
    editions: createEditionStore(db),
    ledger: createLedger(db, clock),
    suppressions: createSuppressionList(db, clock),
    leases: createLeases(db, clock, options.holder),
    runs: createRunLog(db, clock),
    liveFetches: createLiveFetchStore(db),
    mailbox: createMailboxStore(db, clock),
    webSubscribers: createWebSubscriberList(db, clock),
    transaction: (body) => db.transaction(body).immediate(),
    dataVersion: () => db.pragma('data_version', { simple: true }) as number,
    schemaVersion: () => db.pragma('user_version', { simple: true }) as number,
    close: () => db.close(),
  };
}

/** Why the database at `path` did not open: the SQLite driver itself not loading has its own remedy. */
function openFailure(path: string, error: unknown): PaperwireError {
  const reason = (error as Error).message;
  // Node throws these when better-sqlite3's compiled part cannot load, most often because it was
  // built for another Node version than this one (a Node upgrade or switch after `npm install`).
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_DLOPEN_FAILED' || code === 'ERR_DLOPEN_DISABLED') {
    return new PaperwireError(
      'E_SQLITE_DRIVER',
      `cannot open the database ${path}: the SQLite driver (better-sqlite3) does not load on Node ${process.version}: ${reason.replace(/\s*\n\s*/g, ' ')}`,
      {
        hint: 'Rebuild it for the Node that runs paperwire: `npm rebuild better-sqlite3` (or `npm ci`) with that Node.',
        cause: error,
      },
    );
  }
  return new PaperwireError('E_STORE', `cannot open the database ${path}: ${reason}`, {
    hint: 'Check that STATE_DIR points at a writable folder and the file is a paperwire database.',
    cause: error,
  });
}

/** Runs the migrations newer than the database's user_version, each in its own transaction. */
function migrate(db: Database.Database, migrations: readonly Migration[], path: string): void {
  for (const migration of migrations) {
    // IMMEDIATE takes the write lock first, so two processes opening a new
    // database at once migrate it once, one after the other.
    const step = db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      step.immediate();
    } catch (error) {
      throw new PaperwireError(
        'E_STORE',
        `${path}: migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
        { hint: 'Restore the database from a backup, or move it aside to start afresh.', cause: error },
      );
    }
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (version > newest) {
    throw new PaperwireError(
      'E_STORE',
      `${path} has schema version ${version}, newer than this paperwire (${newest})`,
      {
        hint: 'Upgrade paperwire, or point STATE_DIR at another folder.',
      },
    );
  }
}
