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
  /** Deletes every row of `editionId` (an edition being deleted, none of whose messages went out); how many. */
  forget(editionId: string): number;
}

/** The ledger of `db` (every statement prepared once), stamped by `clock`. */
export function createLedger(db: Database.Database, clock: Clock): Ledger {
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
  const previous = db.prepare<[string, string], PreviousOutcome>(
    `SELECT edition_id AS editionId, status, enhanced_code AS enhancedCode FROM ledger
     WHERE email = ? AND edition_id < ? ORDER BY edition_id DESC LIMIT 1`,
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
        const key = addressKey(email);
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
        added += insertPending.run(editionId, addressKey(email), messageId, now, now).changes;
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
      attempt.run(nowIso(), editionId, addressKey(email));
    },
    recordSent(editionId, email, response) {
      const now = nowIso();
      sent.run(response, now, now, editionId, addressKey(email));
    },
    recordFailed(editionId, email, failure) {
      failed.run(
        failure.reason,
        failure.smtpCode,
        failure.enhancedCode,
        nowIso(),
        editionId,
        addressKey(email),
      );
    },
    previousOutcome: (editionId, email) => previous.get(addressKey(email), editionId) ?? null,
    records: (editionId) => records.all(editionId),
    counts(editionId) {
      const result: LedgerCounts = { pending: 0, sent: 0, failed: 0 };
      for (const row of counts.iterate(editionId)) result[row.status] = row.n;
      return result;
    },
    pendingEditions: () => pendingEditions.all(),
    closeOrphans: (editionId, orphans) => closeAll.immediate(editionId, orphans),
    forget: (editionId) => forget.run(editionId).changes,
  };
  return ledger;
}
