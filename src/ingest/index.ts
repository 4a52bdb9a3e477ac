// Ingest: sources (files, folders, URLs) → detected format → normalised papers
// → the store. Each source is read, parsed and written on its own: one bad
// source is reported and the others are still ingested.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import type { Store } from '../store/index.ts';
import { upsertPapers } from '../store/paper-writes.ts';
import { fetchText } from './fetch.ts';
import { emptyNotes, normalisedPapers, readSource } from './parse.ts';
import type { IngestOptions, IngestReport, SourceReport } from './types.ts';

export type { IngestOptions, IngestReport, Rejection, SourceReport } from './types.ts';

/** Files larger than this are refused rather than read into memory. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** True when `source` is an http(s) URL rather than a path. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

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

/** The sources `paperwire ingest` reads when given none: every file in INBOX_DIR, then every SOURCE_URLS URL. */
export function defaultSources(config: Pick<Config, 'inboxDir' | 'sourceUrls'>): string[] {
  const files =
    existsSync(config.inboxDir) && statSync(config.inboxDir).isDirectory()
      ? folderFiles(config.inboxDir)
      : [];
  return [...files, ...config.sourceUrls];
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

async function readFileSource(path: string): Promise<string> {
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
    return decodeText(await readFile(path));
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
  store: Store,
  source: string,
  read: () => Promise<string>,
  now: () => Date,
): Promise<SourceReport> {
  const report = emptyReport(source);
  try {
    const at = now();
    // The text is handed on, not kept: the format reader holds it only as long as it needs it.
    const entries = readSource(await read(), { origin: source, now: at });
    report.format = entries.format;
    const notes = emptyNotes();
    // Normalising streams into the one write transaction of this source.
    const counts = upsertPapers(store, normalisedPapers(entries, source, notes), at);
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
    report.error = error.message;
    report.errorCode = error.code;
    report.errorHint = error.hint ?? null;
  }
  return report;
}

/**
 * Ingests every source in order — a file, every file of a folder, or an http(s) URL — each in its
 * own transaction, and reports what each did. Throws only when the store itself fails.
 */
export async function ingestSources(
  store: Store,
  sources: string[],
  options: IngestOptions,
): Promise<IngestReport> {
  const now = options.now ?? (() => new Date());
  const reports: SourceReport[] = [];
  for (const source of sources) {
    if (isUrl(source)) {
      const fetchOptions = {
        timeoutMs: options.fetchTimeoutMs,
        maxAttempts: options.fetchMaxAttempts,
        baseDelayMs: options.retryBaseDelayMs,
        maxDelayMs: options.retryMaxDelayMs,
        log: options.log,
      };
      reports.push(await ingestOne(store, source, () => fetchText(source, fetchOptions), now));
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
