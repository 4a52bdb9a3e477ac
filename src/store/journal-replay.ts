// Bringing a database up to date from the journal (journal.ts), and the other way round:
// writing what a database already holds into a journal that does not exist yet (a state
// folder from before the journal, or a journal someone deleted).
//
// Replaying is idempotent and goes in journal order, so replaying from too early an offset
// is harmless: every fact sets a state (suppressed, lifted, sent …) rather than counting.
import type Database from 'better-sqlite3';
import { addressKey, titleKey } from '../identity.ts';
import type { SuppressionVia } from '../subscribers/suppressions.ts';
import type { Edition, StoredPaper } from '../types.ts';
import { editionWrites } from './editions.ts';
import { type Journal, type JournalLine, NO_JOURNAL } from './journal.ts';
import { rowChanges } from './ledger.ts';
import { upsertPapers } from './paper-writes.ts';
import { suppressionWrites } from './suppressions.ts';

/** What a replay changed in the database. */
export interface ReplaySummary {
  /** Facts read from the journal. */
  facts: number;
  /** Editions that were missing and were rebuilt from their frozen papers, or deleted since. */
  editions: number;
  /** Ledger rows that were missing or behind (admitted, sent, failed, closed). */
  deliveries: number;
  /** Suppressions added or lifted. */
  suppressions: number;
  /** Web subscriber changes (a confirmed sign-up, a change of topics) the database was missing. */
  webSubscribers: number;
}

/** The statements a replay runs, prepared once. */
function statements(db: Database.Database) {
  return {
    suppressions: suppressionWrites(db, NO_JOURNAL),
    // A row as the journal has it, unless the database holds a newer one (at the same time, the
    // later line wins: journal order is commit order).
    webSubscriber: db.prepare(
      `INSERT INTO web_subscribers (email, address, name, topics, confirmed_at, updated_at)
       VALUES (@key, @email, @name, @topics, @confirmedAt, @updatedAt)
       ON CONFLICT (email) DO UPDATE SET address = excluded.address, name = excluded.name,
         topics = excluded.topics, confirmed_at = excluded.confirmed_at, updated_at = excluded.updated_at
       WHERE excluded.updated_at >= web_subscribers.updated_at`,
    ),
    editionExists: db.prepare<[string], { id: string }>('SELECT id FROM editions WHERE id = ?'),
    previousThrough: db.prepare<[string], { through: number }>(
      'SELECT through_seq AS through FROM editions WHERE id = ?',
    ),
    paperSeq: db.prepare<[string, string, string], { seq: number }>(
      'SELECT seq FROM papers WHERE id = ? OR title_key = ? ORDER BY id = ? DESC LIMIT 1',
    ),
    editions: editionWrites(db),
    forgetLedger: db.prepare<[string]>('DELETE FROM ledger WHERE edition_id = ?'),
    admit: db.prepare(
      `INSERT OR IGNORE INTO ledger (edition_id, email, status, message_id, attempts, created_at, updated_at)
       SELECT ?, ?, 'pending', ?, 0, ?, ? WHERE EXISTS (SELECT 1 FROM editions WHERE id = ?)`,
    ),
    sent: db.prepare(
      `UPDATE ledger SET status = 'sent', response = ?, error = NULL, smtp_code = NULL, enhanced_code = NULL,
         sent_at = ?, updated_at = ?
       WHERE edition_id = ? AND email = ? AND status != 'sent'`,
    ),
    failed: db.prepare(
      `UPDATE ledger SET status = 'failed', error = ?, smtp_code = ?, enhanced_code = ?, updated_at = ?
       WHERE edition_id = ? AND email = ? AND status = 'pending'`,
    ),
    ...rowChanges(db),
  };
}

/** Returns a function that applies one journal line to `db` (call it inside a transaction), counting into `summary`. */
export function journalApplier(db: Database.Database, summary: ReplaySummary): (line: JournalLine) => void {
  const sql = statements(db);
  return (line) => {
    summary.facts++;
    switch (line.fact) {
      case 'journal':
        return;
      case 'suppressed':
        summary.suppressions += Number(
          sql.suppressions.suppress(line.email, line.via, line.reason, line.createdAt),
        );
        return;
      case 'lifted':
        summary.suppressions += Number(sql.suppressions.lift(line.email));
        return;
      case 'web-subscriber': {
        const { subscriber } = line;
        summary.webSubscribers += sql.webSubscriber.run({
          key: addressKey(subscriber.email),
          email: subscriber.email,
          name: subscriber.name,
          topics: JSON.stringify(subscriber.topics),
          confirmedAt: subscriber.confirmedAt,
          updatedAt: subscriber.updatedAt,
        }).changes;
        return;
      }
      case 'edition':
        if (!sql.editionExists.get(line.edition.id)) {
          rebuildEdition(db, sql, line.edition);
          summary.editions++;
        }
        return;
      case 'edition-deleted':
        // Its ledger rows first, as `edition --delete` forgets them before removing it.
        sql.forgetLedger.run(line.editionId);
        if (sql.editions.remove(line.editionId)) summary.editions++;
        return;
      case 'admitted':
        for (const { email, messageId } of line.recipients) {
          summary.deliveries += sql.admit.run(
            line.editionId,
            email,
            messageId,
            line.at,
            line.at,
            line.editionId,
          ).changes;
        }
        return;
      case 'sent':
        summary.deliveries += sql.sent.run(
          line.response,
          line.at,
          line.at,
          line.editionId,
          line.email,
        ).changes;
        return;
      case 'failed':
        summary.deliveries += sql.failed.run(
          line.reason,
          line.smtpCode,
          line.enhancedCode,
          line.at,
          line.editionId,
          line.email,
        ).changes;
        return;
      case 'closed':
        for (const email of line.removed) {
          summary.deliveries += sql.removeUnattempted.run(line.editionId, email).changes;
        }
        for (const email of line.failed) {
          summary.deliveries += sql.failAttempted.run(line.at, line.editionId, email).changes;
        }
        return;
      case 'requeued':
        for (const email of line.emails) {
          summary.deliveries += sql.requeue.run(line.at, line.editionId, email).changes;
        }
        return;
    }
  };
}

/**
 * Writes an edition the database lacks from its frozen papers: the papers themselves go back
 * into the papers table (so a re-ingest of the same files updates them instead of making a
 * new edition of them), and the edition covers up to the last of them.
 */
function rebuildEdition(db: Database.Database, sql: ReturnType<typeof statements>, edition: Edition): void {
  let through = edition.previousId ? (sql.previousThrough.get(edition.previousId)?.through ?? 0) : 0;
  const seqs: number[] = [];
  for (const { paper } of edition.papers) {
    upsertPapers(db, [paper], new Date(paper.firstSeenAt), {
      observedAt: new Date(paper.upvotesObservedAt ?? paper.updatedAt),
    });
    const row = sql.paperSeq.get(paper.id, titleKey(paper.title), paper.id);
    if (row) {
      through = Math.max(through, row.seq);
      seqs.push(row.seq);
    }
  }
  const previousId =
    edition.previousId && sql.editionExists.get(edition.previousId) ? edition.previousId : null;
  // The papers are this edition's: no later edition features them again.
  sql.editions.insert({ ...edition, previousId }, through, seqs);
}

/**
 * Writes every fact `db` holds (suppressions, web subscribers, editions, ledger rows) to `journal`,
 * oldest first, and puts them on disk once at the end (not one fdatasync a line).
 */
export function exportToJournal(db: Database.Database, journal: Journal): void {
  const batch = { batch: true };
  for (const row of db
    .prepare('SELECT email, via, reason, created_at AS createdAt FROM suppressions ORDER BY created_at')
    .iterate() as Iterable<{
    email: string;
    via: SuppressionVia;
    reason: string;
    createdAt: string;
  }>) {
    journal.record({ fact: 'suppressed', ...row }, batch);
  }
  for (const row of db
    .prepare(
      `SELECT address AS email, name, topics, confirmed_at AS confirmedAt, updated_at AS updatedAt
       FROM web_subscribers ORDER BY updated_at`,
    )
    .iterate() as Iterable<{
    email: string;
    name: string | null;
    topics: string;
    confirmedAt: string | null;
    updatedAt: string;
  }>) {
    journal.record(
      {
        fact: 'web-subscriber',
        subscriber: { ...row, topics: JSON.parse(row.topics) as string[] },
      },
      batch,
    );
  }
  const editions = db
    .prepare('SELECT id, created_at AS createdAt, previous_id AS previousId FROM editions ORDER BY rowid')
    .all() as { id: string; createdAt: string; previousId: string | null }[];
  const papersOf = db.prepare<[string], { rank: number; snapshot: string }>(
    'SELECT rank, snapshot FROM edition_papers WHERE edition_id = ? ORDER BY rank',
  );
  const rowsOf = db.prepare<
    [string],
    {
      email: string;
      status: string;
      messageId: string;
      response: string | null;
      error: string | null;
      smtpCode: number | null;
      enhancedCode: string | null;
    }
  >(
    `SELECT email, status, message_id AS messageId, response, error, smtp_code AS smtpCode,
       enhanced_code AS enhancedCode FROM ledger WHERE edition_id = ? ORDER BY email`,
  );
  for (const edition of editions) {
    const papers = papersOf
      .all(edition.id)
      .map((row) => ({ rank: row.rank, paper: JSON.parse(row.snapshot) as StoredPaper }));
    journal.record({ fact: 'edition', edition: { ...edition, papers } }, batch);
    const rows = rowsOf.all(edition.id);
    if (rows.length === 0) continue;
    journal.record(
      {
        fact: 'admitted',
        editionId: edition.id,
        recipients: rows.map((row) => ({ email: row.email, messageId: row.messageId })),
      },
      batch,
    );
    for (const row of rows) {
      if (row.status === 'sent') {
        journal.record(
          {
            fact: 'sent',
            editionId: edition.id,
            email: row.email,
            response: row.response ?? '',
          },
          batch,
        );
      } else if (row.status === 'failed') {
        journal.record(
          {
            fact: 'failed',
            editionId: edition.id,
            email: row.email,
            reason: row.error ?? '',
            smtpCode: row.smtpCode,
            enhancedCode: row.enhancedCode,
          },
          batch,
        );
      }
    }
  }
  journal.flush();
}
