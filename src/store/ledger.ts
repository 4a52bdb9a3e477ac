// The `ledger` table behind the DeliveryLedger of src/deliver/ledger.ts (the rules
// are written there), plus the counts `status`, `editions` and the weekly job read.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import type {
  DeliveryLedger,
  LedgerCounts,
  LedgerEntry,
  LedgerStatus,
  PreviousOutcome,
} from '../deliver/ledger.ts';
import { addressKey } from '../identity.ts';
import type { Journal } from './journal.ts';

/** One ledger row in full, for people and tests (`paperwire editions`, the bounce rule's history). */
export interface LedgerRecord {
  email: string;
  status: LedgerStatus;
  attempts: number;
  messageId: string;
  /** The server's reply to the accepted message. */
  response: string | null;
  /** Why it failed, for a failed row. */
  error: string | null;
  smtpCode: number | null;
  enhancedCode: string | null;
  sentAt: string | null;
}

/** The whole ledger: what delivery uses plus the counts and full rows. */
export interface Ledger extends DeliveryLedger {
  /** Every row of `editionId`, by address. */
  records(editionId: string): LedgerRecord[];
  /** How many rows of `editionId` are pending, sent and failed. */
  counts(editionId: string): LedgerCounts;
  /** Editions that still have pending rows, oldest first, with how many. */
  pendingEditions(): { editionId: string; pending: number }[];
  /**
   * Puts the failed rows of these addresses in `editionId` back to pending (their reason
   * cleared, their attempts kept), for `send --retry-failed`; returns how many.
   */
  requeueFailed(editionId: string, emails: readonly string[]): number;
  /** Deletes every row of `editionId` (an edition being deleted, none of whose messages went out); how many. */
  forget(editionId: string): number;
}

/**
 * The row changes of closing and requeueing, shared with the journal's replay so that a replayed
 * fact leaves a row as the live write did: remove a never-attempted pending row (edition, email);
 * fail an attempted one (at, edition, email); put a failed one back to pending, its reason
 * cleared (at, edition, email).
 */
export function rowChanges(db: Database.Database) {
  return {
    removeUnattempted: db.prepare<[string, string]>(
      `DELETE FROM ledger WHERE edition_id = ? AND email = ? AND status = 'pending' AND attempts = 0`,
    ),
    failAttempted: db.prepare<[string, string, string]>(
      `UPDATE ledger SET status = 'failed', updated_at = ?,
         error = 'left the subscriber list or was suppressed after an attempt (the message may have arrived)'
       WHERE edition_id = ? AND email = ? AND status = 'pending'`,
    ),
    requeue: db.prepare<[string, string, string]>(
      `UPDATE ledger SET status = 'pending', error = NULL, smtp_code = NULL, enhanced_code = NULL, updated_at = ?
       WHERE edition_id = ? AND email = ? AND status = 'failed'`,
    ),
  };
}

/**
 * The ledger of `db` (every statement prepared once), stamped by `clock`. What a rebuilt
 * database needs to send nobody anything twice goes to `journal` too: admitted rows, sent and
 * failed ones, closed ones (an attempt is not: a message in flight is sent again, same Message-ID).
 */
export function createLedger(db: Database.Database, clock: Clock, journal: Journal): Ledger {
  const nowIso = (): string => clock().toISOString();
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
  const previous = db.prepare<
    [string, string],
    {
      editionId: string;
      status: LedgerStatus;
      error: string | null;
      smtpCode: number | null;
      enhancedCode: string | null;
    }
  >(
    `SELECT edition_id AS editionId, status, error, smtp_code AS smtpCode, enhanced_code AS enhancedCode
     FROM ledger WHERE email = ? AND edition_id < ? ORDER BY edition_id DESC LIMIT 1`,
  );
  const records = db.prepare<[string], LedgerRecord>(
    `SELECT email, status, attempts, message_id AS messageId, response, error, smtp_code AS smtpCode,
       enhanced_code AS enhancedCode, sent_at AS sentAt FROM ledger WHERE edition_id = ? ORDER BY email`,
  );
  const counts = db.prepare<[string], { status: LedgerStatus; n: number }>(
    'SELECT status, COUNT(*) AS n FROM ledger WHERE edition_id = ? GROUP BY status',
  );
  const pendingEditions = db.prepare<[], { editionId: string; pending: number }>(
    `SELECT edition_id AS editionId, COUNT(*) AS pending FROM ledger WHERE status = 'pending'
     GROUP BY edition_id ORDER BY edition_id`,
  );
  const forget = db.prepare<[string]>('DELETE FROM ledger WHERE edition_id = ?');
  const { removeUnattempted, failAttempted, requeue } = rowChanges(db);
  const requeueAll = db.transaction((editionId: string, emails: readonly string[]) => {
    const now = nowIso();
    const requeued = emails.map(addressKey).filter((email) => requeue.run(now, editionId, email).changes > 0);
    if (requeued.length > 0) journal.record({ fact: 'requeued', editionId, emails: requeued });
    return requeued.length;
  });
  const closeAll = db.transaction(
    (editionId: string, orphans: readonly { email: string; attempts: number }[]) => {
      const now = nowIso();
      const removed: string[] = [];
      const failed: string[] = [];
      for (const { email, attempts } of orphans) {
        const key = addressKey(email);
        if (attempts === 0) {
          if (removeUnattempted.run(editionId, key).changes) removed.push(key);
        } else if (failAttempted.run(now, editionId, key).changes) failed.push(key);
      }
      if (removed.length + failed.length > 0) journal.record({ fact: 'closed', editionId, removed, failed });
    },
  );
  const admitAll = db.transaction(
    (editionId: string, recipients: readonly { email: string; messageId: string }[]) => {
      const now = nowIso();
      const added: { email: string; messageId: string }[] = [];
      for (const { email, messageId } of recipients) {
        const key = addressKey(email);
        if (insertPending.run(editionId, key, messageId, now, now).changes)
          added.push({ email: key, messageId });
      }
      if (added.length > 0) journal.record({ fact: 'admitted', editionId, recipients: added });
      return added.length;
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
      attempt.run(nowIso(), editionId, addressKey(email));
    },
    recordSent(editionId, email, response) {
      const now = nowIso();
      const key = addressKey(email);
      // The database first: the server has taken the message, and a row left pending would send it again.
      sent.run(response, now, now, editionId, key);
      journal.record({ fact: 'sent', editionId, email: key, response });
    },
    recordFailed(editionId, email, failure) {
      const key = addressKey(email);
      failed.run(failure.reason, failure.smtpCode, failure.enhancedCode, nowIso(), editionId, key);
      const { reason, smtpCode, enhancedCode } = failure;
      journal.record({ fact: 'failed', editionId, email: key, reason, smtpCode, enhancedCode });
    },
    previousOutcome(editionId, email): PreviousOutcome | null {
      const row = previous.get(addressKey(email), editionId);
      if (!row) return null;
      const { error, smtpCode, enhancedCode } = row;
      return {
        editionId: row.editionId,
        status: row.status,
        failure: row.status === 'failed' && error !== null ? { reason: error, smtpCode, enhancedCode } : null,
      };
    },
    records: (editionId) => records.all(editionId),
    counts(editionId) {
      const result: LedgerCounts = { pending: 0, sent: 0, failed: 0 };
      for (const row of counts.iterate(editionId)) result[row.status] = row.n;
      return result;
    },
    pendingEditions: () => pendingEditions.all(),
    closeOrphans: (editionId, orphans) => closeAll.immediate(editionId, orphans),
    requeueFailed: (editionId, emails) => (emails.length === 0 ? 0 : requeueAll.immediate(editionId, emails)),
    forget: (editionId) => forget.run(editionId).changes,
  };
  return ledger;
}
