// What the mailbox did, as data for `paperwire status` and `paperwire subscribers`: the
// bounces, complaints and mailto: unsubscribes recorded, with their dates, and the
// requests held because DMARC failed (their lines: src/cli/present/mailbox.ts). Pure:
// the caller reads the store.
import type { MailboxConfig } from '../config/index.ts';
import type { MailboxClass, StoredMailboxMessage } from './records.ts';

/** One recorded message about a subscriber, as status and subscribers show it. */
export interface MailboxEvent {
  email: string;
  class: Exclude<MailboxClass, 'other'>;
  outcome: string;
  editionId: string | null;
  status: string | null;
  detail: string | null;
  /** The message's own date when it had one, else when paperwire processed it (ISO 8601). */
  at: string;
}

/** The mailbox part of `paperwire status` (and of its --json). */
export interface MailboxStatus {
  /** MAILBOX_URL without credentials, or null when none is set. */
  url: string | null;
  everyMs: number | null;
  lastProcessedAt: string | null;
  bounces: number;
  complaints: number;
  unsubscribes: number;
  held: MailboxEvent[];
  /** The latest events, newest first. */
  recent: MailboxEvent[];
}

/** `imap://host:port/INBOX` of a mailbox config, without the credentials. */
export function redactedMailboxUrl(config: MailboxConfig): string {
  return `${config.secure ? 'imaps' : 'imap'}://${config.host}:${config.port}/${config.folder}`;
}

/** A stored message as a MailboxEvent (null for messages about no subscriber). */
export function mailboxEvent(message: StoredMailboxMessage): MailboxEvent | null {
  if (message.class === 'other' || message.email === null) return null;
  return {
    email: message.email,
    class: message.class,
    outcome: message.outcome,
    editionId: message.editionId,
    status: message.status,
    detail: message.detail,
    at: message.receivedAt ?? message.processedAt,
  };
}

/** Builds the status from the configuration, the counts and the events (newest first). */
export function mailboxStatus(
  config: MailboxConfig | null,
  counts: { counts: Record<MailboxClass, number>; lastProcessedAt: string | null },
  events: readonly MailboxEvent[],
  recent = 10,
): MailboxStatus {
  return {
    url: config ? redactedMailboxUrl(config) : null,
    everyMs: config?.everyMs ?? null,
    lastProcessedAt: counts.lastProcessedAt,
    bounces: counts.counts.bounce,
    complaints: counts.counts.complaint,
    unsubscribes: counts.counts.unsubscribe,
    held: events.filter((event) => event.outcome === 'held'),
    recent: events.slice(0, recent),
  };
}
