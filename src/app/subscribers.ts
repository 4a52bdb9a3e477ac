// The subscriber use cases: check the list against the suppressions, and suppress
// or restore an address by hand. The list stays the operator's file; only the
// store changes.
import type { Config } from '../config/index.ts';
import { addressKey } from '../identity.ts';
import { mailboxEvent } from '../mailbox/status.ts';
import { loadSubscribers } from '../subscribers/index.ts';
import { type SubscriberReport, subscriberReport } from '../subscribers/status.ts';
import type { Suppression } from '../subscribers/suppressions.ts';
import type { AppContext } from './context.ts';

/**
 * The list with every entry's status and what the mailbox recorded about them (bounces, complaints,
 * mailto: unsubscribes) for `paperwire subscribers`; E_SUBSCRIBERS when the list cannot be read.
 */
export function checkSubscribers(ctx: AppContext): SubscriberReport {
  const events = ctx.store.mailbox.events().flatMap((message) => mailboxEvent(message) ?? []);
  return subscriberReport(loadSubscribers(ctx.config.subscribersFile), ctx.store.suppressions.list(), events);
}

/** True when `email` is on the configured list (false too when the list cannot be read). */
function isOnList(config: Config, email: string): boolean {
  try {
    const key = addressKey(email);
    return loadSubscribers(config.subscribersFile).subscribers.some((s) => addressKey(s.email) === key);
  } catch {
    return false;
  }
}

/** What `unsubscribe` did: suppressed now, or found suppressed already (with the first record). */
export type UnsubscribeOutcome =
  | { status: 'suppressed'; onList: boolean }
  | { status: 'already'; existing: Suppression | null };

/** Suppresses `email` (a checked address) by the operator's command. */
export function unsubscribeByCommand(ctx: AppContext, email: string): UnsubscribeOutcome {
  if (!ctx.store.suppressions.suppress(email, 'command', 'paperwire unsubscribe')) {
    return { status: 'already', existing: ctx.store.suppressions.find(email) };
  }
  return { status: 'suppressed', onList: isOnList(ctx.config, email) };
}

/** What `resubscribe` did: lifted a suppression (which), or found none. */
export type ResubscribeOutcome =
  | { status: 'lifted'; previous: Suppression; onList: boolean }
  | { status: 'none' };

/** Lifts the suppression of `email` (a checked address). */
export function resubscribe(ctx: AppContext, email: string): ResubscribeOutcome {
  const previous = ctx.store.suppressions.find(email);
  if (!previous) return { status: 'none' };
  ctx.store.suppressions.lift(email);
  return { status: 'lifted', previous, onList: isOnList(ctx.config, email) };
}
