// Checking command-line values once, at the edge: what the commands pass on is
// already valid (an ISO week id, an address, a date, a path as the reader knows it).
import { isAbsolute, relative } from 'node:path';
import { PaperwireError } from '../errors.ts';
import { isLiveSource } from '../ingest/sources.ts';
import { addressProblem, normalizeAddress } from '../subscribers/address.ts';
import { isHttpUrl } from '../urls.ts';
import { parseWeek } from '../week.ts';

/** A `--week` value checked and trimmed (E_USAGE unless it is a real ISO week), or undefined. */
export function weekOption(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  parseWeek(raw);
  return raw.trim();
}

/** An address given on the command line, normalised, or E_USAGE naming the flag (`--to`) and what is wrong. */
export function addressOption(raw: string, flag: string, example: string): string {
  const email = normalizeAddress(raw);
  if (email === null) {
    throw new PaperwireError('E_USAGE', `${flag}${JSON.stringify(raw)} is ${addressProblem(raw)}`, {
      hint: example,
    });
  }
  return email;
}

/** A path as the reader knows it: relative to the working directory when it lies inside it; URLs and live sources as they are. */
export function displayPath(path: string, cwd: string): string {
  if (isHttpUrl(path) || isLiveSource(path)) return path;
  const inside = relative(cwd, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** `--since` as an ISO instant: YYYY-MM-DD (UTC midnight) or a full ISO 8601 time; else E_USAGE. */
export function parseSince(raw: string): string {
  const text = raw.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const time = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text);
  if ((!dateOnly && !iso) || Number.isNaN(time)) {
    throw new PaperwireError('E_USAGE', `--since ${JSON.stringify(raw)} is not a date`, {
      hint: 'Write a date as YYYY-MM-DD (e.g. 2026-11-16) or an ISO 8601 time (2026-11-16T08:00:00Z).',
    });
  }
  // Date.parse rolls 2026-02-30 over to March; a date that does not round-trip is not a date.
  if (dateOnly && new Date(time).toISOString().slice(0, 10) !== text) {
    throw new PaperwireError('E_USAGE', `--since ${JSON.stringify(raw)} is not a calendar date`, {
      hint: 'Write a real date as YYYY-MM-DD.',
    });
  }
  return new Date(time).toISOString();
}

/** Parses a `--port` value: a whole number from 0 (any free port) to 65535, else E_USAGE. */
export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535) {
    throw new PaperwireError('E_USAGE', `--port ${JSON.stringify(raw)} is not a port number`, {
      hint: 'Pass a whole number from 1 to 65535, or 0 to pick a free port.',
    });
  }
  return port;
}
