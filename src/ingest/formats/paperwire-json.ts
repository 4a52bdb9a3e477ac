// paperwire's own entries format (docs/entries.md):
// `{ "format": "paperwire-entries/1", "papers": [ { "title", "abstract", "authors", … } ] }`.
// docs/entries.schema.json is its one description: files are validated with that very
// schema (Ajv), so the schema and the reader cannot disagree. Written by people, so
// each entry is judged on its own and a bad one is rejected with a precise place
// (`papers[3].title`); fields the schema does not list are ignored with a warning.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { PaperwireError } from '../../errors.ts';
import { PACKAGE_ROOT } from '../../paths.ts';
import type { PaperLinks } from '../../types.ts';
import { arxivIdFrom, calendarDate, isoDate, type RawEntry } from '../normalise.ts';
import type { Rejection } from '../types.ts';
import { isObject, type JsonObject, kindOf, shown } from './fields.ts';

/** The marker a file of this format carries in its `format` field. */
export const ENTRIES_FORMAT = 'paperwire-entries/1';

/** Where the format's JSON Schema is: the documentation and the validator at once. */
export const ENTRIES_SCHEMA_PATH = join(PACKAGE_ROOT, 'docs', 'entries.schema.json');

/** The formats the schema names beyond JSON Schema's own, defined by the rules ingest applies. */
export const ENTRY_FORMATS = {
  'arxiv-id': (value: string): boolean => arxivIdFrom(value) !== null,
  'date-or-time': (value: string): boolean => isoDate(value) !== null,
} as const;

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

interface PaperSchema {
  properties: Record<string, { properties?: Record<string, unknown> }>;
}

interface Compiled {
  validate: ValidateFunction;
  /** The fields an entry may have, as the schema lists them. */
  fields: ReadonlySet<string>;
  linkKinds: string[];
}

let compiled: Compiled | null = null;

/** The schema, compiled on first use (most runs read no entries file). */
function entriesSchema(): Compiled {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(ENTRIES_SCHEMA_PATH, 'utf8')) as { $defs: { paper: PaperSchema } };
  // Loaded here, not at import: Ajv takes ~0.1 s to load, and only an entries file needs it.
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  // allErrors: every bad entry is reported, not only the first; verbose: errors carry their value.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true, formats: ENTRY_FORMATS });
  const paper = schema.$defs.paper;
  compiled = {
    validate: ajv.compile(schema),
    fields: new Set(Object.keys(paper.properties)),
    linkKinds: Object.keys(paper.properties.links?.properties ?? {}),
  };
  return compiled;
}

/** The entries of a paperwire entries file, with places `papers[3]`, `papers[3].title`. */
export function entriesFileEntries(file: JsonObject, origin: string): Array<RawEntry | Rejection> {
  const { validate, fields, linkKinds } = entriesSchema();
  const errors = validate(file) ? [] : (validate.errors ?? []);
  // Errors outside `papers[i]` are about the file as a whole: it is not this format.
  const fileError = errors.find((error) => entryIndex(error) === null);
  if (fileError) throw fileProblem(fileError, origin);
  const firstErrorOf = new Map<number, ErrorObject>();
  for (const error of errors) {
    const index = entryIndex(error)!;
    if (!firstErrorOf.has(index)) firstErrorOf.set(index, error);
  }
  return (file.papers as unknown[]).map((entry, index) => {
    const error = firstErrorOf.get(index);
    if (error) return rejection(error, index, linkKinds);
    return rawEntry(entry as JsonObject, `papers[${index}]`, fields);
  });
}

/** The index `i` of the entry an error is about (`/papers/i/…`), or null for the file itself. */
function entryIndex(error: ErrorObject): number | null {
  const match = /^\/papers\/(\d+)(?:\/|$)/.exec(error.instancePath);
  return match ? Number(match[1]) : null;
}

function fileProblem(error: ErrorObject, origin: string): PaperwireError {
  const hint = `A paperwire entries file is {"format": "${ENTRIES_FORMAT}", "papers": [ … ]} (see docs/entries.md).`;
  if (error.instancePath === '/format') {
    return new PaperwireError('E_SOURCE_FORMAT', `${origin}: format ${shown(error.data)} is not supported`, {
      hint: `This paperwire reads "format": "${ENTRIES_FORMAT}" (see docs/entries.md).`,
    });
  }
  if (error.keyword === 'required') {
    const field = (error.params as { missingProperty: string }).missingProperty;
    return new PaperwireError('E_SOURCE_FORMAT', `${origin}: "${field}" is missing`, { hint });
  }
  if (error.instancePath === '/papers') {
    return new PaperwireError(
      'E_SOURCE_FORMAT',
      `${origin}: "papers" must be an array, found ${kindOf(error.data)}`,
      { hint: 'Put the entries in a "papers" array (see docs/entries.md).' },
    );
  }
  return new PaperwireError(
    'E_SOURCE_FORMAT',
    `${origin}: ${error.instancePath || 'the file'} ${error.message}`,
    {
      hint,
    },
  );
}

/** `/papers/3/authors/1` → `.authors[1]`: the place of a value inside its entry. */
function fieldPlace(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(3)
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('');
}

/** What a schema type means in words: `a string`, `an array of strings`. */
function kindName(error: ErrorObject): string {
  const type = String((error.params as { type: string }).type).split(',')[0];
  if (type === 'array') {
    const items = (error.parentSchema as { items?: { type?: string } } | undefined)?.items;
    return items?.type === 'string' ? 'an array of strings' : 'an array';
  }
  return type === 'object' || type === 'array' || type === 'integer' ? `an ${type}` : `a ${type}`;
}

/** A schema error as today's messages put it: the place inside the entry, and why in words. */
function rejection(error: ErrorObject, index: number, linkKinds: string[]): Rejection {
  let field = fieldPlace(error.instancePath);
  const value = error.data;
  let reason: string;
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      field += `.${missing}`;
      reason = missing === 'authors' ? 'missing (use [] when unknown)' : 'missing';
      break;
    }
    case 'additionalProperties': // only links forbid them
      field += `.${(error.params as { additionalProperty: string }).additionalProperty}`;
      reason = `unknown link kind (use ${linkKinds.join(', ')})`;
      break;
    case 'format':
    case 'pattern':
      reason =
        field === '.id'
          ? `${shown(value)} is not an arXiv id (leave "id" out for a paper without one)`
          : field === '.publishedAt'
            ? `${shown(value)} is not a date (use YYYY-MM-DD or an ISO 8601 time)`
            : field === '.title'
              ? 'is empty'
              : `${shown(value)} ${error.message}`;
      break;
    case 'type':
    case 'minimum':
    case 'maximum':
      reason =
        field === ''
          ? `expected an object, found ${kindOf(value)}`
          : field === '.upvotes'
            ? `must be a whole number from 0 to 9,007,199,254,740,991, found ${shown(value)}`
            : `must be ${kindName(error)}, found ${kindOf(value)}`;
      break;
    default:
      reason = error.message ?? 'does not match the schema';
  }
  return { place: `papers[${index}]${field}`, reason };
}

/** An entry the schema accepted, as ingest's RawEntry; unknown fields warn. */
function rawEntry(entry: JsonObject, place: string, fields: ReadonlySet<string>): RawEntry {
  const warnings = Object.keys(entry)
    .filter((key) => !fields.has(key))
    .map((key) => `${place}: unknown field ${shown(key)} ignored`);
  const optionalText = (field: string): string | null =>
    typeof entry[field] === 'string' ? (entry[field] as string) : null;
  const id = optionalText('id');
  const publishedAt = optionalText('publishedAt');
  const given = (entry.links as Partial<Record<keyof PaperLinks, string | null>> | null | undefined) ?? {};
  // `url` is the page link; an explicit links.page wins.
  const links: RawEntry['links'] = { ...given, page: given.page ?? entry.url ?? null };
  return {
    place,
    arxivId: id === null ? null : arxivIdFrom(id),
    title: entry.title as string,
    abstract: entry.abstract as string,
    authors: entry.authors as string[],
    links,
    upvotes: (entry.upvotes as number | null | undefined) ?? null,
    keywords: (entry.keywords as string[] | null | undefined) ?? [],
    aiSummary: optionalText('aiSummary'),
    publishedAt: publishedAt === null ? null : isoDate(publishedAt),
    featuredOn: calendarDate(publishedAt),
    warnings,
  };
}
