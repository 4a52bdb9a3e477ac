// Format detection from content (never from a file name or content type), then
// the one parser for that format, then normalising every entry. JSON is parsed
// once: detection looks at the parsed value. Large daily-papers files are read
// item by item, so the raw items, the papers and the store writes never all
// sit in memory at once.
import { PaperwireError } from '../errors.ts';
import type { Paper, SourceFormat } from '../types.ts';
import { atomEntries, isAtomFeed, looksLikeXml, parseXml } from './formats/arxiv-atom.ts';
import { isObject, kindOf, shown } from './formats/fields.ts';
import {
  dailyPapersEntries,
  hfPaperEntry,
  looksLikeDailyPapers,
  looksLikeHfPaper,
} from './formats/hf-daily-papers.ts';
import { looksLikePapersPage, papersPageEntries } from './formats/papers-page-text.ts';
import { entriesFileEntries, looksLikeEntriesFile } from './formats/paperwire-json.ts';
import { jsonOverLimit, parseJson } from './json.ts';
import { scanJson } from './json-items.ts';
import { limitText, MAX_LISTED_NOTES, MAX_TEXT_LINES, occursMoreThan, overLimit } from './limits.ts';
import { normaliseEntry, type RawEntry } from './normalise.ts';
import type { ParseResult, Rejection } from './types.ts';

/** Where a source's text came from and when it is read. */
export interface ParseContext {
  /** The file path or URL, stamped on each paper and named in errors. */
  origin: string;
  now: Date;
}

const KNOWN_FORMATS =
  'Hugging Face daily papers JSON, a Hugging Face paper JSON, the papers page as text, an arXiv Atom feed, or paperwire entries JSON';

function unknownFormat(origin: string, what: string): PaperwireError {
  return new PaperwireError('E_SOURCE_FORMAT', `${origin}: not in a format paperwire reads (${what})`, {
    hint: `paperwire reads ${KNOWN_FORMATS} (see docs/entries.md); move other files out of the inbox.`,
  });
}

/** A source whose format is known, its entries not yet normalised (read lazily where the format allows). */
export interface SourceEntries {
  format: SourceFormat;
  entries: Iterable<RawEntry | Rejection>;
}

/** Where normalisedPapers puts what it does not yield: the first MAX_LISTED_NOTES of each kind, and counts. */
export interface EntryNotes {
  rejections: Rejection[];
  warnings: string[];
  /** Every rejected entry, listed or not. */
  rejected: number;
  /** Warnings past MAX_LISTED_NOTES, counted only. */
  unlistedWarnings: number;
}

/** Notes with nothing in them yet. */
export function emptyNotes(): EntryNotes {
  return { rejections: [], warnings: [], rejected: 0, unlistedWarnings: 0 };
}

// A file of a million broken entries must not become a million objects and printed lines.
function noteRejection(notes: EntryNotes, rejection: Rejection): void {
  if (notes.rejected++ < MAX_LISTED_NOTES) notes.rejections.push(rejection);
}

function noteWarnings(notes: EntryNotes, warnings: string[]): void {
  for (const warning of warnings) {
    if (notes.warnings.length < MAX_LISTED_NOTES) notes.warnings.push(warning);
    else notes.unlistedWarnings++;
  }
}

/**
 * Detects the format of `text` and reads it into entries; throws E_SOURCE_FORMAT or E_SOURCE_READ
 * when the source as a whole is unusable. The entries of a daily-papers array are parsed as they are
 * iterated, and a broken item then throws E_SOURCE_FORMAT naming its line and column.
 */
export function readSource(text: string, context: ParseContext): SourceEntries {
  // One byte order mark, or two when a tool added its own to a file that had one.
  const body = text.charCodeAt(0) === 0xfeff ? text.replace(/^\uFEFF+/, '') : text;
  return readEntries(body, context);
}

/** Normalises entries one by one: yields the papers, records rejections and warnings in `notes`. */
export function* normalisedPapers(
  source: SourceEntries,
  origin: string,
  notes: EntryNotes,
): Generator<Paper> {
  for (const entry of source.entries) {
    if ('reason' in entry) {
      noteRejection(notes, entry);
      continue;
    }
    const outcome = normaliseEntry(entry, { source: source.format, origin });
    if ('rejection' in outcome) noteRejection(notes, outcome.rejection);
    else {
      if (outcome.warnings.length > 0) noteWarnings(notes, outcome.warnings);
      yield outcome.paper;
    }
  }
}

/** Detects the format of `text` and parses it into normalised papers, rejections and warnings, all at once. */
export function parseSource(text: string, context: ParseContext): ParseResult {
  const source = readSource(text, context);
  const notes = emptyNotes();
  const papers = [...normalisedPapers(source, context.origin, notes)];
  return { format: source.format, papers, rejections: notes.rejections, warnings: notes.warnings };
}

/**
 * Why a JSON array whose items are not daily papers items is none, from those items: a broken
 * export (each object written out as a string) says so, rather than "move other files out".
 */
function notDailyPapers(origin: string, items: unknown[]): PaperwireError {
  const first = items[0];
  if (items.every((item) => typeof item === 'string')) {
    const text = first as string;
    const looksLike = /^\s*[{[]\s*'/.test(text)
      ? ' (Python reprs of the objects, not JSON)'
      : /^\s*[{[]/.test(text)
        ? ' (JSON written into strings, encoded twice)'
        : '';
    return new PaperwireError(
      'E_SOURCE_FORMAT',
      `${origin}: a JSON array, but its items are strings, not objects${looksLike}: [0] is ${shown(text)}`,
      {
        hint: 'The export that wrote this file turned every item into text: write the items themselves as JSON (in Python, json.dump(items, file), not a list of str(item) or json.dumps(item)).',
      },
    );
  }
  const kinds = [...new Set(items.map((item) => `${kindOf(item).replace(/^an? /, '')}s`))];
  const what = items.every(isObject)
    ? 'its items are objects without a "paper" object'
    : `its items are ${kinds.join(' and ')}, not objects`;
  return unknownFormat(origin, `a JSON array, but ${what}: not daily papers items`);
}

/** The items of a top-level JSON array (their text, from scanJson) read one by one, as daily papers. */
function arrayItems(text: string, slices: string[], origin: string): SourceEntries {
  const parseItem = (index: number): unknown => {
    try {
      return JSON.parse(slices[index]!);
    } catch (error) {
      parseJson(text, origin); // throws with the line and column of the first error
      throw new PaperwireError('E_SOURCE_FORMAT', `${origin}: item [${index}] is not valid JSON`, {
        hint: `Fix that item (\`jq '.[${index}]' FILE\` shows it), or fetch the file again.`,
        cause: error,
      });
    }
  };
  // Items read to recognise the format are kept for the entries that follow.
  const early = new Map<number, unknown>();
  let isDaily = slices.length === 0;
  for (let index = 0; index < slices.length && !isDaily; index++) {
    const item = parseItem(index);
    early.set(index, item);
    isDaily = isObject(item) && isObject(item.paper);
  }
  if (!isDaily) throw notDailyPapers(origin, [...early.values()]);
  function* items(): Generator<unknown> {
    for (let index = 0; index < slices.length; index++) {
      const item = early.has(index) ? early.get(index) : parseItem(index);
      early.delete(index);
      yield item;
    }
  }
  return { format: 'hf-daily-papers', entries: dailyPapersEntries(items()) };
}

/** Refuses a text source of more than MAX_TEXT_LINES lines before it is split into them. */
function refuseLongText(text: string, origin: string): void {
  // The last line has no newline after it.
  if (occursMoreThan(text, '\n', MAX_TEXT_LINES - 1)) {
    throw overLimit(
      origin,
      `the text has more than ${limitText(MAX_TEXT_LINES)} lines (a papers page has a few hundred)`,
    );
  }
}

function readEntries(text: string, { origin, now }: ParseContext): SourceEntries {
  const start = text.trimStart()[0];
  if (start === undefined) throw unknownFormat(origin, 'the file is empty');
  if (start === '[' || start === '{') {
    const scan = scanJson(text);
    if (scan.overLimit) throw jsonOverLimit(text, origin, scan.overLimit);
    if (scan.items) return arrayItems(text, scan.items, origin);
    const value = parseJson(text, origin);
    if (Array.isArray(value) && !looksLikeDailyPapers(value)) throw notDailyPapers(origin, value);
    if (looksLikeDailyPapers(value)) return { format: 'hf-daily-papers', entries: dailyPapersEntries(value) };
    if (looksLikeEntriesFile(value))
      return { format: 'paperwire-json', entries: entriesFileEntries(value, origin) };
    if (looksLikeHfPaper(value)) return { format: 'hf-paper', entries: [hfPaperEntry(value)] };
    throw unknownFormat(origin, 'JSON, but neither a papers array nor a paperwire entries file');
  }
  if (looksLikeXml(text)) {
    const document = parseXml(text, origin);
    if (isAtomFeed(document)) return { format: 'arxiv-atom', entries: atomEntries(document, origin) };
    const root = Object.keys(document).find((key) => !key.startsWith('?'));
    throw unknownFormat(origin, `XML with root element <${root ?? '?'}>, not an Atom feed`);
  }
  if (text.includes('\u0000')) throw unknownFormat(origin, 'a binary file');
  refuseLongText(text, origin);
  if (looksLikePapersPage(text)) return { format: 'papers-page-text', entries: papersPageEntries(text, now) };
  throw unknownFormat(origin, 'text, but no date line such as "Mar 14" before title/abstract paragraphs');
}
