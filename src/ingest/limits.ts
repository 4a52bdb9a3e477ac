// How much of a source ingest is willing to hold. Memory follows the number of
// values a parser builds, not the bytes: 250 MB of `[1,1,1…` is 130 million
// values and brought V8 down. Every limit is far above a real source (a 20,000
// entry daily-papers file, 57 MB, has about 900,000 JSON values; the largest
// arXiv answer, 2,000 entries, about 60,000 XML tags), and a source past one is
// refused as a whole, with the limit named, before it is parsed.
import { PaperwireError } from '../errors.ts';

/** FETCH_MAX_BYTES when unset: far above any real API answer (a week of Daily Papers is ~1 MB). */
export const DEFAULT_FETCH_MAX_BYTES = 64 * 2 ** 20;
/** Files larger than this are refused rather than read into memory. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** The most JSON values (counted as `{`, `[` and `,` outside strings) in one source. */
export const MAX_JSON_VALUES = 5_000_000;
/** The deepest nesting of JSON arrays and objects, or of XML elements (the formats nest 6 deep at most). */
export const MAX_NESTING = 100;
/** The most XML tags (`<` characters) in one source. */
export const MAX_XML_TAGS = 500_000;
/** The most lines of a text source. */
export const MAX_TEXT_LINES = 1_000_000;
/** Rejections and warnings listed one by one per source; the rest are counted. */
export const MAX_LISTED_NOTES = 1_000;

/** `1,000,000`: a limit as the messages write it. */
export function limitText(limit: number): string {
  return limit.toLocaleString('en-US');
}

/** True when `text` holds `char` more than `max` times; counting stops there, so a huge source is not scanned to its end. */
export function occursMoreThan(text: string, char: string, max: number): boolean {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) {
    if (++count > max) return true;
  }
  return false;
}

/** The E_SOURCE_FORMAT error of a source past a limit: `what` says which and where. */
export function overLimit(origin: string, what: string): PaperwireError {
  return new PaperwireError('E_SOURCE_FORMAT', `${origin}: ${what}`, {
    hint: 'No real source comes near this: the file is damaged or not a digest. Split a genuine one into smaller files.',
  });
}
