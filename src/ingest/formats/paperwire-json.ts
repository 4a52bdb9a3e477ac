// paperwire's own entries format (docs/entries.md, docs/entries.schema.json):
// `{ "format": "paperwire-entries/1", "papers": [ { "title", "abstract", "authors", … } ] }`.
// Written by people, so every entry is checked field by field with a precise place.
import { PaperwireError } from '../../errors.ts';
import type { PaperLinks } from '../../types.ts';
import { arxivIdFrom, isoDate, type RawEntry } from '../normalise.ts';
import type { Rejection } from '../types.ts';
import { COUNT_RANGE, count, isObject, type JsonObject, kindOf, shown } from './fields.ts';

/** The marker a file of this format carries in its `format` field. */
export const ENTRIES_FORMAT = 'paperwire-entries/1';

/** Every field an entry may have; the JSON Schema lists exactly these. */
export const ENTRY_FIELDS = [
  'id',
  'title',
  'abstract',
  'authors',
  'url',
  'links',
  'upvotes',
  'keywords',
  'aiSummary',
  'publishedAt',
] as const;
/** The fields every entry must have. */
export const REQUIRED_ENTRY_FIELDS = ['title', 'abstract', 'authors'] as const;
const LINK_KINDS: (keyof PaperLinks)[] = ['page', 'arxiv', 'pdf', 'code', 'project'];

/** True for a paperwire entries file: an object whose `format` (or `$schema`) names paperwire entries. */
export function looksLikeEntriesFile(value: unknown): value is JsonObject {
  if (!isObject(value)) return false;
  const format = value.format;
  const schema = value.$schema;
  return (
    (typeof format === 'string' && format.startsWith('paperwire-entries')) ||
    (typeof schema === 'string' && /paperwire|entries\.schema\.json/.test(schema))
  );
}

/** Thrown inside readEntry: the field (relative to the entry) and why it is wrong. */
class Invalid extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The entries of a paperwire entries file, with places `papers[3]`, `papers[3].title`. */
export function entriesFileEntries(file: JsonObject, origin: string): Array<RawEntry | Rejection> {
  if (file.format !== undefined && file.format !== ENTRIES_FORMAT) {
    throw new PaperwireError('E_SOURCE_FORMAT', `${origin}: format ${shown(file.format)} is not supported`, {
      hint: `This paperwire reads "format": "${ENTRIES_FORMAT}" (see docs/entries.md).`,
    });
  }
  if (!Array.isArray(file.papers)) {
    throw new PaperwireError(
      'E_SOURCE_FORMAT',
      `${origin}: "papers" must be an array, found ${kindOf(file.papers)}`,
      {
        hint: 'Put the entries in a "papers" array (see docs/entries.md).',
      },
    );
  }
  return file.papers.map((entry, index) => {
    const place = `papers[${index}]`;
    try {
      return readEntry(entry, place);
    } catch (error) {
      if (error instanceof Invalid) return { place: `${place}${error.field}`, reason: error.reason };
      throw error;
    }
  });
}

function invalid(field: string, reason: string): never {
  throw new Invalid(field, reason);
}

function text(entry: JsonObject, field: string, required: boolean): string | null {
  const value = entry[field];
  if (value === undefined || value === null) {
    if (required) invalid(`.${field}`, 'missing');
    return null;
  }
  if (typeof value !== 'string') invalid(`.${field}`, `must be a string, found ${kindOf(value)}`);
  if (required && field === 'title' && value.trim() === '') invalid(`.${field}`, 'is empty');
  return value;
}

function stringList(entry: JsonObject, field: string, required: boolean): string[] {
  const value = entry[field];
  if (value === undefined || value === null) {
    if (required) invalid(`.${field}`, 'missing (use [] when unknown)');
    return [];
  }
  if (!Array.isArray(value)) invalid(`.${field}`, `must be an array of strings, found ${kindOf(value)}`);
  value.forEach((item, i) => {
    if (typeof item !== 'string') invalid(`.${field}[${i}]`, `must be a string, found ${kindOf(item)}`);
  });
  return value as string[];
}

function readEntry(entry: unknown, place: string): RawEntry {
  if (!isObject(entry)) invalid('', `expected an object, found ${kindOf(entry)}`);
  const warnings = Object.keys(entry)
    .filter((key) => !(ENTRY_FIELDS as readonly string[]).includes(key))
    .map((key) => `${place}: unknown field ${shown(key)} ignored`);

  const id = text(entry, 'id', false);
  const arxivId = id === null ? null : arxivIdFrom(id);
  if (id !== null && !arxivId) {
    invalid('.id', `${shown(id)} is not an arXiv id (leave "id" out for a paper without one)`);
  }
  const title = text(entry, 'title', true)!;
  const abstract = text(entry, 'abstract', true)!;
  const authors = stringList(entry, 'authors', true);

  const links: RawEntry['links'] = { page: text(entry, 'url', false) };
  if (entry.links !== undefined && entry.links !== null) {
    if (!isObject(entry.links)) invalid('.links', `must be an object, found ${kindOf(entry.links)}`);
    for (const [kind, url] of Object.entries(entry.links)) {
      if (!LINK_KINDS.includes(kind as keyof PaperLinks)) {
        invalid(`.links.${kind}`, `unknown link kind (use ${LINK_KINDS.join(', ')})`);
      }
      if (typeof url !== 'string') invalid(`.links.${kind}`, `must be a string, found ${kindOf(url)}`);
      // `url` is the page link; an explicit links.page wins.
      links[kind as keyof PaperLinks] = url;
    }
  }

  const upvotes = entry.upvotes ?? null;
  if (upvotes !== null && count(upvotes) === null) {
    invalid('.upvotes', `must be ${COUNT_RANGE}, found ${shown(upvotes)}`);
  }
  const rawDate = text(entry, 'publishedAt', false);
  const publishedAt = rawDate === null ? null : isoDate(rawDate);
  if (rawDate !== null && publishedAt === null) {
    invalid('.publishedAt', `${shown(rawDate)} is not a date (use YYYY-MM-DD or an ISO 8601 time)`);
  }

  return {
    place,
    arxivId: arxivId ?? null,
    title,
    abstract,
    authors,
    links,
    upvotes: upvotes as number | null,
    keywords: stringList(entry, 'keywords', false),
    aiSummary: text(entry, 'aiSummary', false),
    publishedAt,
    warnings,
  };
}
