// The `editions` and `edition_papers` tables behind the EditionRepository of
// src/edition/index.ts: an edition row plus its frozen papers, each holding the
// whole StoredPaper as JSON at freeze time; `papers.edition_id` says which edition
// took a paper (null while it waits). The row writes are shared with the journal's replay.
import type Database from 'better-sqlite3';
import type { EditionMark, EditionRepository, EditionSummary } from '../edition/index.ts';
import type { Edition, EditionPaper, StoredPaper } from '../types.ts';
import type { Journal } from './journal.ts';

interface EditionRow {
  id: string;
  created_at: string;
  previous_id: string | null;
  through_seq: number;
}

/** The row writes of an edition; call inside a transaction. */
export interface EditionWrites {
  /** Writes `edition` as it is (its previousId too) with its frozen papers, covering up to `throughSeq`, and takes the papers of `seqs`. */
  insert(edition: Edition, throughSeq: number, seqs: readonly number[]): void;
  /** Deletes edition `id` (its ledger rows must be gone): its papers wait again. False when there is none. */
  remove(id: string): boolean;
}

/**
 * The edition writes of `db`, shared by the repository and the journal's replay, so that a
 * rebuilt edition (or a deleted one) leaves the tables as the live write did.
 */
export function editionWrites(db: Database.Database): EditionWrites {
  const insertEdition = db.prepare<[string, string, string | null, number, number]>(
    'INSERT INTO editions (id, created_at, previous_id, through_seq, paper_count) VALUES (?, ?, ?, ?, ?)',
  );
  const insertPaper = db.prepare<[string, number, string, number | null, string]>(
    'INSERT INTO edition_papers (edition_id, rank, paper_id, upvotes, snapshot) VALUES (?, ?, ?, ?, ?)',
  );
  const take = db.prepare<[string, number]>('UPDATE papers SET edition_id = ? WHERE seq = ?');
  const previousOf = db.prepare<[string], Pick<EditionRow, 'previous_id'>>(
    'SELECT previous_id FROM editions WHERE id = ?',
  );
  const release = db.prepare<[string]>('UPDATE papers SET edition_id = NULL WHERE edition_id = ?');
  const relink = db.prepare<[string | null, string]>(
    'UPDATE editions SET previous_id = ? WHERE previous_id = ?',
  );
  const deletePapers = db.prepare<[string]>('DELETE FROM edition_papers WHERE edition_id = ?');
  const deleteEdition = db.prepare<[string]>('DELETE FROM editions WHERE id = ?');
  return {
    insert(edition, throughSeq, seqs) {
      insertEdition.run(edition.id, edition.createdAt, edition.previousId, throughSeq, edition.papers.length);
      for (const { rank, paper } of edition.papers) {
        insertPaper.run(edition.id, rank, paper.id, paper.upvotes, JSON.stringify(paper));
      }
      for (const seq of seqs) take.run(edition.id, seq);
    },
    remove(id) {
      const row = previousOf.get(id);
      if (!row) return false;
      // Its papers wait again; an edition that named it as the previous one names its previous instead.
      release.run(id);
      relink.run(row.previous_id, id);
      deletePapers.run(id);
      deleteEdition.run(id);
      return true;
    },
  };
}

/** The edition repository of `db`; a frozen edition is also written, papers and all, to `journal`. */
export function createEditionStore(db: Database.Database, journal: Journal): EditionRepository {
  const writes = editionWrites(db);
  const papersOf = (id: string): EditionPaper[] =>
    (
      db.prepare('SELECT rank, snapshot FROM edition_papers WHERE edition_id = ? ORDER BY rank').all(id) as {
        rank: number;
        snapshot: string;
      }[]
    ).map((row) => ({ rank: row.rank, paper: JSON.parse(row.snapshot) as StoredPaper }));
  const toEdition = (row: EditionRow): Edition => ({
    id: row.id,
    createdAt: row.created_at,
    previousId: row.previous_id,
    papers: papersOf(row.id),
  });
  return {
    find(id) {
      const row = db.prepare('SELECT * FROM editions WHERE id = ?').get(id) as EditionRow | undefined;
      return row ? toEdition(row) : null;
    },
    latest(): EditionMark | null {
      // Creation order, not week order.
      const row = db.prepare('SELECT id, through_seq FROM editions ORDER BY rowid DESC LIMIT 1').get() as
        | Pick<EditionRow, 'id' | 'through_seq'>
        | undefined;
      return row ? { id: row.id, throughSeq: row.through_seq } : null;
    },
    marks(): EditionMark[] {
      // Week ids (`2026-W48`) sort as text in week order.
      return db
        .prepare('SELECT id, through_seq AS throughSeq FROM editions ORDER BY id')
        .all() as EditionMark[];
    },
    insert(edition, throughSeq) {
      writes.insert(
        edition,
        throughSeq,
        edition.papers.map(({ paper }) => paper.seq),
      );
      // Inside the freeze's transaction: an edition the journal could not take is not frozen.
      journal.record({ fact: 'edition', edition });
    },
    remove(id) {
      if (!writes.remove(id)) return false;
      // Or a database rebuilt from the journal would bring the edition back.
      journal.record({ fact: 'edition-deleted', editionId: id });
      return true;
    },
    summaries(): EditionSummary[] {
      return db
        .prepare(
          `SELECT e.id, e.created_at AS createdAt, e.paper_count AS paperCount,
             COALESCE(SUM(l.status = 'sent'), 0) AS sent,
             COALESCE(SUM(l.status = 'failed'), 0) AS failed,
             COALESCE(SUM(l.status = 'pending'), 0) AS pending
           FROM editions e LEFT JOIN ledger l ON l.edition_id = e.id
           GROUP BY e.id ORDER BY e.rowid DESC`,
        )
        .all() as EditionSummary[];
    },
  };
}
