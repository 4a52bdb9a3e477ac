// The `mailbox_messages` table and the ledger lookups of the mailbox stage: the
// messages it processed (once each, by Message-ID), the deliveries a report is
// about, and the history the bounce rule looks at (src/mailbox/records.ts).
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { addressKey } from '../identity.ts';
import type {
  AddressEdition,
  DeliveryRef,
  MailboxClass,
  MailboxRecords,
  StoredMailboxMessage,
} from '../mailbox/records.ts';
import type { SuppressionWrites } from './suppressions.ts';

const SELECT_MESSAGES = `SELECT message_key AS key, class, outcome, email, edition_id AS editionId, status, detail,
  received_at AS receivedAt, processed_at AS processedAt FROM mailbox_messages`;

/** The mailbox records of the store, plus what `subscribers` and `status` show of them. */
export interface MailboxStore extends Omit<MailboxRecords, 'isSuppressed'> {
  /** The processed messages about subscribers (bounces, complaints, unsubscribes, held ones), newest (by their date) first. */
  events(options?: { limit?: number }): StoredMailboxMessage[];
  /** How many processed messages about subscribers there are per class, and when the last message was processed. */
  counts(): { counts: Record<MailboxClass, number>; held: number; lastProcessedAt: string | null };
}

/** The mailbox records of `db`, stamped by `clock`; the suppressions they call for go through `suppressions`. */
export function createMailboxStore(
  db: Database.Database,
  clock: Clock,
  suppressions: SuppressionWrites,
): MailboxStore {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO mailbox_messages
       (message_key, class, outcome, email, edition_id, status, detail, received_at, processed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  /**
   * Records a processed message and, in the same transaction, the suppression it calls for;
   * nothing changes when the message was recorded before: whoever recorded it first acted on
   * it, so a message is acted on once even when two readers race.
   */
  const record = db.transaction(
    (
      message: Parameters<MailboxRecords['record']>[0],
      suppression: Parameters<MailboxRecords['record']>[1],
    ): { recorded: boolean; suppressed: boolean } => {
      const now = clock().toISOString();
      const inserted = insert.run(
        message.key,
        message.class,
        message.outcome,
        message.email === null ? null : addressKey(message.email),
        message.editionId,
        message.status,
        message.detail,
        message.receivedAt,
        now,
      );
      if (inserted.changes === 0) return { recorded: false, suppressed: false };
      const suppressed = suppression
        ? suppressions.suppress(addressKey(suppression.email), suppression.via, suppression.reason, now)
        : false;
      return { recorded: true, suppressed };
    },
  );
  return {
    processed: (key) =>
      (db.prepare(`${SELECT_MESSAGES} WHERE message_key = ?`).get(key) as StoredMailboxMessage | undefined) ??
      null,
    deliveryByMessageId: (messageId) =>
      (db
        .prepare('SELECT edition_id AS editionId, email FROM ledger WHERE message_id = ? LIMIT 1')
        .get(messageId) as DeliveryRef | undefined) ?? null,
    editionIds: () =>
      (
        db.prepare('SELECT DISTINCT edition_id AS id FROM ledger ORDER BY edition_id').all() as {
          id: string;
        }[]
      ).map((row) => row.id),
    editionRecipients: (editionId) =>
      (db.prepare('SELECT email FROM ledger WHERE edition_id = ?').all(editionId) as { email: string }[]).map(
        (row) => row.email,
      ),
    addressEditions(email): AddressEdition[] {
      const key = addressKey(email);
      const rows = db
        .prepare(
          `SELECT edition_id AS editionId, status, enhanced_code AS enhancedCode, smtp_code AS smtpCode, error
           FROM ledger WHERE email = ? ORDER BY edition_id`,
        )
        .all(key) as {
        editionId: string;
        status: string;
        enhancedCode: string | null;
        smtpCode: number | null;
        error: string | null;
      }[];
      const reports = db
        .prepare(
          `SELECT edition_id AS editionId, status FROM mailbox_messages
           WHERE email = ? AND class = 'bounce' AND edition_id IS NOT NULL AND status IS NOT NULL`,
        )
        .all(key) as { editionId: string; status: string }[];
      return rows.map((row) => ({
        editionId: row.editionId,
        sendFailure:
          row.status === 'failed'
            ? { enhancedCode: row.enhancedCode, smtpCode: row.smtpCode, reason: row.error ?? '' }
            : null,
        reportStatuses: reports.filter((report) => report.editionId === row.editionId).map((r) => r.status),
      }));
    },
    record: (message, suppression) => record.immediate(message, suppression),
    events: (options = {}) =>
      db
        .prepare(
          `${SELECT_MESSAGES} WHERE class <> 'other' AND email IS NOT NULL
           ORDER BY COALESCE(received_at, processed_at) DESC, message_key LIMIT ?`,
        )
        .all(options.limit ?? -1) as StoredMailboxMessage[],
    counts() {
      const counts: Record<MailboxClass, number> = { bounce: 0, complaint: 0, unsubscribe: 0, other: 0 };
      for (const row of db
        .prepare('SELECT class, COUNT(*) AS n FROM mailbox_messages WHERE email IS NOT NULL GROUP BY class')
        .all() as { class: MailboxClass; n: number }[]) {
        counts[row.class] = row.n;
      }
      const held = (
        db.prepare("SELECT COUNT(*) AS n FROM mailbox_messages WHERE outcome = 'held'").get() as {
          n: number;
        }
      ).n;
      const last = (
        db.prepare('SELECT MAX(processed_at) AS at FROM mailbox_messages').get() as { at: string | null }
      ).at;
      return { counts, held, lastProcessedAt: last };
    },
  };
}
