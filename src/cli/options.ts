// Checking command-line values once, at the edge: what the commands pass on is
// already valid (an ISO week id, an address, a path as the reader knows it).
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
