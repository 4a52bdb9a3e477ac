// Who on the list (and among the web sign-ups) is active, suppressed (and how, since when), not mailed by its
// status in the list (listmonk's blocklisted, unsubscribed) or invalid, and what the
// mailbox recorded about them: what `paperwire subscribers` reports. Pure: the caller
// passes the list, the suppressions and the mailbox's events.
import { addressKey } from '../identity.ts';
import type { MailboxEvent } from '../mailbox/status.ts';
import type { SubscriberList } from './index.ts';
import type { Suppression, SuppressionVia } from './suppressions.ts';
import { mergeAudience, type WebSubscriber } from './web.ts';

/** Where a subscriber comes from, and when they confirmed a web sign-up (null: never). */
export interface SubscriberOrigin {
  /** `list`: the config list (also when they chose topics on the web); `web`: a web sign-up. */
  source: 'list' | 'web';
  confirmedAt: string | null;
}

/** One entry of the list or the web sign-ups with its status (the `--json` shape). */
export type SubscriberStatus = SubscriberOrigin &
  (
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
    | {
        email: string;
        name: null;
        topics: string[];
        status: 'not-mailed';
        line: number;
        /** The entry's status in the list file, e.g. `blocklisted`. */
        listStatus: string;
      }
    | { email: string; name: null; topics: string[]; status: 'invalid'; line: number; reason: string }
  );

/** The list's counts and every entry (`paperwire subscribers --json`). */
export interface SubscriberReport {
  file: string;
  active: number;
  suppressed: number;
  /** Entries kept off the mailing by their status in the list file (blocklisted, unsubscribed). */
  notMailed: number;
  invalid: number;
  /** Entries that repeated an address already on the list. */
  duplicates: number;
  /** Subscribers who signed up on the web and are not on the list (active or suppressed). */
  fromWeb: number;
  subscribers: SubscriberStatus[];
  warnings: { line: number; message: string }[];
  /** What the mailbox recorded about listed addresses (bounces, complaints, mailto: unsubscribes), newest first. */
  mailbox: MailboxEvent[];
}

/** Joins the list and the web sign-ups (mergeAudience) with the store's suppressions and the mailbox's events (newest first). */
export function subscriberReport(
  list: SubscriberList,
  suppressions: readonly Suppression[],
  mailboxEvents: readonly MailboxEvent[] = [],
  web: readonly WebSubscriber[] = [],
): SubscriberReport {
  const members = mergeAudience(
    list.subscribers,
    web,
    new Set(list.notMailed.map((entry) => addressKey(entry.email))),
  );
  const listed = new Set(members.map((member) => addressKey(member.email)));
  const byKey = new Map(suppressions.map((suppression) => [suppression.email, suppression]));
  const report: SubscriberReport = {
    file: list.file,
    active: 0,
    suppressed: 0,
    notMailed: list.notMailed.length,
    invalid: list.invalid.length,
    duplicates: list.duplicates,
    fromWeb: members.filter((member) => member.source === 'web').length,
    subscribers: [],
    warnings: list.warnings,
    mailbox: mailboxEvents.filter((event) => listed.has(addressKey(event.email))),
  };
  for (const subscriber of members) {
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
  for (const entry of list.notMailed) {
    report.subscribers.push({
      email: entry.email,
      name: null,
      topics: [],
      source: 'list',
      confirmedAt: null,
      status: 'not-mailed',
      line: entry.line,
      listStatus: entry.status,
    });
  }
  for (const entry of list.invalid) {
    report.subscribers.push({
      email: entry.value,
      name: null,
      topics: [],
      source: 'list',
      confirmedAt: null,
      status: 'invalid',
      line: entry.line,
      reason: entry.reason,
    });
  }
  return report;
}
