// What the mailbox stage keeps about the messages it read and the deliveries they are
// about: the shapes the store implements (src/store/mailbox.ts).
import type { SuppressionVia } from '../subscribers/suppressions.ts';

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

/** The store as the mailbox stage needs it. */
export interface MailboxRecords {
  /** The processed message with this key, or null. */
  processed(key: string): StoredMailboxMessage | null;
  /** The delivery sent with Message-ID `messageId`. */
  deliveryByMessageId(messageId: string): DeliveryRef | null;
  /** Every edition id with deliveries. */
  editionIds(): string[];
  /** The addresses an edition went to. */
  editionRecipients(editionId: string): string[];
  /** The address's editions with their send failures and recorded reports, oldest first. */
  addressEditions(email: string): AddressEdition[];
  /** True when the address is suppressed already. */
  isSuppressed(email: string): boolean;
  /** Records a processed message and its suppression at once; false when it was recorded before. */
  record(
    message: MailboxMessageRecord,
    suppression: { email: string; via: SuppressionVia; reason: string } | null,
  ): { recorded: boolean; suppressed: boolean };
}
