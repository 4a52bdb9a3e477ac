// arXiv API Atom feeds (export.arxiv.org/api/query). Older responses declare the
// arxiv/opensearch namespaces on each element, newer ones on the root, and some
// writers prefix Atom itself (`atom:entry`); namespace prefixes are dropped on
// parsing, so all of them read the same.
import { XMLParser } from 'fast-xml-parser';
import { PaperwireError } from '../../errors.ts';
import { MAX_NESTING } from '../limits.ts';
import { arxivIdFrom, calendarDate, cleanText, isoDate, type RawEntry } from '../normalise.ts';
import type { Rejection } from '../types.ts';
import { readXml } from '../xml.ts';
import { isObject, type JsonObject, shown } from './fields.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Keep every value a string: `2401.01234` must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  // Character references (`&#233;`) are decoded, and the common HTML names (`&nbsp;`) that hand-made
  // feeds use; an entity a document declares never is, as readXml refuses every DOCTYPE.
  htmlEntities: true,
  maxNestedTags: MAX_NESTING,
  isArray: (name) => name === 'entry' || name === 'author' || name === 'link',
});

/** True when `text` looks like XML (after a BOM and whitespace, it starts with `<`). */
export function looksLikeXml(text: string): boolean {
  return text.trimStart().startsWith('<');
}

/** Parses XML into objects; hostile or malformed XML is E_SOURCE_FORMAT naming the place (see xml.ts). */
export function parseXml(text: string, origin: string): JsonObject {
  return readXml(text, origin, parser);
}

/** True when parsed XML is an Atom feed (root element `feed`, with or without a prefix). */
export function isAtomFeed(document: JsonObject): boolean {
  return isObject(document.feed);
}

/** The text of an element that may carry attributes (`{ '#text': … }`) or be empty. */
function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (isObject(node) && typeof node['#text'] === 'string') return node['#text'];
  return '';
}

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** A code or project link mentioned in an `arxiv:comment` ("Code: https://github.com/…"). */
function commentLinks(comment: string): RawEntry['links'] {
  const urls = comment.match(/https?:\/\/[^\s,;)"'<>]+/g) ?? [];
  const trimmed = urls.map((url) => url.replace(/[.]+$/, ''));
  return {
    code: trimmed.find((url) => /^https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com)\//i.test(url)),
    project: /project (?:page|website)|homepage|website/i.test(comment)
      ? trimmed.find((url) => !/github\.com|gitlab\.com|arxiv\.org|doi\.org/i.test(url))
      : undefined,
  };
}

/** The text of arXiv's error feed (one entry titled "Error"), or null for a feed of papers. */
function errorFeedText(entries: unknown[]): string | null {
  const first = entries[0];
  if (entries.length !== 1 || !isObject(first) || cleanText(textOf(first.title)) !== 'Error') return null;
  return cleanText(textOf(first.summary)) || 'no details given';
}

/** What an arXiv error feed in `text` says is wrong, or null when `text` is no such feed (or no XML at all). */
export function atomErrorText(text: string): string | null {
  let document: JsonObject;
  try {
    document = parseXml(text, 'the answer');
  } catch {
    return null;
  }
  return isAtomFeed(document) ? errorFeedText(asList((document.feed as JsonObject).entry)) : null;
}

/** The number of results a feed says the query has (`opensearch:totalResults`), or null when it does not say. */
export function atomTotalResults(document: JsonObject): number | null {
  const text = cleanText(textOf((document.feed as JsonObject).totalResults));
  return /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * The papers of an Atom feed, with places `entry N` (1-based). The error feed arXiv answers a bad
 * query with (one entry titled "Error") throws E_SOURCE_READ carrying the error's text.
 */
export function atomEntries(document: JsonObject, origin: string): Array<RawEntry | Rejection> {
  const feed = document.feed as JsonObject;
  const entries = asList(feed.entry);
  const message = errorFeedText(entries);
  if (message !== null) {
    throw new PaperwireError('E_SOURCE_READ', `${origin}: the arXiv API answered with an error: ${message}`, {
      hint: 'Fix the query in the URL (see https://info.arxiv.org/help/api/user-manual.html), then ingest again.',
    });
  }
  return entries.map((entry, index): RawEntry | Rejection => {
    const place = `entry ${index + 1}`;
    if (!isObject(entry)) return { place, reason: 'an empty <entry>' };
    const rawId = cleanText(textOf(entry.id));
    if (!rawId) return { place, reason: 'no <id>' };
    const arxivId = arxivIdFrom(rawId);
    if (!arxivId) return { place, reason: `<id> ${shown(rawId)} is not an arXiv id` };
    const title = textOf(entry.title);
    if (cleanText(title) === '') return { place, reason: 'no <title>' };
    const authors = asList(entry.author).map((author) => (isObject(author) ? textOf(author.name) : ''));
    return {
      place,
      arxivId,
      title,
      abstract: textOf(entry.summary),
      authors,
      // The arXiv abs and PDF links are derived from the id (https, without version) when normalising.
      links: commentLinks(cleanText(textOf(entry.comment))),
      upvotes: null,
      keywords: [],
      aiSummary: null,
      publishedAt: isoDate(textOf(entry.published)),
      // <published> is the first version's submission time, in GMT like the API's submittedDate.
      featuredOn: calendarDate(textOf(entry.published)),
    };
  });
}
