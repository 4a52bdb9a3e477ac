// Ingest: sources (files, folders, URLs, and the live sources `hf` and `arxiv:QUERY`
// that fetch a given week) → detected format → normalised papers → the store. Each
// source is read, parsed and written on its own: one bad source is reported and the
// others are still ingested.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import { silentLogger } from '../log.ts';
import { isoWeekOf } from '../week.ts';
import { type FetchOptions, fetchText } from './fetch.ts';
import { arxivFetcher } from './live/arxiv.ts';
import { HF_MAX_RETRY_DELAY_MS, hfFetcher } from './live/hf.ts';
import { ingestLive, liveWeek } from './live/index.ts';
import { ARXIV_SPACING_MS, arxivRequests, arxivSpacingFor, isArxivUrl } from './live/spacing.ts';
import { type EntryNotes, normalisedPapers, readSource } from './parse.ts';
import { classifySource, sourceProblem } from './sources.ts';
import type { IngestOptions, IngestReport, IngestStore, SourceReport } from './types.ts';

export { isLiveSource, resolveSource } from './sources.ts';
export type {
  IngestOptions,
  IngestReport,
  IngestStore,
  LiveFetchCounts,
  LiveFetchRecord,
  Rejection,
  SourceReport,
} from './types.ts';

/** Files larger than this are refused rather than read into memory. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** The defaults of the live sources' APIs (HF_API_URL, ARXIV_API_URL). */
const HF_API_URL = 'https://huggingface.co';
const ARXIV_API_URL = 'https://export.arxiv.org';

/** The files of a folder source: sorted by name, dotfiles and subfolders left out. */
export function folderFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .map((entry) => join(dir, entry.name))
    .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false)
    .sort();
}

/** True when `path` is a folder; false for files and for paths that cannot be looked at (the read then says why). */
function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** The sources `paperwire ingest` reads when given none: every file in INBOX_DIR, then SOURCES (and SOURCE_URLS). */
export function defaultSources(config: Pick<Config, 'inboxDir' | 'sources'>): string[] {
  const files =
    existsSync(config.inboxDir) && statSync(config.inboxDir).isDirectory()
      ? folderFiles(config.inboxDir)
      : [];
  return [...files, ...config.sources];
}

/** The settings ingest takes from the configuration. */
type IngestSettings = Pick<
  IngestOptions,
  'fetchTimeoutMs' | 'fetchMaxAttempts' | 'fetchMaxBytes' | 'hfApiUrl' | 'hfToken' | 'arxivApiUrl'
>;

/** The ingest options that come from the settings: URL timeouts, retries, the size cap, the live sources' APIs. */
export function ingestSettings(
  config: Pick<
    Config,
    'fetchTimeoutMs' | 'fetchMaxAttempts' | 'fetchMaxBytes' | 'hfApiUrl' | 'hfToken' | 'arxivApiUrl'
  >,
): IngestSettings {
  return {
    fetchTimeoutMs: config.fetchTimeoutMs,
    fetchMaxAttempts: config.fetchMaxAttempts,
    fetchMaxBytes: config.fetchMaxBytes,
    hfApiUrl: config.hfApiUrl,
    hfToken: config.hfToken,
    arxivApiUrl: config.arxivApiUrl,
  };
}

function emptyReport(source: string): SourceReport {
  return {
    source,
    format: null,
    new: 0,
    updated: 0,
    rejected: 0,
    rejections: [],
    warnings: [],
    error: null,
    errorCode: null,
    errorHint: null,
  };
}

/** A source's text and when what it says was observed (a URL: the fetch; a file: its modification time). */
interface SourceText {
  text: string;
  observedAt: Date;
}

async function readFileSource(path: string): Promise<SourceText> {
  try {
    const info = await stat(path);
    if (info.size > MAX_FILE_BYTES) {
      throw new PaperwireError(
        'E_SOURCE_READ',
        `${path} is ${Math.round(info.size / 2 ** 20)} MB, over the 256 MB limit`,
        {
          hint: 'Split the file into smaller ones.',
        },
      );
    }
    // Decoded in one go: readFile(path, 'utf8') decodes chunk by chunk into a rope that costs more to read.
    return { text: (await readFile(path)).toString('utf8'), observedAt: info.mtime };
  } catch (error) {
    if (error instanceof PaperwireError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file or folder'
        : code === 'EACCES'
          ? 'permission denied'
          : (error as Error).message;
    throw new PaperwireError('E_SOURCE_READ', `${path}: cannot read: ${why}`, {
      hint: code === 'ENOENT' ? 'Check the path.' : 'Check that the file is readable by this user.',
      cause: error,
    });
  }
}

/** Reads, parses and stores one file or URL; a source-wide failure is recorded in the report, not thrown. */
async function ingestOne(
  store: IngestStore,
  source: string,
  read: () => Promise<SourceText>,
  now: () => Date,
): Promise<SourceReport> {
  const report = emptyReport(source);
  try {
    const at = now();
    // The text is handed on, not kept: the format reader holds it only as long as it needs it.
    const { entries, observedAt } = await read().then(({ text, observedAt }) => ({
      entries: readSource(text, { origin: source, now: at }),
      observedAt,
    }));
    report.format = entries.format;
    const notes: EntryNotes = { rejections: [], warnings: [] };
    // Normalising streams into the one write transaction of this source.
    const counts = store.papers.upsert(normalisedPapers(entries, source, notes), at, observedAt);
    report.new = counts.new;
    report.updated = counts.updated;
    report.rejections = notes.rejections;
    report.rejected = notes.rejections.length;
    report.warnings = notes.warnings;
  } catch (error) {
    // Only a problem with this source is the source's failure; a store error stops the run.
    if (!(error instanceof PaperwireError) || !error.code.startsWith('E_SOURCE')) throw error;
    report.error = error.message;
    report.errorCode = error.code;
    report.errorHint = error.hint ?? null;
  }
  return report;
}

/**
 * Ingests every source in order — a file, every file of a folder, an http(s) URL, or a live source
 * (`hf`, `arxiv:QUERY`) fetching `options.week` — and reports what each did. A file or URL is one
 * transaction, a live source one per page. Throws only when the store itself fails, or (E_USAGE) for
 * a malformed `options.week`.
 */
export async function ingestSources(
  store: IngestStore,
  sources: string[],
  options: IngestOptions,
): Promise<IngestReport> {
  const now = options.clock;
  const log = options.log ?? silentLogger;
  const week = liveWeek(options.week ?? isoWeekOf(now()));
  const arxivApiUrl = options.arxivApiUrl ?? ARXIV_API_URL;
  const arxivSpacingMs = options.arxivSpacingMs ?? ARXIV_SPACING_MS;
  const fetchOptions: FetchOptions = {
    timeoutMs: options.fetchTimeoutMs,
    maxAttempts: options.fetchMaxAttempts,
    maxBytes: options.fetchMaxBytes,
    baseDelayMs: options.retryBaseDelayMs,
    maxDelayMs: options.retryMaxDelayMs,
    log,
  };
  const reports: SourceReport[] = [];
  for (const source of sources) {
    const problem = sourceProblem(source);
    if (problem) {
      reports.push({
        ...emptyReport(source),
        error: `${source}: ${problem}`,
        errorCode: 'E_SOURCE_READ',
        errorHint: 'Write hf, arxiv:QUERY, an http(s) URL, a file or a folder.',
      });
      continue;
    }
    const spec = classifySource(source);
    if (spec.kind === 'hf') {
      const fetcher = hfFetcher(options.hfApiUrl ?? HF_API_URL, options.hfToken ?? null);
      // HF counts its rate limit over 5-minute windows: a 429 may rightly ask to wait that long.
      const fetch = { ...fetchOptions, maxDelayMs: options.retryMaxDelayMs ?? HF_MAX_RETRY_DELAY_MS };
      reports.push(await ingestLive(store, 'hf', fetcher, { week, fetch, now, log }));
      continue;
    }
    if (spec.kind === 'arxiv') {
      const fetcher = arxivFetcher(arxivApiUrl, spec.query, arxivSpacingFor(arxivApiUrl, arxivSpacingMs));
      const name = `arxiv:${spec.query}`;
      reports.push(await ingestLive(store, name, fetcher, { week, fetch: fetchOptions, now, log }));
      continue;
    }
    if (spec.kind === 'url') {
      // A URL on arXiv waits its turn with the arxiv: sources: their terms count every request.
      const throttle = isArxivUrl(source, arxivApiUrl)
        ? <T>(request: () => Promise<T>) =>
            arxivRequests.run(arxivSpacingFor(source, arxivSpacingMs), request)
        : undefined;
      const fetched = async (): Promise<SourceText> => {
        const observedAt = now();
        return { text: await fetchText(source, { ...fetchOptions, throttle }), observedAt };
      };
      reports.push(await ingestOne(store, source, fetched, now));
      continue;
    }
    if (!isFolder(source)) {
      reports.push(await ingestOne(store, source, () => readFileSource(source), now));
      continue;
    }
    let files: string[];
    try {
      files = folderFiles(source);
    } catch (error) {
      reports.push({
        ...emptyReport(source),
        error: `${source}: cannot read the folder: ${(error as Error).message}`,
        errorCode: 'E_SOURCE_READ',
        errorHint: 'Check that the folder exists and that paperwire may read it.',
      });
      continue;
    }
    if (files.length === 0) {
      reports.push({ ...emptyReport(source), warnings: ['is an empty folder: nothing to ingest'] });
    }
    for (const file of files) reports.push(await ingestOne(store, file, () => readFileSource(file), now));
  }
  const totals = { new: 0, updated: 0, rejected: 0 };
  for (const report of reports) {
    totals.new += report.new;
    totals.updated += report.updated;
    totals.rejected += report.rejected;
  }
  return {
    sources: reports,
    totals,
    failedSources: reports.filter((report) => report.error !== null).length,
  };
}
