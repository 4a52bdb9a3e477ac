// The `papers` table: reading papers back out (writing them — upsert and merge —
// lives in ./paper-writes.ts).
import type Database from 'better-sqlite3';
import type { EditionPaperQuery, WaitingDay } from '../edition/index.ts';
import type { Paper, PaperLinks, SourceFormat, StoredPaper } from '../types.ts';
import { upsertPapers } from './paper-writes.ts';

/** A row of the `papers` table as better-sqlite3 returns it. */
export interface PaperRow {
  seq: number;
  id: string;
  arxiv_id: string | null;
  title: string;
  title_key: string;
  abstract: string;
  authors: string;
  links: string;
  upvotes: number | null;
  published_at: string | null;
  source: string;
  origin: string;
  first_seen_at: string;
  updated_at: string;
  keywords: string;
  ai_summary: string | null;
  featured_on: string | null;
  upvotes_observed_at: string | null;
  edition_id: string | null;
}

/** Turns a `papers` row into a StoredPaper. */
export function paperFromRow(row: PaperRow): StoredPaper {
  return {
    seq: row.seq,
    id: row.id,
    arxivId: row.arxiv_id,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors) as string[],
    links: JSON.parse(row.links) as PaperLinks,
    upvotes: row.upvotes,
    keywords: JSON.parse(row.keywords) as string[],
    aiSummary: row.ai_summary,
    publishedAt: row.published_at,
    source: row.source as SourceFormat,
    origin: row.origin,
    firstSeenAt: row.first_seen_at,
    updatedAt: row.updated_at,
    featuredOn: row.featured_on,
    upvotesObservedAt: row.upvotes_observed_at,
  };
}

/** Filters for listPapers; all optional. */
export interface PaperQuery {
  /** Only papers first seen at or after this ISO date/time. */
  since?: string;
  /** Only papers stored after this sequence number. */
  afterSeq?: number;
  /** Only papers stored up to this sequence number. */
  throughSeq?: number;
}

/** Stored papers matching `query`, in insertion order. */
function listPapers(db: Database.Database, query: PaperQuery): StoredPaper[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.since !== undefined) {
    where.push('first_seen_at >= ?');
    params.push(query.since);
  }
  if (query.afterSeq !== undefined) {
    where.push('seq > ?');
    params.push(query.afterSeq);
  }
  if (query.throughSeq !== undefined) {
    where.push('seq <= ?');
    params.push(query.throughSeq);
  }
  const sql = `SELECT * FROM papers ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
  return (db.prepare(sql).all(...params) as PaperRow[]).map(paperFromRow);
}

/** The papers of the store. */
export interface PaperStore {
  /** Stored papers matching `query`, in insertion order. */
  list(query?: PaperQuery): StoredPaper[];
  /** The waiting papers (in no edition yet) an edition takes, in insertion order; see EditionPaperQuery. */
  forEdition(query: EditionPaperQuery): StoredPaper[];
  /** The waiting papers (in no edition yet), counted by featured day, oldest day first (null last). */
  waitingDays(): WaitingDay[];
  /** The highest sequence number in the store (0 when empty). */
  lastSeq(): number;
  /**
   * Stores `papers` (an array, or any iterable: ingest streams them) in one IMMEDIATE transaction: new
   * ones are inserted (first seen `now`), known ones refreshed. Counts a paper as updated only when a
   * stored value changed. The upvotes were observed at `observedAt` (default `now`): a count observed
   * earlier than the stored one never replaces it.
   */
  upsert(papers: Iterable<Paper>, now: Date, observedAt?: Date): { new: number; updated: number };
}

/** The paper store of `db`. */
export function createPaperStore(db: Database.Database): PaperStore {
  return {
    list: (query = {}) => listPapers(db, query),
    forEdition: ({ monday, sunday, late }) =>
      (
        db
          .prepare(
            `SELECT * FROM papers WHERE edition_id IS NULL AND (
               (featured_on >= @monday AND featured_on <= @sunday)
               OR (@late AND featured_on IS NULL)
               OR (@late AND featured_on <= @through AND seq > @afterSeq)
             ) ORDER BY seq`,
          )
          .all({
            monday,
            sunday,
            late: late ? 1 : 0,
            through: late?.through ?? null,
            afterSeq: late?.afterSeq ?? 0,
          }) as PaperRow[]
      ).map(paperFromRow),
    waitingDays: () =>
      db
        .prepare(
          `SELECT featured_on AS day, COUNT(*) AS papers FROM papers WHERE edition_id IS NULL
           GROUP BY featured_on ORDER BY featured_on IS NULL, featured_on`,
        )
        .all() as WaitingDay[],
    lastSeq: () =>
      (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM papers').get() as { seq: number }).seq,
    upsert: (papers, now, observedAt) => upsertPapers(db, papers, now, { observedAt }),
  };
}
