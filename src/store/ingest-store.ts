// What ingest writes: papers (./paper-writes.ts) and the record of each live source's fetch of a
// week, which `paperwire status` lists.
import type { IngestStore, LiveFetchRecord } from '../ingest/types.ts';
import type { Store } from './index.ts';
import { upsertPapers } from './paper-writes.ts';

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

/** Stores what a live source's fetch of a week did, replacing the record of its previous fetch of that week. */
export function recordLiveFetch(store: Store, record: LiveFetchRecord): void {
  store.db
    .prepare(
      `INSERT OR REPLACE INTO live_fetches
         (source, week, fetched_at, pages, items, new, updated, rejected, other_weeks, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
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
}

/** The most recent fetch of each live source (whatever its week), by source name. */
export function latestLiveFetches(store: Store): LiveFetchRecord[] {
  const rows = store.db
    .prepare(
      `SELECT * FROM live_fetches AS f
       WHERE fetched_at = (SELECT MAX(fetched_at) FROM live_fetches WHERE source = f.source)
       GROUP BY source ORDER BY source`,
    )
    .all() as LiveFetchRow[];
  return rows.map(recordFromRow);
}

/** The last fetch of `source` for `week`, or null when it never fetched that week. */
export function findLiveFetch(store: Store, source: string, week: string): LiveFetchRecord | null {
  const row = store.db
    .prepare('SELECT * FROM live_fetches WHERE source = ? AND week = ?')
    .get(source, week) as LiveFetchRow | undefined;
  return row ? recordFromRow(row) : null;
}

/** The store as ingest sees it. */
export function ingestStore(store: Store): IngestStore {
  return {
    upsertPapers: (papers, now, observedAt) => upsertPapers(store, papers, now, { observedAt }),
    recordLiveFetch: (record) => recordLiveFetch(store, record),
  };
}
