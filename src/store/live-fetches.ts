// The `live_fetches` table: the last fetch of each live source (hf, arxiv:QUERY)
// for each week, which `paperwire status` lists and the weekly job consults.
import type Database from 'better-sqlite3';
import type { LiveFetchRecord } from '../ingest/types.ts';

interface LiveFetchRow {
  source: string;
  week: string;
  fetched_at: string;
  pages: number;
  items: number;
  new: number;
  updated: number;
  rejected: number;
  other_weeks: number;
  error: string | null;
}

function recordFromRow(row: LiveFetchRow): LiveFetchRecord {
  return {
    source: row.source,
    week: row.week,
    fetchedAt: row.fetched_at,
    pages: row.pages,
    items: row.items,
    new: row.new,
    updated: row.updated,
    rejected: row.rejected,
    otherWeeks: row.other_weeks,
    error: row.error,
  };
}

/** The live sources' fetches. */
export interface LiveFetchStore {
  /** Stores what a live source's fetch of a week did, replacing the record of its previous fetch of that week. */
  record(record: LiveFetchRecord): void;
  /** The most recent fetch of each live source (whatever its week), by source name. */
  latest(): LiveFetchRecord[];
  /** The last fetch of `source` for `week`, or null when it never fetched that week. */
  find(source: string, week: string): LiveFetchRecord | null;
}

/** The live fetch records of `db`. */
export function createLiveFetchStore(db: Database.Database): LiveFetchStore {
  return {
    record(record) {
      db.prepare(
        `INSERT OR REPLACE INTO live_fetches
           (source, week, fetched_at, pages, items, new, updated, rejected, other_weeks, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        record.source,
        record.week,
        record.fetchedAt,
        record.pages,
        record.items,
        record.new,
        record.updated,
        record.rejected,
        record.otherWeeks,
        record.error,
      );
    },
    latest: () =>
      (
        db
          .prepare(
            `SELECT * FROM live_fetches AS f
             WHERE fetched_at = (SELECT MAX(fetched_at) FROM live_fetches WHERE source = f.source)
             GROUP BY source ORDER BY source`,
          )
          .all() as LiveFetchRow[]
      ).map(recordFromRow),
    find(source, week) {
      const row = db.prepare('SELECT * FROM live_fetches WHERE source = ? AND week = ?').get(source, week) as
        | LiveFetchRow
        | undefined;
      return row ? recordFromRow(row) : null;
    },
  };
}
