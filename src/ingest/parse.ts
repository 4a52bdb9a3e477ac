// Format detection from content (never from a file name or content type), then
// the one parser for that format, then normalising every entry. JSON is parsed
// once: detection looks at the parsed value.
import { PaperwireError } from '../errors.ts';
import type { SourceFormat } from '../types.ts';
import { atomEntries, isAtomFeed, looksLikeXml, parseXml } from './formats/arxiv-atom.ts';
import {
  dailyPapersEntries,
  hfPaperEntry,
  looksLikeDailyPapers,
  looksLikeHfPaper,
} from './formats/hf-daily-papers.ts';
import { looksLikePapersPage, papersPageEntries } from './formats/papers-page-text.ts';
import { entriesFileEntries, looksLikeEntriesFile } from './formats/paperwire-json.ts';
import { parseJson } from './json.ts';
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

/** Detects the format of `text` and parses it into normalised papers, rejections and warnings. */
export function parseSource(text: string, context: ParseContext): ParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { format, entries } = readEntries(body, context);
  const result: ParseResult = { format, papers: [], rejections: [], warnings: [] };
  for (const entry of entries) {
    if ('reason' in entry) {
      result.rejections.push(entry);
      continue;
    }
    const outcome = normaliseEntry(entry, { source: format, origin: context.origin });
    if ('rejection' in outcome) result.rejections.push(outcome.rejection);
    else {
      result.papers.push(outcome.paper);
      result.warnings.push(...outcome.warnings);
    }
  }
  return result;
}

function readEntries(
  text: string,
  { origin, now }: ParseContext,
): { format: SourceFormat; entries: Array<RawEntry | Rejection> } {
  const start = text.trimStart()[0];
  if (start === undefined) throw unknownFormat(origin, 'the file is empty');
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
