// Hugging Face papers API JSON: the `/api/daily_papers` array (items wrap a
// `paper` object) and a single `/api/papers/{id}` object (the fields directly on
// it). Older and newer responses differ only in optional fields.
import { arxivIdFrom, calendarDate, huggingFacePage, isoDate, type RawEntry } from '../normalise.ts';
import type { Rejection } from '../types.ts';
import {
  COUNT_RANGE,
  count,
  isObject,
  type JsonObject,
  kindOf,
  nonEmptyString,
  shown,
  strings,
} from './fields.ts';

/** True for a `/api/daily_papers` response: an array whose items carry a `paper` object (or an empty array). */
export function looksLikeDailyPapers(value: unknown): value is unknown[] {
  if (!Array.isArray(value)) return false;
  return value.length === 0 || value.some((item) => isObject(item) && isObject(item.paper));
}

/** True for a `/api/papers/{id}` response: one object with an id, a title and paper fields. */
export function looksLikeHfPaper(value: unknown): value is JsonObject {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    ('summary' in value || 'upvotes' in value || 'authors' in value)
  );
}

/** The entries of a `/api/daily_papers` array, in order, with rejections named `[3]`, `[3].paper.title`. */
export function* dailyPapersEntries(items: Iterable<unknown>): Generator<RawEntry | Rejection> {
  let index = 0;
  for (const item of items) {
    const place = `[${index++}]`;
    if (!isObject(item)) yield { place, reason: `expected an object, found ${kindOf(item)}` };
    else if (!isObject(item.paper))
      yield { place: `${place}.paper`, reason: 'missing (every item wraps a paper object)' };
    // The item repeats title/summary/publishedAt; the paper's own fields win where present.
    else yield hfEntry(item.paper, `${place}.paper`, place, item);
  }
}

/** The single entry of a `/api/papers/{id}` object, with places named `$.title`. */
export function hfPaperEntry(value: JsonObject): RawEntry | Rejection {
  return hfEntry(value, '$', '$', {});
}

function hfEntry(paper: JsonObject, path: string, place: string, item: JsonObject): RawEntry | Rejection {
  const rawId = paper.id;
  if (typeof rawId !== 'string' || rawId.trim() === '') return { place: `${path}.id`, reason: 'missing' };
  const arxivId = arxivIdFrom(rawId);
  if (!arxivId) return { place: `${path}.id`, reason: `${shown(rawId)} is not an arXiv id` };
  const title = nonEmptyString(paper.title) ?? nonEmptyString(item.title);
  if (!title) return { place: `${path}.title`, reason: 'missing' };
  const authors = Array.isArray(paper.authors)
    ? paper.authors
        .map((author) => (isObject(author) ? author.name : author))
        .filter((name) => typeof name === 'string')
    : [];
  // A count that is not one (1e308, -3, "12") ranks nothing: the paper is kept, its upvotes unknown.
  const upvotes = count(paper.upvotes);
  const warnings =
    upvotes === null && paper.upvotes !== undefined && paper.upvotes !== null
      ? [
          `${path}.upvotes: ${shown(paper.upvotes)} is not an upvote count (${COUNT_RANGE}): stored as unknown`,
        ]
      : [];
  return {
    place,
    arxivId,
    title,
    abstract: nonEmptyString(paper.summary) ?? nonEmptyString(item.summary) ?? '',
    authors: authors as string[],
    links: { page: huggingFacePage(arxivId), code: paper.githubRepo, project: paper.projectPage },
    upvotes,
    keywords: strings(paper.ai_keywords),
    aiSummary: nonEmptyString(paper.ai_summary),
    publishedAt: isoDate(paper.publishedAt) ?? isoDate(item.publishedAt),
    // The Daily Papers day is when it was submitted to Daily Papers (on the paper in real answers,
    // on the item in some). The item's own `publishedAt` is not that day: it is the arXiv date again.
    featuredOn: calendarDate(item.submittedOnDailyAt ?? paper.submittedOnDailyAt),
    warnings,
  };
}
