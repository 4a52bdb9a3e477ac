// The embedded store: one SQLite file (better-sqlite3), in WAL mode so readers
// never block the writer, with a busy timeout so two processes at once wait for
// each other instead of failing. All SQL of paperwire lives in this folder; the
// rest of the code sees only the repositories below, never the database handle.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Clock, systemClock } from '../clock.ts';
import type { EditionRepository } from '../edition/index.ts';
import { PaperwireError } from '../errors.ts';
import type { Leases } from '../schedule/leases.ts';
import type { RunLog } from '../schedule/runs.ts';
import type { SuppressionList } from '../subscribers/suppressions.ts';
import type { WebSubscriberList } from '../subscribers/web.ts';
import { type BackupResult, backupDatabase } from './backup.ts';
import { createEditionStore } from './editions.ts';
import { guarded, rethrowAsStoreFailure, storeFailure } from './failures.ts';
import { type Journal, journalIdOf, journalPathOf, NO_JOURNAL, openJournal, readJournal } from './journal.ts';
import { exportToJournal, journalApplier, type ReplaySummary } from './journal-replay.ts';
import { createLedger, type Ledger } from './ledger.ts';
import { createLiveFetchStore, type LiveFetchStore } from './live-fetches.ts';
import { createLeases, type LeaseHolder } from './locks.ts';
import { createMailboxStore, type MailboxStore } from './mailbox.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { createPaperStore, type PaperStore } from './papers.ts';
import { createRunLog } from './runs.ts';
import { createSuppressionList, suppressionWrites } from './suppressions.ts';
import { createWebSubscriberList } from './web-subscribers.ts';

export type { BackupResult } from './backup.ts';
export { JOURNAL_FILE } from './journal.ts';
export type { ReplaySummary } from './journal-replay.ts';
export type { Ledger, LedgerRecord } from './ledger.ts';
export type { LiveFetchStore } from './live-fetches.ts';
export type { LeaseHolder } from './locks.ts';
export type { MailboxStore } from './mailbox.ts';
export type { PaperQuery, PaperStore } from './papers.ts';

/** An open store: one repository per table group, plus where it lives. */
export interface Store {
  readonly path: string;
  /** The journal beside the database (null for an in-memory one). */
  readonly journalPath: string | null;
  /** What opening replayed from the journal into the database (a restored or rebuilt one), or null. */
  readonly replayed: ReplaySummary | null;
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
  /** Writes a consistent copy of the database to `file` (SQLite's online backup) while others keep using it. */
  backup(file: string): Promise<BackupResult>;
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
  /** Other paths whose existence shows the folder was used before (the outbox): see refuseIfUsedBefore. */
  usedMarkers?: readonly string[];
  /** The operator's word (`paperwire restore`): make a new database even where one was lost; the journal fills it. */
  allowNewDatabase?: boolean;
}

/** How long a statement waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 30_000;

/**
 * Opens (creating if needed) the database at `path`, runs any pending migrations and brings
 * it up to date from the journal beside it (journal.ts). A database missing (or emptied) in a
 * folder that was used before is refused (E_STORE), unless `allowNewDatabase`; every disk or
 * database failure is E_STORE naming the file and the cause (failures.ts).
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const clock = options.clock ?? systemClock;
  const inMemory = path === ':memory:';
  const journalPath = inMemory ? null : journalPathOf(path);
  if (!inMemory) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      rethrowAsStoreFailure(dirname(path), error);
    }
    if (!hasDatabase(path) && !options.allowNewDatabase) {
      refuseIfUsedBefore(path, [journalPath!, `${path}-wal`, ...(options.usedMarkers ?? [])]);
    }
  }
  const db = openDatabase(path);
  let journal: Journal = NO_JOURNAL;
  let replayed: ReplaySummary | null = null;
  try {
    migrate(db, options.migrations ?? MIGRATIONS, path);
    if (journalPath && hasJournalState(db)) {
      journal = openJournal(journalPath, clock);
      replayed = catchUp(db, journal);
    }
  } catch (error) {
    journal.close();
    db.close();
    rethrowAsStoreFailure(path, error);
  }
  const suppressed = suppressionWrites(db, journal);
  const store: Store = {
    path,
    journalPath: journal === NO_JOURNAL ? null : journal.path,
    replayed,
    papers: createPaperStore(db),
    editions: createEditionStore(db, journal),
    ledger: createLedger(db, clock, journal),
    suppressions: createSuppressionList(db, clock, suppressed),
    leases: createLeases(db, clock, options.holder),
    runs: createRunLog(db, clock),
    liveFetches: createLiveFetchStore(db),
    mailbox: createMailboxStore(db, clock, suppressed),
    webSubscribers: createWebSubscriberList(db, clock, journal, suppressed),
    transaction: (body) => db.transaction(body).immediate(),
    dataVersion: () => db.pragma('data_version', { simple: true }) as number,
    schemaVersion: () => db.pragma('user_version', { simple: true }) as number,
    backup: (file) => backupDatabase(db, path, file),
    close() {
      if (!db.open) return;
      try {
        // Every fact of the journal so far is in this database (each was written with its own
        // change), so the next open need not read them again.
        if (journal !== NO_JOURNAL) markApplied(db, journal.size());
      } catch {
        // A full or read-only disk: the next open replays a little more, which is harmless.
      }
      try {
        journal.close();
      } finally {
        db.close();
      }
    },
  };
  return guarded(path, store);
}

/** True when `path` is a database file with something in it (an emptied file counts as missing). */
function hasDatabase(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

/**
 * Refuses to start a new database at `path` when any of `markers` exists (the journal, a
 * write-ahead log, the outbox): the folder was used, so the database was lost, and a new one
 * would mail the current edition to everyone again and forget every unsubscribe.
 */
function refuseIfUsedBefore(path: string, markers: readonly string[]): void {
  const found = markers.filter((marker) => existsSync(marker) && statSync(marker).size > 0);
  if (found.length === 0) return;
  throw new PaperwireError(
    'E_STORE',
    `the database ${path} is missing or empty, but its folder was used before (${found.map((f) => basename(f)).join(', ')}): a new one would send the current edition to everyone again and forget every unsubscribe`,
    {
      hint: `Restore your latest backup: \`paperwire restore BACKUP-FILE\` (the unsubscribes and deliveries recorded since are replayed from the journal). No backup? \`paperwire restore --from-journal\` makes a new database from ${basename(found[0]!)}. Or point STATE_DIR at the folder the database is in.`,
    },
  );
}

/** Opens the SQLite file with paperwire's settings; E_STORE in words when it cannot. */
function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Larger pages make the big paper rows (abstracts, author lists) cheaper to write. It only
    // takes effect on a new, empty database, before WAL mode is switched on; later a no-op.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db?.close();
    throw openFailure(path, error);
  }
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
  return (
    storeFailure(path, error) ??
    new PaperwireError('E_STORE', `cannot open the database ${path}: ${reason}`, {
      hint: 'Check that STATE_DIR points at a writable folder and the file is a paperwire database.',
      cause: error,
    })
  );
}

function hasJournalState(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal_state'").get() !==
    undefined
  );
}

function markApplied(db: Database.Database, bytes: number): void {
  db.prepare('UPDATE journal_state SET applied_bytes = max(applied_bytes, ?)').run(bytes);
}

/**
 * Brings `db` up to date with its journal: a journal that does not exist yet is started (its
 * id line, then everything the database already holds); otherwise the facts after the point
 * this database has applied are replayed. Returns what the replay changed, or null when nothing was read.
 */
function catchUp(db: Database.Database, journal: Journal): ReplaySummary | null {
  const setState = db.prepare(
    'INSERT OR REPLACE INTO journal_state (one_row, journal_id, applied_bytes) VALUES (1, ?, ?)',
  );
  const state = () =>
    db.prepare('SELECT journal_id AS id, applied_bytes AS applied FROM journal_state').get() as
      | { id: string; applied: number }
      | undefined;
  // IMMEDIATE: two processes opening at once start (or replay) the journal one after the other.
  return db
    .transaction((): ReplaySummary | null => {
      if (journal.size() === 0) {
        const id = randomUUID();
        journal.record({ fact: 'journal', id });
        exportToJournal(db, journal);
        setState.run(id, journal.size());
        return null;
      }
      const id = journalIdOf(journal.path);
      const known = state();
      const from = known && known.id === id ? known.applied : 0;
      if (from >= journal.size()) return null;
      const summary: ReplaySummary = {
        facts: 0,
        editions: 0,
        deliveries: 0,
        suppressions: 0,
        webSubscribers: 0,
      };
      const read = readJournal(journal.path, from, journalApplier(db, summary));
      setState.run(id, read.end);
      return summary;
    })
    .immediate();
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
      const failure = storeFailure(path, error);
      if (failure) throw failure;
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
