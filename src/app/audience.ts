// Who is on the list for a send or a preview: the one place the subscriber list and
// the web subscribers are read and joined for delivery, the list's skipped entries
// reported, and the "newcomers" rule applied.
import { PaperwireError } from '../errors.ts';
import { addressKey } from '../identity.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import { loadSubscribers, type SubscriberList } from '../subscribers/index.ts';
import { type AudienceMember, asSubscriber, mergeAudience } from '../subscribers/web.ts';
import type { Subscriber } from '../types.ts';

/** The config list as read, and everyone it and the web sign-ups make up (suppressed ones included). */
export interface Audience {
  list: SubscriberList;
  members: AudienceMember[];
}

/**
 * Reads `file` and joins the confirmed web subscribers (mergeAudience: the list wins on
 * names and "never mail" statuses, topics are the union). An empty list is fine when
 * someone signed up on the web; E_SUBSCRIBERS when the list is missing, unreadable, or
 * nobody is left at all.
 */
export function readAudience(store: Store, file: string): Audience {
  const web = store.webSubscribers.list();
  const list = loadSubscribers(file, { allowEmpty: web.some((row) => row.confirmedAt !== null) });
  const blocked = new Set(list.notMailed.map((entry) => addressKey(entry.email)));
  const members = mergeAudience(list.subscribers, web, blocked);
  if (members.length === 0) {
    throw new PaperwireError('E_SUBSCRIBERS', `the subscriber list ${file} has nobody to mail`, {
      hint: 'Add subscribers to the list, or let readers sign up with `paperwire serve` (see the README).',
    });
  }
  return { list, members };
}

/**
 * The valid subscribers of `file` in list order, then the confirmed web subscribers; an
 * invalid entry is logged and skipped, and so is a row the list itself marks as not to be
 * mailed (listmonk's blocklisted). Throws E_SUBSCRIBERS as readAudience does.
 */
export function loadAudience(store: Store, file: string, log: Logger): Subscriber[] {
  const { list, members } = readAudience(store, file);
  for (const entry of list.invalid) {
    log.warn(`${file} line ${entry.line}: skipped ${JSON.stringify(entry.value)}: ${entry.reason}`);
  }
  for (const entry of list.notMailed) {
    log.info(`${file} line ${entry.line}: not mailed: ${entry.email} is ${entry.status} in the list`);
  }
  return members.map(asSubscriber);
}

/**
 * Whether subscribers without a ledger row join an edition: while it is the edition due
 * (`dueWeek`, target.ts) or a later one, or at its first send. A past edition never
 * reaches newcomers.
 */
export function admitsNewcomers(store: Store, editionId: string, dueWeek: string): boolean {
  if (dueWeek <= editionId) return true;
  const counts = store.ledger.counts(editionId);
  return counts.pending + counts.sent + counts.failed === 0;
}
