// The delivery ledger: one row per (edition, subscriber address), so that every
// subscriber gets each edition exactly once whatever happens to the run.
//
// A row is written `pending` with attempts+1 and committed BEFORE the message is
// handed to the transport, and becomes `sent` only after the server accepted it.
// A crash in between leaves a pending row with attempts > 0: the message may or may
// not have arrived (RFC 5321 §4.5.3.2), so the resume sends it again with the same
// Message-ID and the receiving side can tell the two apart.
import type Database from 'better-sqlite3';
import { nowIso, type Store } from './index.ts';
import { suppressionKey } from './suppressions.ts';

/** Where a delivery stands. */
export type LedgerStatus = 'pending' | 'sent' | 'failed';

/** The state of one (edition, address) row, as a run needs it. */
export interface LedgerEntry {
  status: LedgerStatus;
  attempts: number;
  messageId: string;
}

/** A permanent failure as the ledger records it. */
export interface DeliveryFailure {
  reason: string;
  /** The SMTP reply code (550), when the server gave one. */
  smtpCode: number | null;
  /** The enhanced status code (5.1.1), when the reply carried one. */
  enhancedCode: string | null;
}

/** An address's row in the most recent earlier edition it was part of. */
export interface PreviousOutcome {
  editionId: string;
  status: LedgerStatus;
  enhancedCode: string | null;
}

/** Row counts of an edition by status. */
export interface LedgerCounts {
  pending: number;
  sent: number;
  failed: number;
}

/** Ledger access for one store, every statement prepared once. */
export interface Ledger {
  /** The rows of `editionId`, keyed by the address key (lower-cased address). */
  entries(editionId: string): Map<string, LedgerEntry>;
  /** Adds a pending row (attempts 0) for each address that has none yet; returns how many were added. */
  admit(editionId: string, recipients: readonly { email: string; messageId: string }[]): number;
  /** Counts an attempt (status pending, attempts+1), committed before the message leaves. */
  recordAttempt(editionId: string, email: string): void;
  /** Marks a row sent with the server's reply. */
  recordSent(editionId: string, email: string, response: string): void;
  /** Marks a row permanently failed. */
  recordFailed(editionId: string, email: string, failure: DeliveryFailure): void;
  /** The address's row in the latest edition before `editionId` it has a row in, or null. */
  previousOutcome(editionId: string, email: string): PreviousOutcome | null;
  /** How many rows of `editionId` are pending, sent and failed. */
  counts(editionId: string): LedgerCounts;
  /** Editions that still have pending rows, oldest first, with how many. */
  pendingEditions(): { editionId: string; pending: number }[];
  /**
   * Closes the pending rows of addresses that left the audience: a row never attempted is
   * removed (nothing went out; the address rejoins as a newcomer if it comes back within the
   * week); one attempted before is marked failed, since that message may have arrived.
   */
  closeOrphans(editionId: string, orphans: readonly { email: string; attempts: number }[]): void;
}

/** Ledger statements, prepared once per database handle. */
const ledgers = new WeakMap<Database.Database, Ledger>();

/** The ledger of `store` (its statements are prepared on first use and reused). */
export function openLedger(store: Store): Ledger {
  const cached = ledgers.get(store.db);
  if (cached) return cached;
  const { db } = store;
  const selectEntries = db.prepare<
    [string],
    { email: string; status: LedgerStatus; attempts: number; messageId: string }
  >('SELECT email, status, attempts, message_id AS messageId FROM ledger WHERE edition_id = ?');
  const insertPending = db.prepare<[string, string, string, string, string]>(
    `INSERT OR IGNORE INTO ledger (edition_id, email, status, message_id, attempts, created_at, updated_at)
     VALUES (?, ?, 'pending', ?, 0, ?, ?)`,
  );
  const attempt = db.prepare<[string, string, string]>(
    `UPDATE ledger SET attempts = attempts + 1, updated_at = ?
     WHERE edition_id = ? AND email = ? AND status = 'pending'`,
  );
  const sent = db.prepare<[string, string, string, string, string]>(
    `UPDATE ledger SET status = 'sent', response = ?, error = NULL, smtp_code = NULL, enhanced_code = NULL,
       sent_at = ?, updated_at = ?
     WHERE edition_id = ? AND email = ?`,
  );
  const failed = db.prepare<[string, number | null, string | null, string, string, string]>(
    `UPDATE ledger SET status = 'failed', error = ?, smtp_code = ?, enhanced_code = ?, updated_at = ?
     WHERE edition_id = ? AND email = ?`,
  );
  const previous = db.prepare<[string, string], PreviousOutcome>(
    `SELECT edition_id AS editionId, status, enhanced_code AS enhancedCode FROM ledger
     WHERE email = ? AND edition_id < ? ORDER BY edition_id DESC LIMIT 1`,
  );
  const counts = db.prepare<[string], { status: LedgerStatus; n: number }>(
    'SELECT status, COUNT(*) AS n FROM ledger WHERE edition_id = ? GROUP BY status',
  );
  const pendingEditions = db.prepare<[], { editionId: string; pending: number }>(
    `SELECT edition_id AS editionId, COUNT(*) AS pending FROM ledger WHERE status = 'pending'
     GROUP BY edition_id ORDER BY edition_id`,
  );
  const removeUnattempted = db.prepare<[string, string]>(
    `DELETE FROM ledger WHERE edition_id = ? AND email = ? AND status = 'pending' AND attempts = 0`,
  );
  const failAttempted = db.prepare<[string, string, string]>(
    `UPDATE ledger SET status = 'failed', updated_at = ?,
       error = 'left the subscriber list or was suppressed after an attempt (the message may have arrived)'
     WHERE edition_id = ? AND email = ? AND status = 'pending'`,
  );
  const closeAll = db.transaction(
    (editionId: string, orphans: readonly { email: string; attempts: number }[]) => {
      const now = nowIso();
      for (const { email, attempts } of orphans) {
        const key = suppressionKey(email);
        if (attempts === 0) removeUnattempted.run(editionId, key);
        else failAttempted.run(now, editionId, key);
      }
    },
  );
  const admitAll = db.transaction(
    (editionId: string, recipients: readonly { email: string; messageId: string }[]) => {
      const now = nowIso();
      let added = 0;
      for (const { email, messageId } of recipients) {
        added += insertPending.run(editionId, suppressionKey(email), messageId, now, now).changes;
      }
      return added;
    },
  );

  const ledger: Ledger = {
    entries(editionId) {
      const map = new Map<string, LedgerEntry>();
      for (const row of selectEntries.iterate(editionId)) {
        map.set(row.email, { status: row.status, attempts: row.attempts, messageId: row.messageId });
      }
      return map;
    },
    admit: (editionId, recipients) =>
      recipients.length === 0 ? 0 : admitAll.immediate(editionId, recipients),
    recordAttempt(editionId, email) {
      attempt.run(nowIso(), editionId, suppressionKey(email));
    },
    recordSent(editionId, email, response) {
      const now = nowIso();
      sent.run(response, now, now, editionId, suppressionKey(email));
    },
    recordFailed(editionId, email, failure) {
      failed.run(
        failure.reason,
        failure.smtpCode,
        failure.enhancedCode,
        nowIso(),
        editionId,
        suppressionKey(email),
      );
    },
    previousOutcome: (editionId, email) => previous.get(suppressionKey(email), editionId) ?? null,
    counts(editionId) {
      const result: LedgerCounts = { pending: 0, sent: 0, failed: 0 };
      for (const row of counts.iterate(editionId)) result[row.status] = row.n;
      return result;
    },
    pendingEditions: () => pendingEditions.all(),
    closeOrphans: (editionId, orphans) => closeAll.immediate(editionId, orphans),
  };
  ledgers.set(db, ledger);
  return ledger;
}
