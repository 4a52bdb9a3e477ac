// Unsubscribes and bounces, stored as suppressions: the subscriber list stays the
// operator's file, and a suppressed address is skipped, never mailed.
import { nowIso, type Store } from './index.ts';

/** How an address came to be suppressed (`complaint` and `mailto` come from the mailbox). */
export type SuppressionVia = 'link' | 'command' | 'bounce' | 'complaint' | 'mailto';

/** One suppressed address. */
export interface Suppression {
  email: string;
  via: SuppressionVia;
  reason: string;
  createdAt: string;
}

/** The form addresses are compared in: trimmed, lower-cased. */
export function suppressionKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Suppresses `email`; suppressing it again keeps the first record. Returns true when it was new. */
export function suppress(store: Store, email: string, via: SuppressionVia, reason: string): boolean {
  const result = store.db
    .prepare('INSERT OR IGNORE INTO suppressions (email, via, reason, created_at) VALUES (?, ?, ?, ?)')
    .run(suppressionKey(email), via, reason, nowIso());
  return result.changes === 1;
}

/** Lifts the suppression of `email`. Returns true when there was one. */
export function unsuppress(store: Store, email: string): boolean {
  return (
    store.db.prepare('DELETE FROM suppressions WHERE email = ?').run(suppressionKey(email)).changes === 1
  );
}

/** The suppression of `email`, or null. */
export function findSuppression(store: Store, email: string): Suppression | null {
  const row = store.db
    .prepare('SELECT email, via, reason, created_at AS createdAt FROM suppressions WHERE email = ?')
    .get(suppressionKey(email)) as Suppression | undefined;
  return row ?? null;
}

/** Every suppression, oldest first. */
export function listSuppressions(store: Store): Suppression[] {
  return store.db
    .prepare(
      'SELECT email, via, reason, created_at AS createdAt FROM suppressions ORDER BY created_at, email',
    )
    .all() as Suppression[];
}
