// Writing papers: insert the new, refresh the known, and merge a paper known only
// by its title with the same paper under its arXiv id, so a reader never gets one
// paper twice because two sources spelled it differently.
import type Database from 'better-sqlite3';
import { titleKey } from '../identity.ts';
import type { Paper, PaperLinks } from '../types.ts';
import type { PaperRow } from './papers.ts';

const LINK_ORDER: (keyof PaperLinks)[] = ['page', 'arxiv', 'pdf', 'code', 'project'];

/** Links as stored: a JSON object with its keys always in the same order, so equal links are equal text. */
function linksJson(...sets: PaperLinks[]): string {
  const links: PaperLinks = {};
  for (const kind of LINK_ORDER) {
    // The first set that has a link of this kind wins: the stored paper keeps what it has.
    const url = sets.find((set) => set[kind])?.[kind];
    if (url) links[kind] = url;
  }
  return JSON.stringify(links);
}

interface Statements {
  byId: Database.Statement<[string], PaperRow>;
  idlessByTitleKey: Database.Statement<[string], PaperRow>;
  anyByTitleKey: Database.Statement<[string], PaperRow>;
  insert: Database.Statement<unknown[]>;
  update: Database.Statement<unknown[]>;
  observed: Database.Statement<[string, number]>;
}

// Prepared once per connection: a 20,000-paper source reuses the same five statements.
const prepared = new WeakMap<Database.Database, Statements>();

function statements(db: Database.Database): Statements {
  let found = prepared.get(db);
  if (!found) {
    // One source can write tens of MB in one transaction; with SQLite's default 2 MB page cache the
    // dirty pages spill to the WAL mid-transaction and are written again (measured: about half again as much CPU).
    db.pragma('cache_size = -65536');
    found = {
      byId: db.prepare('SELECT * FROM papers WHERE id = ?'),
      idlessByTitleKey: db.prepare(
        'SELECT * FROM papers WHERE title_key = ? AND arxiv_id IS NULL ORDER BY seq LIMIT 1',
      ),
      anyByTitleKey: db.prepare('SELECT * FROM papers WHERE title_key = ? ORDER BY seq LIMIT 1'),
      insert: db.prepare(`
        INSERT INTO papers (id, arxiv_id, title, title_key, abstract, authors, links, upvotes,
          published_at, source, origin, first_seen_at, updated_at, keywords, ai_summary,
          featured_on, upvotes_observed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      update: db.prepare(`
        UPDATE papers SET id = ?, arxiv_id = ?, title = ?, abstract = ?, authors = ?, links = ?,
          upvotes = ?, published_at = ?, keywords = ?, ai_summary = ?, featured_on = ?,
          upvotes_observed_at = ?, updated_at = ?
        WHERE seq = ?`),
      observed: db.prepare('UPDATE papers SET upvotes_observed_at = ? WHERE seq = ?'),
    };
    prepared.set(db, found);
  }
  return found;
}

/** The row `paper` belongs to: same id; else, by title, an id-less row for an arXiv paper or any row for an id-less one. */
function findRow(sql: Statements, paper: Paper, key: string): PaperRow | undefined {
  return (
    sql.byId.get(paper.id) ?? (paper.arxivId ? sql.idlessByTitleKey.get(key) : sql.anyByTitleKey.get(key))
  );
}

/** True when upvotes observed at `observedAt` may replace the row's: they are not older than what it holds. */
function isNewerObservation(row: PaperRow, observedAt: string): boolean {
  // A row stored before observation times were kept takes any count, as it always did.
  return row.upvotes_observed_at === null || observedAt >= row.upvotes_observed_at;
}

/** What taking in a paper changes in its row. */
type Merge =
  | { kind: 'changed'; values: unknown[] }
  /** The same count seen again, later: only the observation time moves on. */
  | { kind: 'observed'; observedAt: string }
  | { kind: 'unchanged' };

/** The row's values after taking in `paper`, its upvotes observed at `observedAt`. */
function merged(row: PaperRow, paper: Paper, observedAt: string): Merge {
  // The stored paper keeps what it has and gains what it lacked.
  const takesId = row.arxiv_id === null && paper.arxivId !== null;
  // Upvotes only ever take a newer observation: an old file read after a fresh fetch changes nothing.
  const takesUpvotes = paper.upvotes !== null && isNewerObservation(row, observedAt);
  const next = {
    id: takesId ? paper.arxivId : row.id,
    arxiv_id: row.arxiv_id ?? paper.arxivId,
    title: row.title || paper.title,
    abstract: row.abstract || paper.abstract,
    authors: row.authors === '[]' ? JSON.stringify(paper.authors) : row.authors,
    links: linksJson(JSON.parse(row.links) as PaperLinks, paper.links),
    upvotes: takesUpvotes ? paper.upvotes : row.upvotes,
    published_at: row.published_at ?? paper.publishedAt,
    keywords: row.keywords === '[]' ? JSON.stringify(paper.keywords) : row.keywords,
    ai_summary: row.ai_summary ?? paper.aiSummary,
    featured_on: row.featured_on ?? paper.featuredOn ?? null,
    upvotes_observed_at: takesUpvotes ? observedAt : row.upvotes_observed_at,
  };
  const changed =
    next.id !== row.id ||
    next.arxiv_id !== row.arxiv_id ||
    next.title !== row.title ||
    next.abstract !== row.abstract ||
    next.authors !== row.authors ||
    next.links !== row.links ||
    next.upvotes !== row.upvotes ||
    next.published_at !== row.published_at ||
    next.keywords !== row.keywords ||
    next.ai_summary !== row.ai_summary ||
    next.featured_on !== row.featured_on;
  if (!changed) {
    return next.upvotes_observed_at === row.upvotes_observed_at
      ? { kind: 'unchanged' }
      : { kind: 'observed', observedAt: next.upvotes_observed_at! };
  }
  const values = [
    next.id,
    next.arxiv_id,
    next.title,
    next.abstract,
    next.authors,
    next.links,
    next.upvotes,
    next.published_at,
    next.keywords,
    next.ai_summary,
    next.featured_on,
    next.upvotes_observed_at,
  ];
  return { kind: 'changed', values };
}

/** When the upvote counts being written were observed (default: the write time). */
export interface UpsertOptions {
  observedAt?: Date;
}

/**
 * Stores `papers` (an array, or any iterable: ingest streams them) in one IMMEDIATE transaction: new
 * ones are inserted (first seen `now`), known ones refreshed (upvotes, unless the stored count was
 * observed later than `observedAt`; empty fields filled; first-seen and featured day kept). Counts a
 * paper as updated only when a stored value changed.
 */
export function upsertPapers(
  db: Database.Database,
  papers: Iterable<Paper>,
  now: Date,
  options: UpsertOptions = {},
): { new: number; updated: number } {
  const sql = statements(db);
  const stamp = now.toISOString();
  const observedAt = (options.observedAt ?? now).toISOString();
  const write = db.transaction((batch: Iterable<Paper>) => {
    const counts = { new: 0, updated: 0 };
    for (const paper of batch) {
      const key = titleKey(paper.title);
      const row = findRow(sql, paper, key);
      if (!row) {
        sql.insert.run(
          paper.id,
          paper.arxivId,
          paper.title,
          key,
          paper.abstract,
          JSON.stringify(paper.authors),
          linksJson(paper.links),
          paper.upvotes,
          paper.publishedAt,
          paper.source,
          paper.origin,
          stamp,
          stamp,
          JSON.stringify(paper.keywords),
          paper.aiSummary,
          paper.featuredOn ?? null,
          paper.upvotes === null ? null : observedAt,
        );
        counts.new++;
        continue;
      }
      const merge = merged(row, paper, observedAt);
      if (merge.kind === 'changed') {
        sql.update.run(...merge.values, stamp, row.seq);
        counts.updated++;
      } else if (merge.kind === 'observed') {
        sql.observed.run(merge.observedAt, row.seq);
      }
    }
    return counts;
  });
  // IMMEDIATE takes the write lock up front: a second ingest process waits (busy_timeout)
  // instead of failing halfway through an upgrade from a read to a write lock.
  return write.immediate(papers);
}
