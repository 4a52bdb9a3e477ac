// Ingest: sources (files, folders, URLs, and the live sources `hf` and `arxiv:QUERY`
// that fetch a given week) → detected format → normalised papers → the store. Each
// source is read, parsed and written on its own: one bad source is reported and the
// others are still ingested.
import { constants, readdirSync, type Stats, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { PaperwireError, problem, problemOf } from '../errors.ts';
import { silentLogger } from '../log.ts';
import { isoWeekOf } from '../week.ts';
import { type FetchOptions, fetchText } from './fetch.ts';
import { MAX_FILE_BYTES } from './limits.ts';
import { arxivFetcher } from './live/arxiv.ts';
import { HF_MAX_RETRY_DELAY_MS, hfFetcher } from './live/hf.ts';
import { ingestLive, liveWeek } from './live/index.ts';
import { ARXIV_SPACING_MS, arxivRequests, arxivSpacingFor, isArxivUrl } from './live/spacing.ts';
import { emptyNotes, normalisedPapers, readSource } from './parse.ts';
import { emptySourceReport } from './report.ts';
import { classifySource, DEFAULT_ARXIV_API_URL, DEFAULT_HF_API_URL, sourceProblem } from './sources.ts';
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

/** What `info` is, in words, when it is not a regular file (for the messages that skip or refuse it); null for a file. */
function notAFile(info: Stats): string | null {
  if (info.isFile()) return null;
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Why a path cannot be looked at or opened, in words, from the error's code. */
function unreachable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'a symbolic link loop';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  if (code === 'ENXIO') return 'a socket or device, not a file';
  return (error as Error).message;
}

/** One name in a folder source: a file to ingest, or why it is skipped (subfolders are left out unnamed). */
export interface FolderEntry {
  path: string;
  /** Why the entry is not read, e.g. `is a symbolic link loop: skipped`; null for a file. */
  skipped: string | null;
}

/**
 * The entries of a folder source, sorted by name: its files, plus what cannot be read as one (a
 * symbolic link loop or to nothing, a pipe, a socket) with the reason. Dotfiles and subfolders
 * (symbolic links to folders too) are left out. Throws when the folder itself cannot be listed.
 */
export function folderEntries(dir: string): FolderEntry[] {
  const found: FolderEntry[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    let info: Stats;
    try {
      info = statSync(path);
    } catch (error) {
      const why =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'a symbolic link to nothing'
          : unreachable(error);
      found.push({ path, skipped: `is ${why}: skipped` });
      continue;
    }
    if (info.isDirectory()) continue;
    const kind = notAFile(info);
    found.push({ path, skipped: kind === null ? null : `is ${kind}, not a file: skipped` });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** True when `path` is a folder; false for files and for paths that cannot be looked at (the read then says why). */
function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/**
 * The sources `paperwire ingest` reads when given none: INBOX_DIR when set (as a folder source, so
 * that what in it cannot be read is reported) and it holds anything to report, then SOURCES (and
 * SOURCE_URLS).
 */
export function defaultSources(config: Pick<Config, 'inboxDir' | 'sources'>): string[] {
  let inbox: string[] = [];
  if (config.inboxDir !== null && isFolder(config.inboxDir)) {
    try {
      inbox = folderEntries(config.inboxDir).length > 0 ? [config.inboxDir] : [];
    } catch {
      inbox = [config.inboxDir]; // unlistable: ingestSources says why
    }
  }
  return [...inbox, ...config.sources];
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

/** A source's text and when what it says was observed (a URL: the fetch; a file: its modification time). */
interface SourceText {
  text: string;
  observedAt: Date;
}

/**
 * The text of a regular file, read in one go, and its modification time. Anything else is refused
 * before a byte is read: a FIFO or a device such as /dev/zero would block or never end. The file is
 * opened without blocking (a FIFO would wait for a writer) and checked on the open handle, so it
 * cannot be swapped.
 */
async function readFileSource(path: string): Promise<SourceText> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PaperwireError('E_SOURCE_READ', `${path}: cannot read: ${unreachable(error)}`, {
      hint:
        code === 'ENOENT'
          ? 'Check the path.'
          : code === 'ELOOP'
            ? 'Fix or remove the symbolic link.'
            : 'Check that the file is readable by this user.',
      cause: error,
    });
  }
  try {
    const info = await handle.stat();
    const kind = notAFile(info);
    if (kind !== null) {
      throw new PaperwireError(
        'E_SOURCE_READ',
        `${path} is ${kind}, not a file: paperwire does not read it`,
        {
          hint: 'Sources are regular files, folders of them, or http(s) URLs: save the data to a file first.',
        },
      );
    }
    if (info.size > MAX_FILE_BYTES) {
      throw new PaperwireError(
        'E_SOURCE_READ',
        `${path} is ${Math.round(info.size / 2 ** 20)} MB, over the ${MAX_FILE_BYTES / 2 ** 20} MB limit`,
        { hint: 'Split the file into smaller ones.' },
      );
    }
    // Read as big as it was when opened (a file still growing is read to that size), decoded in one
    // go: readFile(path, 'utf8') decodes chunk by chunk into a rope that costs more to read.
    const buffer = Buffer.allocUnsafe(info.size);
    let filled = 0;
    while (filled < info.size) {
      const { bytesRead } = await handle.read(buffer, filled, info.size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    // The file's own date is when its upvote counts were observed.
    return { text: decodeText(buffer.subarray(0, filled)), observedAt: info.mtime };
  } catch (error) {
    if (error instanceof PaperwireError) throw error;
    throw new PaperwireError('E_SOURCE_READ', `${path}: cannot read: ${unreachable(error)}`, {
      hint: 'Check the file and the disk it is on.',
      cause: error,
    });
  } finally {
    await handle.close();
  }
}

/** A file's bytes as text: UTF-8, or UTF-16 when it starts with a UTF-16 byte order mark (as Windows tools write). */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const even = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
    return even.swap16().toString('utf16le');
  }
  return bytes.toString('utf8');
}

/** Reads, parses and stores one file or URL; a source-wide failure is recorded in the report, not thrown. */
async function ingestOne(
  store: IngestStore,
  source: string,
  read: () => Promise<SourceText>,
  now: () => Date,
): Promise<SourceReport> {
  const report = emptySourceReport(source);
  try {
    const at = now();
    // The text is handed on, not kept: the format reader holds it only as long as it needs it.
    const { entries, observedAt } = await read().then(({ text, observedAt }) => ({
      entries: readSource(text, { origin: source, now: at }),
      observedAt,
    }));
    report.format = entries.format;
    const notes = emptyNotes();
    // Normalising streams into the one write transaction of this source.
    const counts = store.papers.upsert(normalisedPapers(entries, source, notes), at, observedAt);
    report.new = counts.new;
    report.updated = counts.updated;
    report.rejections = notes.rejections;
    report.rejected = notes.rejected;
    report.warnings = notes.warnings;
    if (notes.unlistedWarnings > 0) {
      report.warnings.push(`and ${notes.unlistedWarnings.toLocaleString('en-US')} more warnings, not listed`);
    }
  } catch (error) {
    // Only a problem with this source is the source's failure; a store error stops the run.
    if (!(error instanceof PaperwireError) || !error.code.startsWith('E_SOURCE')) throw error;
    report.problem = problemOf(error);
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
  const arxivApiUrl = options.arxivApiUrl ?? DEFAULT_ARXIV_API_URL;
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
    const wrong = sourceProblem(source);
    if (wrong) {
      reports.push({
        ...emptySourceReport(source),
        problem: problem(
          'E_SOURCE_READ',
          `${source}: ${wrong}`,
          'Write hf, arxiv:QUERY, an http(s) URL, a file or a folder.',
        ),
      });
      continue;
    }
    const spec = classifySource(source);
    if (spec.kind === 'hf') {
      const fetcher = hfFetcher(options.hfApiUrl ?? DEFAULT_HF_API_URL, options.hfToken ?? null);
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
    let entries: FolderEntry[];
    try {
      entries = folderEntries(source);
    } catch (error) {
      reports.push({
        ...emptySourceReport(source),
        problem: problem(
          'E_SOURCE_READ',
          `${source}: cannot read the folder: ${unreachable(error)}`,
          'Check that the folder exists and that paperwire may read it.',
        ),
      });
      continue;
    }
    if (entries.length === 0) {
      reports.push({ ...emptySourceReport(source), warnings: ['is an empty folder: nothing to ingest'] });
    }
    for (const { path, skipped } of entries) {
      if (skipped !== null) reports.push({ ...emptySourceReport(path), warnings: [skipped] });
      else reports.push(await ingestOne(store, path, () => readFileSource(path), now));
    }
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
    failedSources: reports.filter((report) => report.problem !== null).length,
  };
}
