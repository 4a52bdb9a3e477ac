// The subscriber list: the operator's own file (YAML by default, JSON, or the CSV
// listmonk exports), read and validated, never written. Unsubscribes live in the
// store as suppressions; this module only says who is on the list.
import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { YAMLException } from 'js-yaml';
import { PaperwireError } from '../errors.ts';
import type { Subscriber } from '../types.ts';
import { addressKey, addressProblem, normalizeAddress } from './address.ts';
import { CsvSyntaxError, parseCsv } from './csv.ts';
import { linesAt, type ParsedList, parseList } from './yaml-list.ts';

export { addressKey, addressProblem, normalizeAddress } from './address.ts';

/** A list entry that was skipped, with where it is and why. */
export interface InvalidEntry {
  /** 1-based line of the entry in the file. */
  line: number;
  /** The entry as written (the address, or the raw value when there is none). */
  value: string;
  reason: string;
}

/** A list entry whose own status in the list (listmonk's `status` column) says not to mail it. */
export interface NotMailedEntry {
  line: number;
  email: string;
  /** The status as written, lower-cased: `blocklisted` or `unsubscribed`. */
  status: string;
}

/** Something odd about an entry that was still kept (e.g. unreadable CSV attributes). */
export interface ListWarning {
  line: number;
  message: string;
}

/** The subscribers of a list file, deduplicated, plus what was skipped. */
export interface SubscriberList {
  /** The file that was read. */
  file: string;
  /** Valid, unique subscribers in file order (the first of duplicates wins). */
  subscribers: Subscriber[];
  invalid: InvalidEntry[];
  /** Valid entries that are kept off the mailing by their status in the list (blocklisted, unsubscribed). */
  notMailed: NotMailedEntry[];
  /** How many entries repeated an address already on the list (compared case-insensitively). */
  duplicates: number;
  warnings: ListWarning[];
}

/** One entry as read from any format, before validation. */
interface RawEntry {
  line: number;
  email: unknown;
  name: unknown;
  topics: unknown;
  /** The entry as written, for reports when the email is missing. */
  display: string;
  /** The entry's status in the list (a listmonk export's `status` column), lower-cased, if any. */
  listStatus?: string;
  /** A problem that does not cost the entry its place (e.g. unreadable CSV attributes). */
  warning?: string;
}

/**
 * listmonk statuses that mean "never mail": `blocklisted` is the subscriber's own
 * status, `unsubscribed` a list subscription's (in exports that carry it).
 */
const NOT_MAILED_STATUSES: ReadonlySet<string> = new Set(['blocklisted', 'unsubscribed']);

const HINT_FORMAT =
  'The list is YAML (`subscribers:` then `- email: a@example.org` items or bare addresses), ' +
  'JSON (an array of the same) or CSV with the columns email,name,attributes.';

/** How often a list that changed while it was read is read again before giving up. */
const SNAPSHOT_READS = 10;
/** The pause between those reads. */
const SNAPSHOT_PAUSE_MS = 100;

/**
 * The file's text as of one moment: read again when its size, change time or inode moved
 * while it was read (an editor or a script writing it in place, or replacing it), so a
 * send never plans from a list that is half old and half new. E_SUBSCRIBERS when it keeps changing.
 */
function readSnapshot(path: string): string {
  for (let read = 1; ; read++) {
    const fd = openSync(path, 'r');
    try {
      const before = fstatSync(fd, { bigint: true });
      const bytes = readFileSync(fd);
      const after = fstatSync(fd, { bigint: true });
      const now = statSync(path, { bigint: true });
      const steady =
        before.size === after.size &&
        before.mtimeNs === after.mtimeNs &&
        before.ctimeNs === after.ctimeNs &&
        BigInt(bytes.length) === after.size &&
        now.ino === after.ino &&
        now.dev === after.dev;
      if (steady) return bytes.toString('utf8');
    } finally {
      closeSync(fd);
    }
    if (read >= SNAPSHOT_READS) {
      throw new PaperwireError(
        'E_SUBSCRIBERS',
        `the subscriber list ${path} kept changing while it was read`,
        {
          hint: 'Let whatever writes the list finish (write a new file and rename it over the old one), then try again.',
        },
      );
    }
    // The read is synchronous by design (the list is read once, before anything is planned).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SNAPSHOT_PAUSE_MS);
  }
}

/**
 * Reads the subscriber list at `path` (format from the extension: `.json`, `.csv`,
 * anything else YAML). Invalid entries are reported with their line and skipped;
 * throws E_SUBSCRIBERS when the file is missing, unreadable, malformed or has no
 * valid subscriber (unless `allowEmpty`: web subscribers make up the audience).
 */
export function loadSubscribers(path: string, options: { allowEmpty?: boolean } = {}): SubscriberList {
  let text: string;
  try {
    // A byte order mark (as Windows editors and Excel write) is not part of the list.
    text = readSnapshot(path).replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof PaperwireError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PaperwireError(
      'E_SUBSCRIBERS',
      code === 'ENOENT'
        ? `the subscriber list ${path} does not exist`
        : `cannot read the subscriber list ${path}: ${(error as Error).message}`,
      {
        hint: `Create it or set SUBSCRIBERS_FILE to your list. ${HINT_FORMAT}`,
        cause: error,
      },
    );
  }
  const extension = extname(path).toLowerCase();
  const entries =
    extension === '.csv'
      ? csvEntries(text, path)
      : extension === '.json'
        ? jsonEntries(text, path)
        : yamlEntries(text, path);
  const list = validate(entries, path);
  if (list.subscribers.length === 0 && !options.allowEmpty) {
    const firstInvalid = list.invalid[0];
    throw new PaperwireError(
      'E_SUBSCRIBERS',
      list.notMailed.length > 0
        ? `the subscriber list ${path} has nobody to mail (${list.notMailed.length} not mailed by their status, ${list.invalid.length} invalid)`
        : firstInvalid
          ? `the subscriber list ${path} has no valid address (${list.invalid.length} invalid; line ${firstInvalid.line}: ${firstInvalid.reason})`
          : `the subscriber list ${path} is empty`,
      { hint: `Add at least one subscriber to ${basename(path)}. ${HINT_FORMAT}` },
    );
  }
  return list;
}

/** True when the entry's status in the list says never to mail it. */
function isNotMailed(entry: RawEntry): boolean {
  return entry.listStatus !== undefined && NOT_MAILED_STATUSES.has(entry.listStatus);
}

/** Validates, normalises and deduplicates raw entries. */
function validate(entries: RawEntry[], file: string): SubscriberList {
  const list: SubscriberList = {
    file,
    subscribers: [],
    invalid: [],
    notMailed: [],
    duplicates: 0,
    warnings: [],
  };
  // An address blocklisted in one row is not mailed from another row either, wherever that row is.
  const blocked = new Map<string, { line: number; status: string }>();
  for (const entry of entries) {
    if (!isNotMailed(entry) || typeof entry.email !== 'string') continue;
    const email = normalizeAddress(entry.email);
    if (email !== null && !blocked.has(addressKey(email))) {
      blocked.set(addressKey(email), { line: entry.line, status: entry.listStatus! });
    }
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    if (typeof entry.email !== 'string') {
      list.invalid.push({
        line: entry.line,
        value: entry.display,
        reason: entry.email === undefined || entry.email === null ? 'no email' : 'email is not text',
      });
      continue;
    }
    const email = normalizeAddress(entry.email);
    if (email === null) {
      list.invalid.push({
        line: entry.line,
        value: entry.email,
        reason: addressProblem(entry.email) ?? 'invalid',
      });
      continue;
    }
    const key = addressKey(email);
    if (seen.has(key)) {
      list.duplicates++;
      continue;
    }
    seen.add(key);
    const block = blocked.get(key);
    if (block) {
      list.notMailed.push({ line: block.line, email, status: block.status });
      continue;
    }
    if (entry.warning) list.warnings.push({ line: entry.line, message: entry.warning });
    list.subscribers.push({ email, name: cleanName(entry.name), topics: cleanTopics(entry.topics) });
  }
  return list;
}

function cleanName(name: unknown): string | null {
  if (typeof name !== 'string' && typeof name !== 'number') return null;
  const text = String(name).trim();
  return text === '' ? null : text;
}

/** Topics as a lower-cased, unique list; a comma-separated string is accepted too. */
function cleanTopics(topics: unknown): string[] {
  const items = Array.isArray(topics) ? topics : typeof topics === 'string' ? topics.split(',') : [];
  const clean = items
    .filter((item): item is string | number => typeof item === 'string' || typeof item === 'number')
    .map((item) => String(item).trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(clean)];
}

/** An entry from one item of a YAML or JSON list. */
function entryOf(line: number, value: unknown): RawEntry {
  const display = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    return { line, email: record.email, name: record.name, topics: record.topics, display };
  }
  return { line, email: value, name: null, topics: [], display };
}

/** Entries of a YAML list: parsed whole, each item's line at hand for reports. */
function yamlEntries(text: string, path: string): RawEntry[] {
  let parsed: ParsedList;
  try {
    parsed = parseList(text);
  } catch (error) {
    throw yamlError(error, path);
  }
  const { documents } = parsed;
  if (documents.length > 1) {
    throw new PaperwireError(
      'E_SUBSCRIBERS',
      `${path} holds ${documents.length} YAML documents (a line with --- starts another one)`,
      { hint: `Keep one list in the file. ${HINT_FORMAT}` },
    );
  }
  return withLines(listItems(documents[0] ?? null, path), text, () => parsed.itemStarts);
}

/** Entries of a JSON list: JSON.parse reads it (with the clearer message for broken JSON). */
function jsonEntries(text: string, path: string): RawEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PaperwireError('E_SUBSCRIBERS', `${path} is not valid JSON: ${(error as Error).message}`, {
      hint: HINT_FORMAT,
      cause: error,
    });
  }
  // Lines are found with a YAML parse of the same text, so only when an entry needs one.
  return withLines(listItems(parsed, path), text, () => {
    try {
      return parseList(text).itemStarts;
    } catch (error) {
      throw yamlError(error, path);
    }
  });
}

/** The items of a parsed YAML or JSON list: `{subscribers: [...]}` or a bare array. */
function listItems(document: unknown, path: string): unknown[] {
  let items = document;
  if (items !== null && typeof items === 'object' && !Array.isArray(items)) {
    if (!('subscribers' in items)) {
      throw new PaperwireError('E_SUBSCRIBERS', `${path} has no "subscribers" key`, { hint: HINT_FORMAT });
    }
    items = (items as { subscribers: unknown }).subscribers;
  }
  if (items === null || items === undefined || items === '') return [];
  if (!Array.isArray(items)) {
    throw new PaperwireError('E_SUBSCRIBERS', `${path} has no list of subscribers`, { hint: HINT_FORMAT });
  }
  return items;
}

/** Entries of the list's items; their lines are worked out only when an entry will be reported as invalid. */
function withLines(items: unknown[], text: string, itemStarts: () => number[]): RawEntry[] {
  const entries = items.map((item, index) => entryOf(index + 1, item));
  const needsLines = entries.some(
    (entry) => typeof entry.email !== 'string' || normalizeAddress(entry.email) === null,
  );
  if (!needsLines) return entries;
  const lines = linesAt(text, itemStarts());
  entries.forEach((entry, index) => {
    entry.line = lines[index] ?? entry.line;
  });
  return entries;
}

/** E_SUBSCRIBERS for what js-yaml threw, with the line it names. */
function yamlError(error: unknown, path: string): PaperwireError {
  const line = error instanceof YAMLException && error.mark ? error.mark.line + 1 : null;
  const reason = error instanceof YAMLException ? error.reason : (error as Error).message;
  return new PaperwireError(
    'E_SUBSCRIBERS',
    `${path}${line ? ` line ${line}` : ''} is not valid YAML: ${reason}`,
    { hint: HINT_FORMAT, cause: error },
  );
}

/**
 * Entries of a CSV with a header row naming at least `email`; a listmonk export has
 * uuid,email,name,attributes,status,created_at,updated_at (older ones email,name,attributes).
 */
function csvEntries(text: string, path: string): RawEntry[] {
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    throw new PaperwireError('E_SUBSCRIBERS', `${path} line ${error.line}: ${error.message}`, {
      hint: 'A CSV field holding a comma, a quote or a line break is written in quotes, each quote in it doubled: "Alan ""the"" Turing".',
      cause: error,
    });
  }
  const [header, ...records] = rows;
  if (!header) return [];
  const columns = header.cells.map((cell) => cell.trim().toLowerCase());
  let emailColumn = columns.indexOf('email');
  let nameColumn = columns.indexOf('name');
  let attributesColumn = columns.indexOf('attributes');
  const statusColumn = columns.indexOf('status');
  if (emailColumn === -1) {
    if (!header.cells[0]?.includes('@')) {
      throw new PaperwireError('E_SUBSCRIBERS', `${path} line ${header.line}: no "email" column`, {
        hint: 'The first row names the columns: email,name,attributes (as listmonk exports them).',
      });
    }
    // No header row: the listmonk column order.
    records.unshift(header);
    [emailColumn, nameColumn, attributesColumn] = [0, 1, 2];
  }
  return records.map((row) => {
    const attributes = attributesColumn === -1 ? '' : (row.cells[attributesColumn] ?? '').trim();
    let topics: unknown = [];
    let warning: string | undefined;
    if (attributes !== '') {
      try {
        const parsed: unknown = JSON.parse(attributes);
        if (parsed !== null && typeof parsed === 'object') topics = (parsed as { topics?: unknown }).topics;
      } catch {
        warning =
          'attributes is not a JSON object (quotes inside a CSV field are doubled: ""); no topics read';
      }
    }
    return {
      line: row.line,
      email: row.cells[emailColumn]?.trim() || null,
      name: nameColumn === -1 ? null : row.cells[nameColumn],
      topics,
      display: row.cells.join(','),
      listStatus:
        statusColumn === -1 ? undefined : row.cells[statusColumn]?.trim().toLowerCase() || undefined,
      warning,
    };
  });
}
