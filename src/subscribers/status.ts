// Who on the list is active, suppressed (and how, since when) or invalid: what
// `paperwire subscribers` shows. Pure: the caller passes the list and the suppressions.
import { eventLine, type MailboxEvent, shortTime } from '../mailbox/status.ts';
import type { Suppression, SuppressionVia } from '../store/suppressions.ts';
import { addressKey } from './address.ts';
import type { SubscriberList } from './index.ts';

/** One entry of the list with its status (the `--json` shape). */
export type SubscriberStatus =
  | { email: string; name: string | null; topics: string[]; status: 'active' }
  | {
      email: string;
      name: string | null;
      topics: string[];
      status: 'suppressed';
      suppressedVia: SuppressionVia;
      suppressedAt: string;
      suppressedReason: string;
    }
  | { email: string; name: null; topics: string[]; status: 'invalid'; line: number; reason: string };

/** The list's counts and every entry (`paperwire subscribers --json`). */
export interface SubscriberReport {
  file: string;
  active: number;
  suppressed: number;
  invalid: number;
  /** Entries that repeated an address already on the list. */
  duplicates: number;
  subscribers: SubscriberStatus[];
  warnings: { line: number; message: string }[];
  /** What the mailbox recorded about listed addresses (bounces, complaints, mailto: unsubscribes), newest first. */
  mailbox: MailboxEvent[];
}

/** Joins the list with the store's suppressions and the mailbox's events (newest first). */
export function subscriberReport(
  list: SubscriberList,
  suppressions: readonly Suppression[],
  mailboxEvents: readonly MailboxEvent[] = [],
): SubscriberReport {
  const listed = new Set(list.subscribers.map((subscriber) => addressKey(subscriber.email)));
  const byKey = new Map(suppressions.map((suppression) => [suppression.email, suppression]));
  const report: SubscriberReport = {
    file: list.file,
    active: 0,
    suppressed: 0,
    invalid: list.invalid.length,
    duplicates: list.duplicates,
    subscribers: [],
    warnings: list.warnings,
    mailbox: mailboxEvents.filter((event) => listed.has(addressKey(event.email))),
  };
  for (const subscriber of list.subscribers) {
    const suppression = byKey.get(addressKey(subscriber.email));
    if (suppression) {
      report.suppressed++;
      report.subscribers.push({
        ...subscriber,
        status: 'suppressed',
        suppressedVia: suppression.via,
        suppressedAt: suppression.createdAt,
        suppressedReason: suppression.reason,
      });
    } else {
      report.active++;
      report.subscribers.push({ ...subscriber, status: 'active' });
    }
  }
  for (const entry of list.invalid) {
    report.subscribers.push({
      email: entry.value,
      name: null,
      topics: [],
      status: 'invalid',
      line: entry.line,
      reason: entry.reason,
    });
  }
  return report;
}

const HOW: Record<SuppressionVia, string> = {
  link: 'unsubscribed by link',
  command: 'unsubscribed by command',
  bounce: 'suppressed after bounces',
  complaint: 'suppressed after a spam complaint',
  mailto: 'unsubscribed by mail',
};

/** The report as the lines `paperwire subscribers` prints. */
export function reportLines(report: SubscriberReport, file: string): string[] {
  const lines = [
    `${file}: ${report.active} active, ${report.suppressed} suppressed, ${report.invalid} invalid` +
      (report.duplicates
        ? ` (${report.duplicates} duplicate${report.duplicates === 1 ? '' : 's'} ignored)`
        : ''),
  ];
  for (const entry of report.subscribers) {
    if (entry.status === 'suppressed') {
      const why = ['bounce', 'complaint'].includes(entry.suppressedVia) ? ` (${entry.suppressedReason})` : '';
      lines.push(
        `  suppressed  ${entry.email}: ${HOW[entry.suppressedVia]} on ${shortTime(entry.suppressedAt)}${why}`,
      );
    } else if (entry.status === 'invalid') {
      lines.push(`  invalid     line ${entry.line}: ${JSON.stringify(entry.email)}: ${entry.reason}`);
    }
  }
  for (const event of report.mailbox) {
    lines.push(
      event.outcome === 'held'
        ? `  held        ${event.email}: mailto: unsubscribe of ${shortTime(event.at)} held, DMARC failed (if genuine: paperwire unsubscribe ${event.email})`
        : `  mailbox     ${eventLine(event)}`,
    );
  }
  for (const warning of report.warnings) lines.push(`  warning     line ${warning.line}: ${warning.message}`);
  return lines;
}
