// Turning what a source said into a normalised Paper: clean text, a stable id,
// only http(s) links. Every format parser ends here, so the rules live once.
import { createHash } from 'node:crypto';
import { titleKey } from '../identity.ts';
import { shorten } from '../text.ts';
import type { Paper, PaperLinks, SourceFormat } from '../types.ts';
import { httpUrl } from '../urls.ts';
import { shown } from './formats/fields.ts';
import type { Rejection } from './types.ts';

/** Titles longer than this are cut (on a word boundary, with "…"). */
export const MAX_TITLE_CHARS = 500;
/** Abstracts longer than this are cut (on a word boundary, with "…") and the entry is named in a warning. */
export const MAX_ABSTRACT_CHARS = 5_000;
/** At most this many authors, and this many keywords, are kept per paper (a card names three authors). */
export const MAX_NAMES = 1_000;
/** An author name or keyword longer than this is cut. */
export const MAX_NAME_CHARS = 200;

// C0 and C1 control characters and DEL. Tabs and line breaks are whitespace and
// are collapsed by `cleanText`, not removed, so words on either side stay apart.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Whitespace that is not already a single space: a run of two or more, or one tab/newline/….
const LOOSE_WHITESPACE = /\s{2,}|[^\S ]/g;
// Half of a surrogate pair with no other half: not text, and SQLite would store garbage.
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes control characters, collapses every run of whitespace (line wraps too) to one space, trims. */
export function cleanText(raw: string): string {
  // Each step runs only when needed: most text has nothing to remove (ingest speed).
  let text = raw.replace(CONTROL, '');
  if (SURROGATE.test(text)) text = text.replace(LONE_SURROGATE, '\uFFFD');
  return text.replace(LOOSE_WHITESPACE, ' ').trim();
}

/** The id of a paper with no known arXiv id: `title:` + 16 hex chars of sha256 of its title key. */
export function titleId(key: string): string {
  return `title:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

const NEW_STYLE_ARXIV = /^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$/i;
const OLD_STYLE_ARXIV = /^(?:arxiv:)?([a-z][a-z-]*(?:\.[a-z]{2})?\/\d{7})(?:v\d+)?$/i;
const ARXIV_URL = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\/(.+?)(?:\.pdf)?\/?$/i;

/**
 * The arXiv id without version in `raw` (`2401.01234`, `arXiv:2401.01234v2`,
 * `http://arxiv.org/abs/2401.01234v2`, `hep-th/9901001v1`), or null when it is none.
 */
export function arxivIdFrom(raw: string): string | null {
  let text = raw.trim();
  const url = ARXIV_URL.exec(text);
  if (url) text = url[1]!;
  const modern = NEW_STYLE_ARXIV.exec(text);
  if (modern) return modern[1]!;
  const old = OLD_STYLE_ARXIV.exec(text);
  // Old-style archive names are lower-case, subject classes upper-case (math.GT).
  if (old) return old[1]!.replace(/^[^/.]+/, (archive) => archive.toLowerCase());
  return null;
}

/** A code repository as a full URL: `owner/name` becomes `https://github.com/owner/name`; URLs pass through httpUrl. */
export function repoUrl(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim().replace(/\.git$/, '');
  if (/^[\w.-]+\/[\w.-]+$/.test(text)) return `https://github.com/${text}`;
  return httpUrl(text);
}

/** The Hugging Face paper page of an arXiv id. */
export function huggingFacePage(arxivId: string): string {
  return `https://huggingface.co/papers/${arxivId}`;
}

/** The arXiv abstract page and PDF of an arXiv id. */
export function arxivLinks(arxivId: string): Pick<PaperLinks, 'arxiv' | 'pdf'> {
  return { arxiv: `https://arxiv.org/abs/${arxivId}`, pdf: `https://arxiv.org/pdf/${arxivId}` };
}

/** `raw` as an ISO 8601 instant, or null when it is no date. Date-only strings mean UTC midnight. */
export function isoDate(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const text = raw.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * The calendar day `raw` names, as written (`2026-11-24T00:40:12Z` → `2026-11-24`), or null when it
 * names none: the day a source features a paper is the source's own, not shifted into another zone.
 */
export function calendarDate(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const day = /^\s*(\d{4}-\d{2}-\d{2})/.exec(raw)?.[1];
  if (day === undefined) return null;
  // 2026-02-30 is not a day: it must survive a round trip through a real calendar.
  const time = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(day) ? day : null;
}

/** Author names or keywords cleaned, without empty ones, at most MAX_NAMES of at most MAX_NAME_CHARS; a cut is a warning. */
function cleanNames(raw: string[], what: string, label: string, warnings: string[]): string[] {
  const kept = raw.length > MAX_NAMES ? raw.slice(0, MAX_NAMES) : raw;
  if (kept !== raw) {
    warnings.push(
      `${label}: ${what} cut from ${raw.length.toLocaleString('en-US')} to the first ${MAX_NAMES.toLocaleString('en-US')}`,
    );
  }
  let long = 0;
  const names = kept.map(cleanText).map((text) => {
    if (text.length <= MAX_NAME_CHARS) return text;
    long++;
    return shorten(text, MAX_NAME_CHARS);
  });
  if (long > 0) warnings.push(`${label}: ${long} of the ${what} cut to ${MAX_NAME_CHARS} characters`);
  return names.filter(Boolean);
}

/** What a format parser knows about one entry, before normalising. */
export interface RawEntry {
  /** Where the entry is in its source, e.g. `[3]`, `entry 2`, `line 12`. */
  place: string;
  /** An arXiv id in any spelling arxivIdFrom accepts, or null. */
  arxivId: string | null;
  title: string;
  abstract: string;
  authors: string[];
  /** Candidate links, not yet checked: anything not http(s) is dropped. */
  links: Partial<Record<keyof PaperLinks, unknown>>;
  upvotes: number | null;
  keywords: string[];
  aiSummary: string | null;
  publishedAt: string | null;
  /** The day the source features the paper on (`YYYY-MM-DD`), or null; see Paper.featuredOn. */
  featuredOn: string | null;
  /** Notes about the entry found by the format parser (e.g. an unknown field). */
  warnings?: string[];
}

/** Where the entries come from; stamped on every paper. */
export interface EntryOrigin {
  source: SourceFormat;
  origin: string;
}

/** The outcome of normalising one entry: a paper (maybe with warnings) or a rejection. */
export type NormaliseResult = { paper: Paper; warnings: string[] } | { rejection: Rejection };

/** Normalises one raw entry into a Paper, or rejects it when it has no usable title. */
export function normaliseEntry(entry: RawEntry, from: EntryOrigin): NormaliseResult {
  const warnings = [...(entry.warnings ?? [])];
  let title = cleanText(entry.title);
  if (title === '') return { rejection: { place: entry.place, reason: 'the title is empty' } };
  const name = JSON.stringify(shorten(title, 60));
  if (title.length > MAX_TITLE_CHARS) {
    warnings.push(`${entry.place} ${name}: title cut from ${title.length} to ${MAX_TITLE_CHARS} characters`);
    title = shorten(title, MAX_TITLE_CHARS);
  }
  // The key of the title as stored, so the id and the store's title_key agree.
  const key = titleKey(title);
  if (key === '') {
    return { rejection: { place: entry.place, reason: `the title ${name} has no letters or digits` } };
  }
  let abstract = cleanText(entry.abstract);
  if (abstract.length > MAX_ABSTRACT_CHARS) {
    warnings.push(
      `${entry.place} ${name}: abstract cut from ${abstract.length.toLocaleString('en-US')} to ${MAX_ABSTRACT_CHARS.toLocaleString('en-US')} characters`,
    );
    abstract = shorten(abstract, MAX_ABSTRACT_CHARS);
  }

  const arxivId = entry.arxivId === null ? null : arxivIdFrom(entry.arxivId);
  const links: PaperLinks = {};
  for (const [kind, value] of Object.entries(entry.links) as [keyof PaperLinks, unknown][]) {
    if (value === undefined || value === null || value === '') continue;
    const url = kind === 'code' ? repoUrl(value) : httpUrl(value);
    if (url) links[kind] = url;
    else warnings.push(`${entry.place}: ${kind} link ${shown(value)} dropped (not an http(s) URL)`);
  }
  const label = `${entry.place} ${name}`;
  const authors = cleanNames(entry.authors, 'authors', label, warnings);
  const keywords = [...new Set(cleanNames(entry.keywords, 'keywords', label, warnings))];
  let aiSummary = entry.aiSummary === null ? null : cleanText(entry.aiSummary) || null;
  if (aiSummary !== null && aiSummary.length > MAX_ABSTRACT_CHARS) {
    warnings.push(`${label}: AI summary cut to ${MAX_ABSTRACT_CHARS.toLocaleString('en-US')} characters`);
    aiSummary = shorten(aiSummary, MAX_ABSTRACT_CHARS);
  }
  if (arxivId) {
    const derived = arxivLinks(arxivId);
    links.arxiv ??= derived.arxiv;
    links.pdf ??= derived.pdf;
  }

  return {
    paper: {
      id: arxivId ?? titleId(key),
      arxivId,
      title,
      abstract,
      authors,
      links,
      upvotes: entry.upvotes,
      keywords,
      aiSummary,
      publishedAt: entry.publishedAt,
      featuredOn: entry.featuredOn,
      source: from.source,
      origin: from.origin,
    },
    warnings,
  };
}
