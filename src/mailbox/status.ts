// What the mailbox did, for `paperwire status` and `paperwire subscribers`: the
// bounces, complaints and mailto: unsubscribes recorded, with their dates, and the
// requests held because DMARC failed. Pure: the caller reads the store.
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

/** `2026-11-20T14:03:09.123Z` → `2026-11-20 14:03 UTC`. */
export function shortTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
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

function every(ms: number): string {
  return ms % 3_600_000 === 0
    ? `${ms / 3_600_000}h`
    : ms % 60_000 === 0
      ? `${ms / 60_000}m`
      : `${ms / 1000}s`;
}

/** One line about an event: `2026-11-23 08:00 UTC  bounce 5.1.1 (2026-W48) ghost@example.net: suppressed`. */
export function eventLine(event: MailboxEvent): string {
  const what =
    event.class === 'bounce'
      ? `bounce ${event.status ?? ''}`.trim()
      : event.class === 'complaint'
        ? 'complaint'
        : 'mailto: unsubscribe';
  const edition = event.editionId ? ` (${event.editionId})` : '';
  return `${shortTime(event.at)}  ${what}${edition} ${event.email}: ${event.outcome}`;
}

/** The status as lines for `paperwire status`. */
export function mailboxStatusLines(status: MailboxStatus): string[] {
  const lines = [
    status.url
      ? `mailbox: ${status.url}, read before each delivery and every ${every(status.everyMs ?? 0)}`
      : 'mailbox: not read (set MAILBOX_URL to act on bounces, complaints and mailto: unsubscribes)',
  ];
  if (status.lastProcessedAt === null && status.recent.length === 0) return lines;
  lines.push(
    `mailbox: ${status.bounces} bounce${status.bounces === 1 ? '' : 's'}, ${status.complaints} complaint${status.complaints === 1 ? '' : 's'}, ${status.unsubscribes} mailto unsubscribe${status.unsubscribes === 1 ? '' : 's'}, ${status.held.length} held; last processed ${status.lastProcessedAt ? shortTime(status.lastProcessedAt) : 'never'}`,
  );
  for (const event of status.recent) lines.push(`  ${eventLine(event)}`);
  for (const event of status.held) {
    lines.push(
      `held: ${event.email} asked to unsubscribe on ${shortTime(event.at)} but DMARC failed; if it is genuine, run \`paperwire unsubscribe ${event.email}\``,
    );
  }
  return lines;
}
