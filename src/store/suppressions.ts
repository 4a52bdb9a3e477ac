// The `suppressions` table behind the SuppressionList of src/subscribers/suppressions.ts,
// and the two writes every repository that suppresses or lifts shares (the mailbox, web
// sign-ups, the journal's replay).
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { addressKey } from '../identity.ts';
import type { Suppression, SuppressionList, SuppressionVia } from '../subscribers/suppressions.ts';
import type { Journal } from './journal.ts';

const SELECT = 'SELECT email, via, reason, created_at AS createdAt FROM suppressions';

/** A suppression written or lifted, with its journal line; call inside a transaction, with address keys. */
export interface SuppressionWrites {
  /** Suppresses `email` as of `createdAt`; false (and nothing written) when it is suppressed already. */
  suppress(email: string, via: SuppressionVia, reason: string, createdAt: string): boolean;
  /** Lifts the suppression of `email`; false when there was none. */
  lift(email: string): boolean;
}

/**
 * The suppression writes of `db`. The journal line is written inside the caller's transaction:
 * journal order is commit order, and a change the journal could not take (a full disk) is not
 * committed either. The replay passes NO_JOURNAL.
 */
export function suppressionWrites(db: Database.Database, journal: Journal): SuppressionWrites {
  const insert = db.prepare<[string, SuppressionVia, string, string]>(
    'INSERT OR IGNORE INTO suppressions (email, via, reason, created_at) VALUES (?, ?, ?, ?)',
  );
  const remove = db.prepare<[string]>('DELETE FROM suppressions WHERE email = ?');
  return {
    suppress(email, via, reason, createdAt) {
      if (insert.run(email, via, reason, createdAt).changes === 0) return false;
      journal.record({ fact: 'suppressed', email, via, reason, createdAt });
      return true;
    },
    lift(email) {
      if (remove.run(email).changes === 0) return false;
      journal.record({ fact: 'lifted', email });
      return true;
    },
  };
}

/** The suppression list of `db`, stamped by `clock`, writing through `writes`. */
export function createSuppressionList(
  db: Database.Database,
  clock: Clock,
  writes: SuppressionWrites,
): SuppressionList {
  const suppress = db.transaction((email: string, via: SuppressionVia, reason: string) =>
    writes.suppress(email, via, reason, clock().toISOString()),
  );
  const lift = db.transaction((email: string) => writes.lift(email));
  return {
    suppress: (email, via, reason) => suppress.immediate(addressKey(email), via, reason),
    lift: (email) => lift.immediate(addressKey(email)),
    find: (email) =>
      (db.prepare(`${SELECT} WHERE email = ?`).get(addressKey(email)) as Suppression | undefined) ?? null,
    list: () => db.prepare(`${SELECT} ORDER BY created_at, email`).all() as Suppression[],
  };
}
