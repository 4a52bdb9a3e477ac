// Who is on the list for a send or a preview: the one place the subscriber list is
// read for delivery, its skipped entries reported, and the "newcomers" rule applied.
import type { Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import { loadSubscribers } from '../subscribers/index.ts';
import type { Subscriber } from '../types.ts';

/**
 * The valid subscribers of `file`, in list order; an invalid entry is logged and
 * skipped, and so is a row the list itself marks as not to be mailed (listmonk's blocklisted). Throws E_SUBSCRIBERS when the list is missing, unreadable or empty.
 */
export function loadAudience(file: string, log: Logger): Subscriber[] {
  const list = loadSubscribers(file);
  for (const entry of list.invalid) {
    log.warn(`${file} line ${entry.line}: skipped ${JSON.stringify(entry.value)}: ${entry.reason}`);
  }
  for (const entry of list.notMailed) {
    log.info(`${file} line ${entry.line}: not mailed: ${entry.email} is ${entry.status} in the list`);
  }
  return list.subscribers;
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
