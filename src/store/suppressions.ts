// The `suppressions` table behind the SuppressionList of src/subscribers/suppressions.ts.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { addressKey } from '../identity.ts';
import type { Suppression, SuppressionList } from '../subscribers/suppressions.ts';
import type { Journal } from './journal.ts';

const SELECT = 'SELECT email, via, reason, created_at AS createdAt FROM suppressions';

/** The suppression list of `db`, stamped by `clock`; every change is also written to `journal`. */
export function createSuppressionList(
  db: Database.Database,
  clock: Clock,
  journal: Journal,
): SuppressionList {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO suppressions (email, via, reason, created_at) VALUES (?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM suppressions WHERE email = ?');
  // The journal line is written inside the transaction: journal order is commit order, and a
  // suppression the journal could not take (a full disk) is not committed either.
  const suppress = db.transaction((email: string, via: Suppression['via'], reason: string) => {
    const createdAt = clock().toISOString();
    if (insert.run(email, via, reason, createdAt).changes === 0) return false;
    journal.record({ fact: 'suppressed', email, via, reason, createdAt });
    return true;
  });
  const lift = db.transaction((email: string) => {
    if (remove.run(email).changes === 0) return false;
    journal.record({ fact: 'lifted', email });
    return true;
  });
  return {
    suppress: (email, via, reason) => suppress.immediate(addressKey(email), via, reason),
    lift: (email) => lift.immediate(addressKey(email)),
    find: (email) =>
      (db.prepare(`${SELECT} WHERE email = ?`).get(addressKey(email)) as Suppression | undefined) ?? null,
    list: () => db.prepare(`${SELECT} ORDER BY created_at, email`).all() as Suppression[],
  };
}
