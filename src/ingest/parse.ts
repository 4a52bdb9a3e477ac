// Format detection from content (never from a file name or content type), then
// the one parser for that format, then normalising every entry. JSON is parsed
// once: detection looks at the parsed value. Large daily-papers files are read
// item by item, so the raw items, the papers and the store writes never all
// sit in memory at once.
import { PaperwireError } from '../errors.ts';
import type { Paper, SourceFormat } from '../types.ts';
import { atomEntries, isAtomFeed, looksLikeXml, parseXml } from './formats/arxiv-atom.ts';
import { isObject } from './formats/fields.ts';
import {
  dailyPapersEntries,
  hfPaperEntry,
  looksLikeDailyPapers,
  looksLikeHfPaper,
} from './formats/hf-daily-papers.ts';
import { looksLikePapersPage, papersPageEntries } from './formats/papers-page-text.ts';
import { entriesFileEntries, looksLikeEntriesFile } from './formats/paperwire-json.ts';
import { parseJson } from './json.ts';
import { arrayItemSlices } from './json-items.ts';
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

/** Where normalisedPapers puts what it does not yield. */
export interface EntryNotes {
  rejections: Rejection[];
  warnings: string[];
}

/**
 * Detects the format of `text` and reads it into entries; throws E_SOURCE_FORMAT or E_SOURCE_READ
 * when the source as a whole is unusable. The entries of a daily-papers array are parsed as they are
 * iterated, and a broken item then throws E_SOURCE_FORMAT naming its line and column.
 */
export function readSource(text: string, context: ParseContext): SourceEntries {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
      notes.rejections.push(entry);
      continue;
    }
    const outcome = normaliseEntry(entry, { source: source.format, origin });
    if ('rejection' in outcome) notes.rejections.push(outcome.rejection);
    else {
      notes.warnings.push(...outcome.warnings);
      yield outcome.paper;
    }
  }
}

/** Detects the format of `text` and parses it into normalised papers, rejections and warnings, all at once. */
export function parseSource(text: string, context: ParseContext): ParseResult {
  const source = readSource(text, context);
  const notes: EntryNotes = { rejections: [], warnings: [] };
  const papers = [...normalisedPapers(source, context.origin, notes)];
  return { format: source.format, papers, ...notes };
}

/**
 * A top-level JSON array read item by item (see json-items.ts), as daily papers; null when the
 * array cannot be split, so the whole-file parse reports why.
 */
function arrayItems(text: string, origin: string): SourceEntries | null {
  const slices = arrayItemSlices(text);
  if (!slices) return null;
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
  if (!isDaily) throw unknownFormat(origin, 'a JSON array, but its items are not daily papers items');
  function* items(): Generator<unknown> {
    for (let index = 0; index < slices!.length; index++) {
      const item = early.has(index) ? early.get(index) : parseItem(index);
      early.delete(index);
      yield item;
    }
  }
  return { format: 'hf-daily-papers', entries: dailyPapersEntries(items()) };
}

function readEntries(text: string, { origin, now }: ParseContext): SourceEntries {
  const start = text.trimStart()[0];
  if (start === undefined) throw unknownFormat(origin, 'the file is empty');
  if (start === '[') {
    const items = arrayItems(text, origin);
    if (items) return items;
  }
  if (start === '[' || start === '{') {
    const value = parseJson(text, origin);
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
  if (looksLikePapersPage(text)) return { format: 'papers-page-text', entries: papersPageEntries(text, now) };
  throw unknownFormat(origin, 'text, but no date line such as "Mar 14" before title/abstract paragraphs');
}
