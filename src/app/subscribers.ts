// The subscriber use cases: check the list (and the web sign-ups) against the
// suppressions, export the active ones, and suppress or restore an address by hand. The list stays the operator's file; only the
// store changes.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/index.ts';
import { isPaperwireError, PaperwireError } from '../errors.ts';
import { addressKey } from '../identity.ts';
import { mailboxEvent } from '../mailbox/status.ts';
import { listmonkCsv } from '../subscribers/csv.ts';
import { loadSubscribers } from '../subscribers/index.ts';
import { type SubscriberReport, subscriberReport } from '../subscribers/status.ts';
import type { Suppression } from '../subscribers/suppressions.ts';
import { asSubscriber } from '../subscribers/web.ts';
import type { Subscriber } from '../types.ts';
import { readAudience } from './audience.ts';
import type { AppContext } from './context.ts';

/**
 * The list with every entry's status and what the mailbox recorded about them (bounces, complaints,
 * mailto: unsubscribes) for `paperwire subscribers`; E_SUBSCRIBERS when the list cannot be read.
 */
export function checkSubscribers(ctx: AppContext): SubscriberReport {
  const events = ctx.store.mailbox.events().flatMap((message) => mailboxEvent(message) ?? []);
  const web = ctx.store.webSubscribers.list();
  const list = loadSubscribers(ctx.config.subscribersFile, {
    allowEmpty: web.some((row) => row.confirmedAt !== null),
  });
  return subscriberReport(list, ctx.store.suppressions.list(), events, web);
}

/** What `subscribers --export` wrote. */
export interface ExportResult {
  path: string;
  count: number;
}

/**
 * Writes every active subscriber (the list's and the web's, not suppressed) to `file` (relative
 * to the working directory) as a listmonk CSV import: email,name,attributes with the topics.
 */
export function exportSubscribers(ctx: AppContext, file: string): ExportResult {
  const { members } = readAudience(ctx.store, ctx.config.subscribersFile);
  // One read of the suppressions, as planDelivery does, rather than a lookup per member.
  const suppressed = new Set(ctx.store.suppressions.list().map((suppression) => suppression.email));
  const active = members.filter((member) => !suppressed.has(addressKey(member.email)));
  const path = resolve(ctx.config.cwd, file);
  try {
    writeFileSync(path, listmonkCsv(active.map(asSubscriber)));
  } catch (error) {
    throw new PaperwireError('E_USAGE', `cannot write ${path}: ${(error as Error).message}`, {
      hint: 'Give --export a file in a folder that exists and you may write to.',
      cause: error,
    });
  }
  return { path, count: active.length };
}

/** The entry of `email` on the list SUBSCRIBERS_FILE, or null (also when the list cannot be read: then only the web counts). */
export function listEntryOf(config: Pick<Config, 'subscribersFile'>, email: string): Subscriber | null {
  const key = addressKey(email);
  try {
    const list = loadSubscribers(config.subscribersFile, { allowEmpty: true });
    return list.subscribers.find((subscriber) => addressKey(subscriber.email) === key) ?? null;
  } catch (error) {
    if (isPaperwireError(error, 'E_SUBSCRIBERS')) return null;
    throw error;
  }
}

/** True when `email` is on the configured list or a confirmed web subscriber. */
function isOnList(ctx: AppContext, email: string): boolean {
  return (
    Boolean(ctx.store.webSubscribers.find(email)?.confirmedAt) || listEntryOf(ctx.config, email) !== null
  );
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
  return { status: 'suppressed', onList: isOnList(ctx, email) };
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
  return { status: 'lifted', previous, onList: isOnList(ctx, email) };
}
