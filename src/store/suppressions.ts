// The `suppressions` table behind the SuppressionList of src/subscribers/suppressions.ts.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { addressKey } from '../identity.ts';
import type { Suppression, SuppressionList } from '../subscribers/suppressions.ts';

const SELECT = 'SELECT email, via, reason, created_at AS createdAt FROM suppressions';

/** The suppression list of `db`, stamped by `clock`. */
export function createSuppressionList(db: Database.Database, clock: Clock): SuppressionList {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO suppressions (email, via, reason, created_at) VALUES (?, ?, ?, ?)',
  );
  return {
    suppress: (email, via, reason) =>
      insert.run(addressKey(email), via, reason, clock().toISOString()).changes === 1,
    lift: (email) =>
      db.prepare('DELETE FROM suppressions WHERE email = ?').run(addressKey(email)).changes === 1,
    find: (email) =>
      (db.prepare(`${SELECT} WHERE email = ?`).get(addressKey(email)) as Suppression | undefined) ?? null,
    list: () => db.prepare(`${SELECT} ORDER BY created_at, email`).all() as Suppression[],
  };
}
