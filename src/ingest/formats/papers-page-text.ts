// The Hugging Face papers page saved as plain text: a few header lines, a date
// line (`Mar 14`), then title / abstract paragraphs separated by blank lines. The
// page has no ids or links, so its papers are known by their titles until an
// arXiv source names them.
import { cleanText, type RawEntry } from '../normalise.ts';
import type { Rejection } from '../types.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_LINE = new RegExp(`^(${MONTH_NAMES})\\.? (\\d{1,2})(?:,? (\\d{4}))?$`, 'i');
/** A paragraph longer than this cannot be a title; a shorter one-line paragraph may be. */
const TITLE_MAX_GUESS = 300;
/** The date line must come within this many non-empty lines of the top. */
const HEADER_MAX_LINES = 15;

/** A run of non-empty lines. */
interface Paragraph {
  /** 1-based line number of its first line. */
  line: number;
  lines: string[];
}

/** The month and day of a date line such as `Mar 14` or `March 14, 2025`, or null. */
export function parseDateLine(text: string): { month: number; day: number; year: number | null } | null {
  const match = DATE_LINE.exec(text.trim());
  if (!match) return null;
  const month = MONTHS.indexOf(match[1]!.slice(0, 3).toLowerCase());
  const day = Number(match[2]);
  const year = match[3] ? Number(match[3]) : null;
  // Feb 30 is not a date: check it against a real calendar (a leap year when the year is unknown).
  const probe = new Date(Date.UTC(year ?? 2024, month, day));
  if (day < 1 || probe.getUTCMonth() !== month) return null;
  return { month, day, year };
}

/**
 * The ISO instant of a page date line: its own year if given, else the ingest year — or the year
 * before when that date would lie in the future (a December page read in January).
 */
export function pageDate(date: { month: number; day: number; year: number | null }, now: Date): string {
  let year = date.year ?? now.getUTCFullYear();
  const dayAfterNow = now.getTime() + 24 * 3600 * 1000;
  if (date.year === null && Date.UTC(year, date.month, date.day) > dayAfterNow) year--;
  return new Date(Date.UTC(year, date.month, date.day)).toISOString();
}

function paragraphs(lines: string[], from: number): Paragraph[] {
  const found: Paragraph[] = [];
  let current: Paragraph | null = null;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') current = null;
    else if (current) current.lines.push(line);
    else {
      current = { line: i + 1, lines: [line] };
      found.push(current);
    }
  }
  return found;
}

/** Index of the date line in `lines`, when it comes after only a few short header lines. */
function dateLineIndex(lines: string[]): number {
  let seen = 0;
  for (let i = 0; i < lines.length && seen < HEADER_MAX_LINES; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (parseDateLine(line)) return i;
    if (line.length > 200) return -1;
    seen++;
  }
  return -1;
}

const mayBeTitle = (paragraph: Paragraph | undefined): boolean =>
  paragraph !== undefined && paragraph.lines.length === 1 && paragraph.lines[0]!.length <= TITLE_MAX_GUESS;

/** True for a papers page: short header lines, a date line, then a title line and a paragraph after it. */
export function looksLikePapersPage(text: string): boolean {
  const lines = text.split(/\r?\n/, 400);
  const at = dateLineIndex(lines);
  if (at === -1) return false;
  const [title, abstract] = paragraphs(lines, at + 1);
  return mayBeTitle(title) && abstract !== undefined;
}

/** The title/abstract pairs of a papers page, with places `line N` (the title's line). */
export function papersPageEntries(text: string, now: Date): Array<RawEntry | Rejection> {
  const lines = text.split(/\r?\n/);
  const at = dateLineIndex(lines);
  let publishedAt = pageDate(parseDateLine(lines[at]!)!, now);
  const found: Array<RawEntry | Rejection> = [];
  const list = paragraphs(lines, at + 1);
  for (let i = 0; i < list.length; i++) {
    const title = list[i]!;
    const place = `line ${title.line}`;
    const date = title.lines.length === 1 ? parseDateLine(title.lines[0]!) : null;
    if (date) {
      // A later date line starts the papers of another day.
      publishedAt = pageDate(date, now);
      continue;
    }
    if (!mayBeTitle(title)) {
      found.push({ place, reason: 'a paragraph with no title line before it' });
      continue;
    }
    const abstract = list[i + 1];
    const abstractIsDate = abstract?.lines.length === 1 && parseDateLine(abstract.lines[0]!) !== null;
    // A short line followed by a long paragraph is the next paper's title: this one lost its abstract.
    const abstractIsNextTitle = mayBeTitle(abstract) && list[i + 2] !== undefined && !mayBeTitle(list[i + 2]);
    if (!abstract || abstractIsDate || abstractIsNextTitle) {
      found.push({
        place,
        reason: `the title ${JSON.stringify(cleanText(title.lines[0]!))} has no abstract after it`,
      });
      continue;
    }
    i++;
    found.push({
      place,
      arxivId: null,
      title: title.lines.join(' '),
      abstract: abstract.lines.join(' '),
      authors: [],
      links: {},
      upvotes: null,
      keywords: [],
      aiSummary: null,
      publishedAt,
      featuredOn: publishedAt.slice(0, 10),
    });
  }
  return found;
}
