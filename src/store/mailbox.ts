// What the mailbox stage reads and writes: the messages it processed (once each,
// by Message-ID), the deliveries a report is about, and the history the bounce
// rule looks at. The stage declares what it needs (src/mailbox/index.ts); the app
// layer hands it these functions.
import { nowIso, type Store } from './index.ts';
import { type SuppressionVia, suppressionKey } from './suppressions.ts';

/** The class of a message read from the mailbox. */
export type MailboxClass = 'bounce' | 'complaint' | 'unsubscribe' | 'other';

/** One processed message as the store keeps it. */
export interface MailboxMessageRecord {
  /** The Message-ID without angle brackets, or `sha256:<hex>` of the message when it has none. */
  key: string;
  class: MailboxClass;
  /** What was done, e.g. `suppressed`, `recorded`, `held`, `not on the list`, `left alone`. */
  outcome: string;
  /** The subscriber it is about; null when none (a non-subscriber's address is never stored). */
  email: string | null;
  editionId: string | null;
  /** A delivery report's status code (5.1.1), or null. */
  status: string | null;
  detail: string | null;
  /** The message's own date (ISO 8601), when it has one. */
  receivedAt: string | null;
}

/** A processed message with the time it was processed. */
export interface StoredMailboxMessage extends MailboxMessageRecord {
  processedAt: string;
}

/** A ledger row a report was matched to. */
export interface DeliveryRef {
  editionId: string;
  email: string;
}

/** An address's row in one edition, with what went wrong with it, for the bounce rule. */
export interface AddressEdition {
  editionId: string;
  /** The SMTP server refused it for good at send time: its enhanced code and reason, or null. */
  sendFailure: { enhancedCode: string | null; smtpCode: number | null; reason: string } | null;
  /** The status codes of delivery reports recorded about it (5.1.1, 4.2.2 …). */
  reportStatuses: string[];
}

/** The keys among `keys` that were processed already. */
export function processedMessageKeys(store: Store, keys: readonly string[]): Set<string> {
  const select = store.db.prepare<[string], { key: string }>(
    'SELECT message_key AS key FROM mailbox_messages WHERE message_key = ?',
  );
  const found = new Set<string>();
  for (const key of keys) if (select.get(key)) found.add(key);
  return found;
}

/** The processed message with `key`, or null. */
export function findMailboxMessage(store: Store, key: string): StoredMailboxMessage | null {
  return (
    (store.db.prepare(`${SELECT_MESSAGES} WHERE message_key = ?`).get(key) as
      | StoredMailboxMessage
      | undefined) ?? null
  );
}

/** The delivery that went out with Message-ID `messageId` (without angle brackets), or null. */
export function findDeliveryByMessageId(store: Store, messageId: string): DeliveryRef | null {
  const row = store.db
    .prepare<[string], DeliveryRef>(
      'SELECT edition_id AS editionId, email FROM ledger WHERE message_id = ? LIMIT 1',
    )
    .get(messageId);
  return row ?? null;
}

/** Every edition id that has ledger rows, oldest first. */
export function ledgerEditionIds(store: Store): string[] {
  return store.db
    .prepare<[], { id: string }>('SELECT DISTINCT edition_id AS id FROM ledger ORDER BY edition_id')
    .all()
    .map((row) => row.id);
}

/** The addresses edition `editionId` was delivered (or attempted) to. */
export function editionRecipients(store: Store, editionId: string): string[] {
  return store.db
    .prepare<[string], { email: string }>('SELECT email FROM ledger WHERE edition_id = ?')
    .all(editionId)
    .map((row) => row.email);
}

/** Every edition `email` has a ledger row in, oldest first, with its send failure and reports. */
export function addressEditions(store: Store, email: string): AddressEdition[] {
  const key = suppressionKey(email);
  const rows = store.db
    .prepare<
      [string],
      {
        editionId: string;
        status: string;
        enhancedCode: string | null;
        smtpCode: number | null;
        error: string | null;
      }
    >(
      `SELECT edition_id AS editionId, status, enhanced_code AS enhancedCode, smtp_code AS smtpCode, error
       FROM ledger WHERE email = ? ORDER BY edition_id`,
    )
    .all(key);
  const reports = store.db
    .prepare<[string], { editionId: string; status: string }>(
      `SELECT edition_id AS editionId, status FROM mailbox_messages
       WHERE email = ? AND class = 'bounce' AND edition_id IS NOT NULL AND status IS NOT NULL`,
    )
    .all(key);
  return rows.map((row) => ({
    editionId: row.editionId,
    sendFailure:
      row.status === 'failed'
        ? { enhancedCode: row.enhancedCode, smtpCode: row.smtpCode, reason: row.error ?? '' }
        : null,
    reportStatuses: reports.filter((report) => report.editionId === row.editionId).map((r) => r.status),
  }));
}

/**
 * Records a processed message and, in the same transaction, the suppression it calls for.
 * Returns false (and changes nothing) when the message was recorded before: whoever
 * recorded it first acted on it, so a message is acted on once even when two readers race.
 */
export function recordMailboxMessage(
  store: Store,
  record: MailboxMessageRecord,
  suppression: { email: string; via: SuppressionVia; reason: string } | null,
): { recorded: boolean; suppressed: boolean } {
  const insert = store.db.prepare(
    `INSERT OR IGNORE INTO mailbox_messages
       (message_key, class, outcome, email, edition_id, status, detail, received_at, processed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const suppress = store.db.prepare(
    'INSERT OR IGNORE INTO suppressions (email, via, reason, created_at) VALUES (?, ?, ?, ?)',
  );
  const step = store.db.transaction(() => {
    const now = nowIso();
    const inserted = insert.run(
      record.key,
      record.class,
      record.outcome,
      record.email === null ? null : suppressionKey(record.email),
      record.editionId,
      record.status,
      record.detail,
      record.receivedAt,
      now,
    );
    if (inserted.changes === 0) return { recorded: false, suppressed: false };
    const suppressed = suppression
      ? suppress.run(suppressionKey(suppression.email), suppression.via, suppression.reason, now).changes ===
        1
      : false;
    return { recorded: true, suppressed };
  });
  return step.immediate();
}

const SELECT_MESSAGES = `SELECT message_key AS key, class, outcome, email, edition_id AS editionId, status, detail,
  received_at AS receivedAt, processed_at AS processedAt FROM mailbox_messages`;

/** The processed messages about subscribers (bounces, complaints, unsubscribes, held ones), newest (by their date) first. */
export function listMailboxEvents(store: Store, options: { limit?: number } = {}): StoredMailboxMessage[] {
  return store.db
    .prepare(
      `${SELECT_MESSAGES} WHERE class <> 'other' AND email IS NOT NULL
       ORDER BY COALESCE(received_at, processed_at) DESC, message_key LIMIT ?`,
    )
    .all(options.limit ?? -1) as StoredMailboxMessage[];
}

/** How many processed messages about subscribers there are per class, and when the last message was processed. */
export function mailboxCounts(store: Store): {
  counts: Record<MailboxClass, number>;
  held: number;
  lastProcessedAt: string | null;
} {
  const counts: Record<MailboxClass, number> = { bounce: 0, complaint: 0, unsubscribe: 0, other: 0 };
  for (const row of store.db
    .prepare<[], { class: MailboxClass; n: number }>(
      'SELECT class, COUNT(*) AS n FROM mailbox_messages WHERE email IS NOT NULL GROUP BY class',
    )
    .all()) {
    counts[row.class] = row.n;
  }
  const held = store.db
    .prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM mailbox_messages WHERE outcome = 'held'")
    .get()!.n;
  const last = store.db
    .prepare<[], { at: string | null }>('SELECT MAX(processed_at) AS at FROM mailbox_messages')
    .get()!.at;
  return { counts, held, lastProcessedAt: last };
}
