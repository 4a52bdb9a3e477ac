// The journal: an append-only file of JSON lines beside the database, holding the facts
// that must outlive the database file — unsubscribes (and their lifting), readers who signed
// up on the web (and their topics), frozen editions and deliveries (admitted, sent, failed, closed). A database restored from a backup, or
// made anew with the operator's word, is brought up to date from it (journal-replay.ts),
// so losing paperwire.db never mails an edition twice or forgets an unsubscribe.
//
// Every fact is written with one write(2) on a file opened O_APPEND (so processes never
// interleave within a line) and is on disk (fdatasync) before the call returns — except
// `sent` and `failed`, one per message, which are flushed at least once a second and when
// the store closes: the database itself commits them without an fsync too (WAL, NORMAL);
// and the facts of a whole database written into a new journal, flushed once at the end.
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { SuppressionVia } from '../subscribers/suppressions.ts';
import type { WebSubscriber } from '../subscribers/web.ts';
import type { Edition } from '../types.ts';
import { rethrowAsStoreFailure } from './failures.ts';

/** The journal's file name, in the database's folder. */
export const JOURNAL_FILE = 'paperwire-journal.jsonl';

/** The journal beside the database at `dbPath`. */
export function journalPathOf(dbPath: string): string {
  return join(dbPath, '..', JOURNAL_FILE);
}

/** One line of the journal (plus `at`, when it was written). */
export type JournalFact =
  /** The first line: which journal this is (a database remembers how far it has applied it). */
  | { fact: 'journal'; id: string }
  | { fact: 'suppressed'; email: string; via: SuppressionVia; reason: string; createdAt: string }
  | { fact: 'lifted'; email: string }
  /** A web sign-up confirmed or topics chosen: the whole row as it now is. */
  | { fact: 'web-subscriber'; subscriber: WebSubscriber }
  | { fact: 'edition'; edition: Edition }
  /** An edition deleted before any of it went out (`edition --delete`): its papers wait again. */
  | { fact: 'edition-deleted'; editionId: string }
  | { fact: 'admitted'; editionId: string; recipients: { email: string; messageId: string }[] }
  | { fact: 'sent'; editionId: string; email: string; response: string }
  | {
      fact: 'failed';
      editionId: string;
      email: string;
      reason: string;
      smtpCode: number | null;
      enhancedCode: string | null;
    }
  /** Pending rows closed because the address left: `removed` had no attempt, `failed` may have arrived. */
  | { fact: 'closed'; editionId: string; removed: string[]; failed: string[] }
  /** Failed rows put back to pending on purpose. */
  | { fact: 'requeued'; editionId: string; emails: string[] };

/** A fact as it is stored. */
export type JournalLine = JournalFact & { at: string };

/** The facts that may wait up to a second for the disk: one per message, in bulk. */
const BATCHED: ReadonlySet<JournalFact['fact']> = new Set(['sent', 'failed']);
const SYNC_EVERY_MS = 1_000;

/** The journal as the repositories write it. */
export interface Journal {
  readonly path: string;
  /**
   * Appends `fact`; on disk before returning unless it is a `sent` or `failed`, or `batch` is
   * given (then within a second, or at the next flush).
   */
  record(fact: JournalFact, options?: { batch?: boolean }): void;
  /** Puts everything written so far on disk. */
  flush(): void;
  /** The file's size in bytes (0 when it does not exist yet). */
  size(): number;
  close(): void;
}

/** A journal that keeps nothing (an in-memory database, or a schema without the journal's table). */
export const NO_JOURNAL: Journal = {
  path: '',
  record: () => {},
  flush: () => {},
  size: () => 0,
  close: () => {},
};

/** The journal at `path`, opened for appending on its first record; every failure is E_STORE naming it. */
export function openJournal(path: string, clock: Clock): Journal {
  let fd: number | null = null;
  let unsynced = false;
  let lastSyncAt = performance.now();
  const sync = (): void => {
    if (fd === null || !unsynced) return;
    fdatasyncSync(fd);
    unsynced = false;
    lastSyncAt = performance.now();
  };
  const open = (): number => {
    if (fd !== null) return fd;
    const opened = openSync(path, 'a+');
    // A line cut short by a crash must not swallow the next fact: end it first.
    const { size } = fstatSync(opened);
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(opened, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(opened, '\n');
    }
    fd = opened;
    return opened;
  };
  const guard = <T>(body: () => T): T => {
    try {
      return body();
    } catch (error) {
      rethrowAsStoreFailure(path, error);
    }
  };
  return {
    path,
    record(fact, options) {
      guard(() => {
        const line = `${JSON.stringify({ ...fact, at: clock().toISOString() })}\n`;
        writeSync(open(), line);
        unsynced = true;
        const batched = options?.batch ?? BATCHED.has(fact.fact);
        if (!batched || performance.now() - lastSyncAt >= SYNC_EVERY_MS) sync();
      });
    },
    flush: () => guard(sync),
    size: () => guard(() => (existsSync(path) ? statSync(path).size : 0)),
    close() {
      if (fd === null) return;
      try {
        guard(sync);
      } finally {
        closeSync(fd);
        fd = null;
      }
    },
  };
}

/** What reading a journal from an offset found. */
export interface JournalRead {
  /** How many facts were handed to the visitor. */
  facts: number;
  /** The offset after the last complete line: where the next read starts. */
  end: number;
  /** Lines that are not JSON facts (skipped). */
  unreadable: number;
}

/** The id on the first line of the journal at `path`, or null when it has none. */
export function journalIdOf(path: string): string | null {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(256);
      const n = readSync(fd, head, 0, head.length, 0);
      return /^\{"fact":"journal","id":"([^"]+)"/.exec(head.subarray(0, n).toString('utf8'))?.[1] ?? null;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    rethrowAsStoreFailure(path, error);
  }
}

/** Bytes read at a time: memory stays bounded however long the journal grows. */
const CHUNK_BYTES = 1 << 20;

/** Hands each complete line of the journal at `path` from byte `from` to `visit`, in order. */
export function readJournal(path: string, from: number, visit: (line: JournalLine) => void): JournalRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    rethrowAsStoreFailure(path, error);
  }
  try {
    const size = fstatSync(fd).size;
    const result: JournalRead = { facts: 0, end: Math.min(from, size), unreadable: 0 };
    let carry = Buffer.alloc(0);
    let position = result.end;
    const chunk = Buffer.alloc(CHUNK_BYTES);
    while (position < size) {
      const n = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, size - position), position);
      if (n === 0) break;
      position += n;
      const bytes = Buffer.concat([carry, chunk.subarray(0, n)]);
      // Only up to the last newline: a line being written right now is read next time.
      const cut = bytes.lastIndexOf(0x0a) + 1;
      for (const text of bytes.subarray(0, cut).toString('utf8').split('\n')) {
        if (text.trim() === '') continue;
        const line = parseLine(text);
        if (!line) {
          result.unreadable++;
          continue;
        }
        visit(line);
        result.facts++;
      }
      result.end += cut;
      carry = Buffer.from(bytes.subarray(cut));
    }
    return result;
  } catch (error) {
    rethrowAsStoreFailure(path, error);
  } finally {
    closeSync(fd);
  }
}

/** One journal line as a fact, or null when it is not one (a line damaged by hand or by the disk). */
function parseLine(text: string): JournalLine | null {
  try {
    const line = JSON.parse(text) as JournalLine | null;
    return typeof line?.fact === 'string' && typeof line.at === 'string' ? line : null;
  } catch {
    return null;
  }
}
