// Editions in the store: the `editions` row plus its frozen papers in
// `edition_papers`, each holding the whole StoredPaper as JSON at freeze time.
import type { Edition, EditionPaper, StoredPaper } from '../types.ts';
import type { Store } from './index.ts';

/** A row of the `editions` table. */
export interface EditionRow {
  id: string;
  created_at: string;
  previous_id: string | null;
  through_seq: number;
  paper_count: number;
}

/** One line of `paperwire editions`: an edition with its delivery counts from the ledger. */
export interface EditionSummary {
  id: string;
  createdAt: string;
  paperCount: number;
  sent: number;
  failed: number;
  pending: number;
}

/** The edition row with this id, or null. */
export function findEditionRow(store: Store, id: string): EditionRow | null {
  const row = store.db.prepare('SELECT * FROM editions WHERE id = ?').get(id) as EditionRow | undefined;
  return row ?? null;
}

/** The most recently created edition row (creation order, not week order), or null. */
export function latestEditionRow(store: Store): EditionRow | null {
  const row = store.db.prepare('SELECT * FROM editions ORDER BY rowid DESC LIMIT 1').get() as
    | EditionRow
    | undefined;
  return row ?? null;
}

/** The frozen papers of an edition, by rank. */
export function editionPapers(store: Store, id: string): EditionPaper[] {
  const rows = store.db
    .prepare('SELECT rank, snapshot FROM edition_papers WHERE edition_id = ? ORDER BY rank')
    .all(id) as { rank: number; snapshot: string }[];
  return rows.map((row) => ({ rank: row.rank, paper: JSON.parse(row.snapshot) as StoredPaper }));
}

/** Writes an edition and its papers; call inside a transaction. */
export function insertEdition(store: Store, edition: Edition, throughSeq: number): void {
  store.db
    .prepare(
      'INSERT INTO editions (id, created_at, previous_id, through_seq, paper_count) VALUES (?, ?, ?, ?, ?)',
    )
    .run(edition.id, edition.createdAt, edition.previousId, throughSeq, edition.papers.length);
  const insertPaper = store.db.prepare(
    'INSERT INTO edition_papers (edition_id, rank, paper_id, upvotes, snapshot) VALUES (?, ?, ?, ?, ?)',
  );
  for (const { rank, paper } of edition.papers) {
    insertPaper.run(edition.id, rank, paper.id, paper.upvotes, JSON.stringify(paper));
  }
}

/** Every edition, newest first, with how many ledger rows are sent, failed and pending. */
export function editionSummaries(store: Store): EditionSummary[] {
  return store.db
    .prepare(
      `SELECT e.id, e.created_at AS createdAt, e.paper_count AS paperCount,
         COALESCE(SUM(l.status = 'sent'), 0) AS sent,
         COALESCE(SUM(l.status = 'failed'), 0) AS failed,
         COALESCE(SUM(l.status = 'pending'), 0) AS pending
       FROM editions e LEFT JOIN ledger l ON l.edition_id = e.id
       GROUP BY e.id ORDER BY e.rowid DESC`,
    )
    .all() as EditionSummary[];
}
