// Readers who subscribed themselves (`paperwire serve`'s sign-up) and topics chosen on
// the preferences page. They live in the store (src/store/web-subscribers.ts implements
// the interface below); the config list stays the operator's file and wins where the two
// disagree: its name, its order, and its "never mail" statuses; topics are the union.
import { addressKey } from '../identity.ts';
import type { Subscriber } from '../types.ts';
import type { Suppression } from './suppressions.ts';

/** One row of the web subscribers. */
export interface WebSubscriber {
  /** The address as the reader typed it (trimmed, domain lower-cased). */
  email: string;
  name: string | null;
  /** Lower-cased, unique. */
  topics: string[];
  /** When the reader confirmed a sign-up (ISO time); null for a listed reader who only chose topics. */
  confirmedAt: string | null;
  updatedAt: string;
}

/** What a confirmation changed. */
export interface ConfirmOutcome {
  /** False when the address was a confirmed web subscriber already and not suppressed: nothing changed. */
  changed: boolean;
  /** The suppression the confirmation lifted, if there was one. */
  lifted: Suppression | null;
}

/** The web subscribers as the sign-up, the preferences page and the audience need them. */
export interface WebSubscriberList {
  /** The row of `email` (compared case-insensitively), or null. */
  find(email: string): WebSubscriber | null;
  /** Every row, the confirmed ones in the order they confirmed, then the others. */
  list(): WebSubscriber[];
  /**
   * Records a confirmed sign-up and lifts any suppression of the address, in one transaction.
   * An active web subscriber (confirmed, not suppressed) is left as they are.
   */
  confirm(entry: Pick<WebSubscriber, 'email' | 'name' | 'topics'>): ConfirmOutcome;
  /** Stores the topics `email` chose on the preferences page (a row is made for a listed reader). */
  setTopics(email: string, topics: readonly string[]): void;
  /** Claims the right to send `email` a confirmation now: false when one went out less than `intervalMs` ago. */
  claimConfirmationMail(email: string, intervalMs: number): boolean;
  /** Gives a claim back (the mail could not be sent), so the reader may try again at once. */
  releaseConfirmationMail(email: string): void;
}

/** A subscriber of a send with where they come from. */
export interface AudienceMember extends Subscriber {
  /** `list` for everyone on the config list (also when they chose topics on the web), `web` for sign-ups. */
  source: 'list' | 'web';
  /** When they confirmed a web sign-up, or null. */
  confirmedAt: string | null;
}

/** `first` then the items of `second` it lacks. */
function union(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second])];
}

/**
 * The audience of the config list (`listed`, in its order) and the web rows: a listed reader
 * keeps the list's name (the web one only where the list has none) and gets the union of
 * both topic lists; confirmed web subscribers not on the list follow, in confirmation order;
 * an address the list marks as not to be mailed (`blocked`, address keys) never joins from the web.
 */
export function mergeAudience(
  listed: readonly Subscriber[],
  web: readonly WebSubscriber[],
  blocked: ReadonlySet<string> = new Set(),
): AudienceMember[] {
  const byKey = new Map(web.map((row) => [addressKey(row.email), row]));
  const members: AudienceMember[] = listed.map((subscriber) => {
    const row = byKey.get(addressKey(subscriber.email));
    return {
      ...subscriber,
      name: subscriber.name ?? row?.name ?? null,
      topics: row ? union(subscriber.topics, row.topics) : subscriber.topics,
      source: 'list',
      confirmedAt: row?.confirmedAt ?? null,
    };
  });
  const onList = new Set(listed.map((subscriber) => addressKey(subscriber.email)));
  for (const row of web) {
    const key = addressKey(row.email);
    if (row.confirmedAt === null || onList.has(key) || blocked.has(key)) continue;
    members.push({
      email: row.email,
      name: row.name,
      topics: row.topics,
      source: 'web',
      confirmedAt: row.confirmedAt,
    });
  }
  return members;
}

/** A member as the plain Subscriber deliver and render take. */
export function asSubscriber(member: AudienceMember): Subscriber {
  return { email: member.email, name: member.name, topics: member.topics };
}
