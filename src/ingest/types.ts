// The shapes ingest hands back: what each source yielded, what was rejected and why.
import type { Clock } from '../clock.ts';
import type { Problem } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Paper, SourceFormat } from '../types.ts';

/** An entry that was not stored, with where it is in its source (`line 12`, `[3].paper.title`, `entry 2`). */
export interface Rejection {
  place: string;
  reason: string;
}

/** What one format parser made of one source's content. */
export interface ParseResult {
  format: SourceFormat;
  papers: Paper[];
  rejections: Rejection[];
  /** Lines naming an entry that was stored with a change (abstract cut, link dropped). */
  warnings: string[];
}

/** What ingesting one source did. */
export interface SourceReport {
  /** The file path or URL. */
  source: string;
  /** The detected format; null when the source could not be read or recognised. */
  format: SourceFormat | null;
  new: number;
  updated: number;
  rejected: number;
  rejections: Rejection[];
  warnings: string[];
  /** Why the whole source failed (E_SOURCE_READ, E_SOURCE_FORMAT) and what to do, or null. */
  problem: Problem | null;
  /** For a live source (`hf`, `arxiv:QUERY`): the week it fetched and what came back. */
  live?: LiveFetchCounts;
}

/** What a live source's fetch of one week brought back, besides the new/updated/rejected counts. */
export interface LiveFetchCounts {
  /** The ISO week fetched, e.g. `2026-W48`. */
  week: string;
  /** HTTP answers read (pages). */
  pages: number;
  /** Items in those answers, duplicates and other weeks' items included. */
  items: number;
  /** Items whose own day lies outside the week (a `week=` answer holds the Friday before): left out. */
  otherWeeks: number;
}

/** What a live source's last fetch of a week did, as the store keeps it (`paperwire status` lists them). */
export interface LiveFetchRecord extends LiveFetchCounts {
  /** `hf` or `arxiv:QUERY`. */
  source: string;
  /** When the fetch began (ISO 8601). */
  fetchedAt: string;
  new: number;
  updated: number;
  rejected: number;
  /** Why the fetch failed (what was stored before that stays), or null. */
  error: string | null;
}

/** What ingest needs from the store; src/store/ingest-store.ts implements it. */
export interface IngestStore {
  papers: {
    /**
     * Stores papers in one transaction: new ones inserted (first seen `now`), known ones refreshed;
     * their upvotes were observed at `observedAt` (default `now`), and only a newer observation wins.
     */
    upsert(papers: Iterable<Paper>, now: Date, observedAt?: Date): { new: number; updated: number };
  };
  liveFetches: {
    /** Remembers a live source's fetch of a week, replacing the one before. */
    record(record: LiveFetchRecord): void;
  };
}

/** What ingesting a list of sources did. */
export interface IngestReport {
  sources: SourceReport[];
  totals: { new: number; updated: number; rejected: number };
  /** How many sources failed as a whole (unreadable, unknown format, HTTP error). */
  failedSources: number;
}

/** How to ingest: URL fetching limits, a logger and a clock. */
export interface IngestOptions {
  /** Timeout of one HTTP request, in milliseconds. */
  fetchTimeoutMs: number;
  /** Attempts per URL on 429, 5xx and network errors. */
  fetchMaxAttempts: number;
  /** The most bytes one URL answer may have, on the wire and decompressed (default 64 MB). */
  fetchMaxBytes?: number;
  log?: Logger;
  /** The ingest time (first-seen stamps, the year of a papers page date line). */
  clock: Clock;
  /** First retry delay for URLs, doubled on each retry (default 1000 ms); tests make it small. */
  retryBaseDelayMs?: number;
  /** The longest wait between URL attempts, Retry-After included (default 60 s; 5 min for `hf`). */
  retryMaxDelayMs?: number;
  /** The ISO week live sources fetch (`2026-W48`); default: the week of `now`. */
  week?: string;
  /** The Hugging Face API for `hf` (default https://huggingface.co). */
  hfApiUrl?: string;
  /** Sent to the Hugging Face API as a bearer token. */
  hfToken?: string | null;
  /** The arXiv API for `arxiv:` sources (default https://export.arxiv.org). */
  arxivApiUrl?: string;
  /**
   * The least time between two requests to arXiv, in ms (default 3000, their terms; never less for
   * an arxiv.org host). Only tests against a local server lower it.
   */
  arxivSpacingMs?: number;
}
