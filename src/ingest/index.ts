// Ingest: sources (files, folders, URLs) → detected format → normalised papers
// → the store. Each source is read, parsed and written on its own: one bad
// source is reported and the others are still ingested.
import { constants, readdirSync, type Stats, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import type { Store } from '../store/index.ts';
import { upsertPapers } from '../store/paper-writes.ts';
import { fetchText } from './fetch.ts';
import { MAX_FILE_BYTES } from './limits.ts';
import { emptyNotes, normalisedPapers, readSource } from './parse.ts';
import type { IngestOptions, IngestReport, SourceReport } from './types.ts';

export type { IngestOptions, IngestReport, Rejection, SourceReport } from './types.ts';

/** True when `source` is an http(s) URL rather than a path. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

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

/** The files of a folder source: sorted by name, dotfiles, subfolders and what is not a file left out. */
export function folderFiles(dir: string): string[] {
  return folderEntries(dir)
    .filter((entry) => entry.skipped === null)
    .map((entry) => entry.path);
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
 * The sources `paperwire ingest` reads when given none: INBOX_DIR (as a folder source, so that what
 * in it cannot be read is reported) when it holds anything to report, then every SOURCE_URLS URL.
 */
export function defaultSources(config: Pick<Config, 'inboxDir' | 'sourceUrls'>): string[] {
  let inbox: string[] = [];
  if (isFolder(config.inboxDir)) {
    try {
      inbox = folderEntries(config.inboxDir).length > 0 ? [config.inboxDir] : [];
    } catch {
      inbox = [config.inboxDir]; // unlistable: ingestSources says why
    }
  }
  return [...inbox, ...config.sourceUrls];
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

/**
 * The text of a regular file, read in one go. Anything else is refused before a byte is read: a
 * FIFO or a device such as /dev/zero would block or never end. The file is opened without
 * blocking (a FIFO would wait for a writer) and checked on the open handle, so it cannot be swapped.
 */
async function readFileSource(path: string): Promise<string> {
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
    return decodeText(buffer.subarray(0, filled));
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
    let entries: FolderEntry[];
    try {
      entries = folderEntries(source);
    } catch (error) {
      reports.push({
        ...emptyReport(source),
        error: `${source}: cannot read the folder: ${unreachable(error)}`,
        errorCode: 'E_SOURCE_READ',
        errorHint: 'Check that the folder exists and that paperwire may read it.',
      });
      continue;
    }
    if (entries.length === 0) {
      reports.push({ ...emptyReport(source), warnings: ['is an empty folder: nothing to ingest'] });
    }
    for (const { path, skipped } of entries) {
      if (skipped !== null) reports.push({ ...emptyReport(path), warnings: [skipped] });
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
    failedSources: reports.filter((report) => report.error !== null).length,
  };
}
