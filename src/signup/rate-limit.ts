// How many sign-ups one client address may make in a sliding hour. Kept in memory: a
// restart forgets it, which only ever lets a client start afresh; the per-address
// limit on confirmation emails lives in the store and survives restarts.
import type { Clock } from '../clock.ts';

/** Clients remembered at most; past it the one seen longest ago is forgotten, so memory stays bounded. */
const MAX_CLIENTS = 10_000;

/** A sliding-window counter per key. */
export interface RateLimiter {
  /** Counts one event for `key` and returns true, or returns false (counting nothing) when `key` is at its limit. */
  take(key: string): boolean;
}

/** At most `limit` events per key within `windowMs`, timed by `clock`. */
export function slidingWindowLimiter(limit: number, windowMs: number, clock: Clock): RateLimiter {
  const events = new Map<string, number[]>();
  return {
    take(key) {
      const now = clock().getTime();
      const recent = (events.get(key) ?? []).filter((at) => now - at < windowMs);
      // Re-inserting keeps the map in order of last activity, oldest first.
      events.delete(key);
      if (recent.length >= limit) {
        events.set(key, recent);
        return false;
      }
      recent.push(now);
      events.set(key, recent);
      if (events.size > MAX_CLIENTS) events.delete(events.keys().next().value as string);
      return true;
    },
  };
}
