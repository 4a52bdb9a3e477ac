// Live sources fetch one ISO week from an API instead of reading what a file or URL holds: `hf`
// (Hugging Face Daily Papers, ./hf.ts) and `arxiv:QUERY` (the arXiv API, ./arxiv.ts). Each hands its
// answers page by page to the one driver here, which keeps only the week's papers (by the day the
// source features them on), drops duplicates, stores every page as it comes, and records the fetch.

import { PaperwireError, problemOf } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Paper, SourceFormat } from '../../types.ts';
import { weekDays } from '../../week.ts';
import type { FetchOptions } from '../fetch.ts';
import type { RawEntry } from '../normalise.ts';
import { type EntryNotes, emptyNotes, normalisedPapers } from '../parse.ts';
import { emptySourceReport } from '../report.ts';
import type { IngestStore, LiveFetchRecord, Rejection, SourceReport } from '../types.ts';

/** An ISO week and its first and last day (`YYYY-MM-DD`). */
export interface LiveWeek {
  id: string;
  monday: string;
  sunday: string;
}

/** The week `id` (`2026-W48`) with its Monday and Sunday; throws E_USAGE for a malformed id. */
export function liveWeek(id: string): LiveWeek {
  const { from, to } = weekDays(id);
  return { id, monday: from, sunday: to };
}

/** One answer of a live source, parsed into entries. */
export interface LivePage {
  /** The URL it was read from: named in messages, and the origin of its papers. */
  url: string;
  /** Where in the fetch it is (`p=1`, `start=200`), put before the places of its rejections. */
  label: string;
  format: SourceFormat;
  /** How many items the answer held. */
  items: number;
  entries: Iterable<RawEntry | Rejection>;
  /** When it was fetched: its upvotes were observed then. */
  observedAt: Date;
}

/** Stores a page; says how many of its papers this fetch had not seen before (0: the source repeats itself). */
export type TakePage = (page: LivePage) => { unseen: number };

/** What a live source's fetcher is given. */
export interface LiveContext {
  week: LiveWeek;
  /** Timeouts, retries, the size cap and the logger, as for URL sources. */
  fetch: FetchOptions;
  now: () => Date;
  log: Logger;
}

/** Fetches a week page by page, handing each page to `take`; throws PaperwireError when the source fails. */
export type LiveFetcher = (context: LiveContext, take: TakePage) => Promise<void>;

/** True when `paper` is featured in `week`; a paper whose source gives no day counts as the week's. */
function inWeek(paper: Paper, week: LiveWeek): boolean {
  const day = paper.featuredOn;
  return day === null || day === undefined || (day >= week.monday && day <= week.sunday);
}

/**
 * Runs a live source's fetch of one week and stores what it brings, page by page, so a fetch that
 * fails half-way keeps the pages it had. Papers featured on a day outside the week (the Friday before,
 * which a `week=` answer includes) are left out: they belong to their own week's fetch. The fetch is
 * recorded in the store, failed or not.
 */
export async function ingestLive(
  store: IngestStore,
  source: string,
  fetcher: LiveFetcher,
  context: LiveContext,
): Promise<SourceReport> {
  const { week } = context;
  const fetchedAt = context.now();
  const report: SourceReport = {
    ...emptySourceReport(source),
    live: { week: week.id, pages: 0, items: 0, otherWeeks: 0 },
  };
  const live = report.live!;
  const seen = new Set<string>();
  let undated = 0;
  const take: TakePage = (page) => {
    report.format = page.format;
    live.pages++;
    live.items += page.items;
    const notes: EntryNotes = emptyNotes();
    const batch: Paper[] = [];
    let unseen = 0;
    for (const paper of normalisedPapers(page, page.url, notes)) {
      if (seen.has(paper.id)) continue;
      seen.add(paper.id);
      unseen++;
      if (!inWeek(paper, week)) live.otherWeeks++;
      else {
        if (paper.featuredOn == null) undated++;
        batch.push(paper);
      }
    }
    const counts = store.papers.upsert(batch, context.now(), page.observedAt);
    report.new += counts.new;
    report.updated += counts.updated;
    for (const rejection of notes.rejections) {
      report.rejections.push({ place: `${page.label} ${rejection.place}`, reason: rejection.reason });
    }
    report.rejected = report.rejections.length;
    report.warnings.push(...notes.warnings.map((warning) => `${page.label} ${warning}`));
    return { unseen };
  };
  try {
    await fetcher(context, take);
  } catch (error) {
    // Only a problem with this source is its failure; a store error stops the run.
    if (!(error instanceof PaperwireError) || !error.code.startsWith('E_SOURCE')) throw error;
    report.problem = problemOf(error);
  }
  if (live.otherWeeks > 0) {
    report.warnings.push(
      `${live.otherWeeks} item${live.otherWeeks === 1 ? '' : 's'} featured outside ${week.id} (${week.monday} – ${week.sunday}) left out: they belong to another week`,
    );
  }
  if (undated > 0) report.warnings.push(`${undated} of the week's papers give no day: stored without one`);
  const record: LiveFetchRecord = {
    source,
    fetchedAt: fetchedAt.toISOString(),
    ...live,
    new: report.new,
    updated: report.updated,
    rejected: report.rejected,
    error: report.problem?.message ?? null,
  };
  store.liveFetches.record(record);
  return report;
}
