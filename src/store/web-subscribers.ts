// The `web_subscribers` and `confirmation_mails` tables behind the WebSubscriberList of
// src/subscribers/web.ts. Every change of a row is also written to the journal: a lost
// database must not lose the readers who signed up. (The confirmation-mail times are only a
// rate limit, so they are not.)
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { addressKey } from '../identity.ts';
import type { Suppression } from '../subscribers/suppressions.ts';
import type { WebSubscriber, WebSubscriberList } from '../subscribers/web.ts';
import type { Journal } from './journal.ts';
import type { SuppressionWrites } from './suppressions.ts';

interface Row {
  email: string;
  name: string | null;
  topics: string;
  confirmedAt: string | null;
  updatedAt: string;
}

const SELECT =
  'SELECT address AS email, name, topics, confirmed_at AS confirmedAt, updated_at AS updatedAt FROM web_subscribers';

function fromRow(row: Row): WebSubscriber {
  const topics = JSON.parse(row.topics) as unknown;
  return {
    email: row.email,
    name: row.name,
    topics: Array.isArray(topics) ? topics.filter((topic): topic is string => typeof topic === 'string') : [],
    confirmedAt: row.confirmedAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * The web subscribers of `db`, stamped by `clock`; every change of a row is also written to
 * `journal`, and a sign-up lifts an unsubscribe through `suppressions`.
 */
export function createWebSubscriberList(
  db: Database.Database,
  clock: Clock,
  journal: Journal,
  suppressions: SuppressionWrites,
): WebSubscriberList {
  const findRow = db.prepare(`${SELECT} WHERE email = ?`);
  const findSuppression = db.prepare(
    'SELECT email, via, reason, created_at AS createdAt FROM suppressions WHERE email = ?',
  );
  const upsertConfirmed = db.prepare(
    `INSERT INTO web_subscribers (email, address, name, topics, confirmed_at, updated_at)
     VALUES (@key, @email, @name, @topics, @now, @now)
     ON CONFLICT (email) DO UPDATE SET address = @email, name = @name, topics = @topics,
       confirmed_at = @now, updated_at = @now`,
  );
  const upsertTopics = db.prepare(
    `INSERT INTO web_subscribers (email, address, name, topics, confirmed_at, updated_at)
     VALUES (@key, @email, NULL, @topics, NULL, @now)
     ON CONFLICT (email) DO UPDATE SET topics = @topics, updated_at = @now`,
  );
  const lastMail = db.prepare('SELECT sent_at AS sentAt FROM confirmation_mails WHERE email = ?');
  const recordMail = db.prepare(
    `INSERT INTO confirmation_mails (email, sent_at) VALUES (?, ?)
     ON CONFLICT (email) DO UPDATE SET sent_at = excluded.sent_at`,
  );
  const find = (email: string): WebSubscriber | null => {
    const row = findRow.get(addressKey(email)) as Row | undefined;
    return row ? fromRow(row) : null;
  };

  // As for suppressions, the journal line is written inside the transaction: journal order is
  // commit order, and a change the journal could not take (a full disk) is not committed.
  const journalRow = (key: string) => {
    const subscriber = find(key);
    if (subscriber) journal.record({ fact: 'web-subscriber', subscriber });
  };

  const confirm = db.transaction((entry: Pick<WebSubscriber, 'email' | 'name' | 'topics'>) => {
    const key = addressKey(entry.email);
    const existing = find(key);
    const suppression = (findSuppression.get(key) as Suppression | undefined) ?? null;
    if (existing?.confirmedAt && !suppression) return { changed: false, lifted: null };
    if (suppression) suppressions.lift(key);
    upsertConfirmed.run({
      key,
      email: entry.email,
      name: entry.name,
      topics: JSON.stringify(entry.topics),
      now: clock().toISOString(),
    });
    journalRow(key);
    return { changed: true, lifted: suppression };
  });

  const setTopics = db.transaction((email: string, topics: readonly string[]) => {
    const key = addressKey(email);
    upsertTopics.run({
      key,
      email: email.trim(),
      topics: JSON.stringify([...topics]),
      now: clock().toISOString(),
    });
    journalRow(key);
  });

  const claim = db.transaction((email: string, intervalMs: number): boolean => {
    const key = addressKey(email);
    const now = clock();
    const last = lastMail.get(key) as { sentAt: string } | undefined;
    if (last && now.getTime() - Date.parse(last.sentAt) < intervalMs) return false;
    recordMail.run(key, now.toISOString());
    return true;
  });

  return {
    find,
    list: () =>
      (db.prepare(`${SELECT} ORDER BY confirmed_at IS NULL, confirmed_at, email`).all() as Row[]).map(
        fromRow,
      ),
    confirm: (entry) => confirm.immediate(entry),
    setTopics: (email, topics) => setTopics.immediate(email, topics),
    claimConfirmationMail: (email, intervalMs) => claim.immediate(email, intervalMs),
    releaseConfirmationMail: (email) =>
      void db.prepare('DELETE FROM confirmation_mails WHERE email = ?').run(addressKey(email)),
  };
}
