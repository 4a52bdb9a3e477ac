// Settings: defaults ← environment (.env is read into the environment by the CLI
// only). `loadConfig` is pure so tests can build a config without touching disk.
import { isAbsolute, join, resolve } from 'node:path';
import { PaperwireError } from '../errors.ts';
import { DEFAULT_FETCH_MAX_BYTES } from '../ingest/limits.ts';
import {
  DEFAULT_ARXIV_API_URL,
  DEFAULT_HF_API_URL,
  resolveSource,
  sourceProblem,
} from '../ingest/sources.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { addressProblem, bareAddress, showInvisible } from '../subscribers/address.ts';
import { isHttpUrl } from '../urls.ts';
import { isIsoWeek } from '../week.ts';

/** DKIM signing settings; present only when a domain, selector and key are all configured. */
export interface DkimConfig {
  domain: string;
  selector: string;
  /** The PEM key itself (DKIM_PRIVATE_KEY), or null when it lives in `privateKeyFile`. */
  privateKey: string | null;
  /** Path of a PEM key file (DKIM_PRIVATE_KEY_FILE). */
  privateKeyFile: string | null;
}

/** Every setting paperwire reads, resolved to absolute paths and typed values. */
export interface Config {
  /** The working directory relative paths were resolved against. */
  cwd: string;
  /** A folder whose files every run ingests (INBOX_DIR), or null when none is set. */
  inboxDir: string | null;
  /** Runtime state: the database, the outbox, previews. */
  stateDir: string;
  dbPath: string;
  outboxDir: string;
  previewDir: string;
  subscribersFile: string;
  templatesDir: string;
  /** URLs ingested on every run (SOURCE_URLS, comma-separated); also the last items of `sources`. */
  sourceUrls: string[];
  /**
   * What every run ingests besides INBOX_DIR (SOURCES, then SOURCE_URLS): `hf`, `arxiv:QUERY`, http(s)
   * URLs, and files and folders as absolute paths. `hf` alone when none of SOURCES, SOURCE_URLS and
   * INBOX_DIR is set.
   */
  sources: string[];
  /** The Hugging Face API the `hf` source asks (HF_API_URL), without a trailing slash. */
  hfApiUrl: string;
  /** Sent as a bearer token to the Hugging Face API (HF_TOKEN), or null. */
  hfToken: string | null;
  /** The arXiv API the `arxiv:` sources ask (ARXIV_API_URL), without a trailing slash. */
  arxivApiUrl: string;
  /** Timeout of one HTTP request for a URL source, in milliseconds. */
  fetchTimeoutMs: number;
  /** Attempts per URL source on 429/5xx/network errors. */
  fetchMaxAttempts: number;
  /** The most bytes one URL answer may have, counted on the wire and decompressed (FETCH_MAX_BYTES). */
  fetchMaxBytes: number;
  /** The SMTP relay; null means the local outbox. */
  smtpUrl: string | null;
  smtpMaxConnections: number;
  /** Messages per second across all connections; null means unlimited. */
  smtpRatePerSecond: number | null;
  smtpTlsRejectUnauthorized: boolean;
  /** The From address; null means the outbox placeholder (required for SMTP). */
  mailFrom: string | null;
  mailReplyTo: string | null;
  /** How many top papers each email lists. */
  maxPapers: number;
  sendMaxAttempts: number;
  /** Public base URL of the unsubscribe endpoint (PUBLIC_URL), without a trailing slash. */
  publicUrl: string | null;
  unsubscribeSecret: string | null;
  /** The List-Id header's identifier (RFC 2919), e.g. `weekly.example.org`: LIST_ID, else `weekly.` + MAIL_FROM's domain. */
  listId: string;
  /** The newsletter's name (LIST_NAME): the brand line, the default subject, the footer, the web pages. */
  listName: string;
  /** The sender's postal address (POSTAL_ADDRESS), a line in every email's footer; US CAN-SPAM asks for one. */
  postalAddress: string | null;
  /** Where readers find the web archive (ARCHIVE_URL, else PUBLIC_URL + `/archive`), without a trailing slash; null: none. */
  archiveUrl: string | null;
  /** The folder `paperwire archive` writes and `serve` serves: STATE_DIR/archive. */
  archiveDir: string;
  /** The mailbox that receives mailto: unsubscribes. */
  unsubscribeMailto: string | null;
  dkim: DkimConfig | null;
  /** A cron expression (5 or 6 fields). */
  schedule: string;
  /** An IANA time zone, or null for the system's. */
  scheduleTz: string | null;
  scheduleCatchUp: boolean;
  /**
   * The week an edition covers when none is named (EDITION_WEEK): `previous`, the last complete
   * week in SCHEDULE_TZ (default); `current`, the week in progress; or one fixed ISO week.
   */
  editionWeek: EditionWeekSetting;
  logFormat: 'text' | 'json';
  // --- The mailbox (bounces, complaints, mailto: unsubscribes) ---
  /** The envelope sender (BOUNCE_ADDRESS), maybe holding `{token}` for VERP; null = the MAIL_FROM address. */
  bounceAddress: string | null;
  /** The IMAP mailbox paperwire reads (MAILBOX_URL), or null when it reads none. */
  mailbox: MailboxConfig | null;
  // --- Readers subscribe themselves (`paperwire serve`) ---
  /** The topics the sign-up and preferences pages offer (TOPICS, comma-separated), lower-cased; empty: none. */
  topics: string[];
  /** Sign-up requests one client address may make per hour (SIGNUP_RATE_PER_HOUR); past it 429. */
  signupRatePerHour: number;
  /** Whether `serve` may write subscribers' addresses into its log (LOG_ADDRESSES). */
  logAddresses: boolean;
}

/** Where and how paperwire reads its mailbox: MAILBOX_URL and the MAILBOX_* settings. */
export interface MailboxConfig {
  /** `imap://user:pass@host:143/INBOX` or `imaps://…:993/INBOX`, as given. */
  url: string;
  host: string;
  port: number;
  /** True for imaps:// (TLS from the first byte); imap:// upgrades with STARTTLS when offered. */
  secure: boolean;
  user: string;
  password: string;
  /** The folder read (the URL's path; INBOX when it has none). */
  folder: string;
  tlsRejectUnauthorized: boolean;
  /** Where processed messages are moved (MAILBOX_DONE_FOLDER), `/`-separated. */
  doneFolder: string;
  /** How often `paperwire schedule` reads it between deliveries (MAILBOX_EVERY), in milliseconds. */
  everyMs: number;
}

/** EDITION_WEEK: `previous`, `current`, or a fixed ISO week id such as `2026-W47`. */
export type EditionWeekSetting = 'previous' | 'current' | (string & {});

/** The environment variables paperwire reads (a subset of process.env). */
export type Env = Record<string, string | undefined>;

/** The templates that ship with paperwire; the default TEMPLATES_DIR, wherever paperwire runs from. */
export const BUNDLED_TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

/** Monday 08:00. */
export const DEFAULT_SCHEDULE = '0 8 * * 1';

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function bad(name: string, value: string, expected: string): PaperwireError {
  return new PaperwireError('E_CONFIG', `${name}=${JSON.stringify(value)} is not ${expected}`, {
    hint: `Fix ${name} in .env or the environment (see .env.example).`,
  });
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw bad(name, raw, `a whole number from ${min} to ${max}`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw bad(name, raw, 'true or false');
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = text(env, name);
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw bad(name, raw, `a URL (${protocols.join(', ')})`);
  }
  if (!protocols.includes(parsed.protocol))
    throw bad(name, raw, `a URL starting ${protocols.join(' or ')}//`);
  return raw;
}

/**
 * An http(s) URL that paths are appended to (PUBLIC_URL, ARCHIVE_URL, the API bases), without
 * its trailing slashes. A query or fragment is refused: `…?x=1` + `/archive` would be no URL at all.
 */
function baseUrl(env: Env, name: string): string | null {
  const raw = url(env, name, ['http:', 'https:']);
  if (raw === null) return null;
  const { search, hash } = new URL(raw);
  if (search || hash) throw bad(name, raw, `a URL without a query or fragment (no ${search ? '?' : '#'}…)`);
  return raw.replace(/\/+$/, '');
}

/** E_CONFIG when `bare` (the address in `name`=`raw`) is not one the subscriber list would accept. */
function checkAddress(name: string, raw: string, bare: string, example: string): void {
  const problem = addressProblem(bare);
  if (problem === null) return;
  // Shown with its invisible characters spelled out: JSON.stringify leaves a zero-width space invisible.
  throw new PaperwireError('E_CONFIG', `${name}=${JSON.stringify(showInvisible(raw))}: ${problem}`, {
    hint: `Fix ${name} in .env or the environment: ${example} (see .env.example).`,
  });
}

/** Accepts `a@b.c` or `Name <a@b.c>`. */
function address(env: Env, name: string): string | null {
  const raw = text(env, name);
  if (raw === null) return null;
  checkAddress(name, raw, bareAddress(raw), 'an address such as a@example.org or "Name <a@example.org>"');
  return raw;
}

/** A line of text (no control characters), at most `max` characters, or null when unset. */
function oneLine(env: Env, name: string, max: number): string | null {
  const raw = text(env, name);
  if (raw === null) return null;
  if (/\p{Cc}/u.test(raw) || raw.length > max) throw bad(name, raw, `one line of at most ${max} characters`);
  return raw;
}

// RFC 2919: a list-label and a namespace, both dot-atoms, with at least one dot between them.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LIST_ID = new RegExp(`^${ATOM}(\\.${ATOM})+$`);

/** LIST_ID checked, else `weekly.` + MAIL_FROM's domain, else the placeholder of an outbox-only setup. */
function listId(env: Env, mailFrom: string | null): string {
  const raw = text(env, 'LIST_ID');
  if (raw !== null) {
    const id = raw.replace(/^<(.*)>$/, '$1');
    if (!LIST_ID.test(id))
      throw bad(
        'LIST_ID',
        raw,
        'a List-Id such as weekly.example.org (RFC 2919: dot-separated words, no spaces)',
      );
    return id;
  }
  const domain = mailFrom ? bareAddress(mailFrom).split('@').pop()?.toLowerCase() : undefined;
  return domain ? `weekly.${domain}` : 'weekly.paperwire.invalid';
}

/** The placeholder in BOUNCE_ADDRESS that VERP replaces with a signed per-recipient token. */
export const VERP_PLACEHOLDER = '{token}';

/** BOUNCE_ADDRESS: an address whose local part may hold {token} once (VERP, signed with UNSUBSCRIBE_SECRET). */
function bounceAddress(env: Env, secret: string | null): string | null {
  const raw = text(env, 'BOUNCE_ADDRESS');
  if (raw === null) return null;
  const at = raw.lastIndexOf('@');
  const tokens = raw.split(VERP_PLACEHOLDER).length - 1;
  const example = 'a bare address, e.g. bounces@example.org or bounces+{token}@example.org';
  if (tokens > 1 || (tokens === 1 && raw.indexOf(VERP_PLACEHOLDER) > at)) {
    throw bad('BOUNCE_ADDRESS', raw, example);
  }
  checkAddress('BOUNCE_ADDRESS', raw, raw.replace(VERP_PLACEHOLDER, 'x'), example);
  if (tokens === 1 && !secret) {
    throw new PaperwireError(
      'E_CONFIG',
      'BOUNCE_ADDRESS holds {token} (VERP) but UNSUBSCRIBE_SECRET is not set',
      {
        hint: 'Set UNSUBSCRIBE_SECRET (e.g. `openssl rand -hex 32`): it signs the VERP tokens too. Or drop {token}.',
      },
    );
  }
  return raw;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `90s`, `30m`, `1h` or `1d`, in milliseconds, from one second to a week. */
function duration(env: Env, name: string, fallbackMs: number): number {
  const raw = text(env, name);
  if (raw === null) return fallbackMs;
  const match = /^(\d+)\s*([smhd])$/i.exec(raw);
  const ms = match ? Number(match[1]) * DURATION_UNITS[match[2]!.toLowerCase()]! : Number.NaN;
  if (!(ms >= 1000 && ms <= 7 * 86_400_000)) {
    throw bad(name, raw, 'a duration from 1s to 7d, such as 30m or 1h');
  }
  return ms;
}

/** EDITION_WEEK checked: `previous` (default), `current`, or a real ISO week. */
function editionWeek(env: Env): EditionWeekSetting {
  const raw = text(env, 'EDITION_WEEK');
  if (raw === null) return 'previous';
  const value = raw.toLowerCase();
  if (value === 'previous' || value === 'current') return value;
  if (isIsoWeek(raw)) return raw;
  throw bad(
    'EDITION_WEEK',
    raw,
    'previous (the last complete week), current, or an ISO week such as 2026-W48',
  );
}

/** MAILBOX_URL and the settings that go with it; null when MAILBOX_URL is not set. */
function mailboxConfig(env: Env): MailboxConfig | null {
  const raw = url(env, 'MAILBOX_URL', ['imap:', 'imaps:']);
  if (raw === null) return null;
  const parsed = new URL(raw);
  if (!parsed.username || !parsed.password) {
    throw bad(
      'MAILBOX_URL',
      raw.replace(/:[^:@/]*@/, ':…@'),
      'a URL with a user and password (imaps://user:password@host:993/INBOX)',
    );
  }
  const secure = parsed.protocol === 'imaps:';
  const folder = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, '')) || 'INBOX';
  const doneFolder = (text(env, 'MAILBOX_DONE_FOLDER') ?? 'paperwire/processed').replace(/^\/+|\/+$/g, '');
  if (doneFolder === '' || doneFolder.toLowerCase() === folder.toLowerCase()) {
    throw bad('MAILBOX_DONE_FOLDER', doneFolder, `a folder other than the one read (${folder})`);
  }
  return {
    url: raw,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    folder,
    tlsRejectUnauthorized: boolean(env, 'MAILBOX_TLS_REJECT_UNAUTHORIZED', true),
    doneFolder,
    everyMs: duration(env, 'MAILBOX_EVERY', 3_600_000),
  };
}

/** The most topics TOPICS may list, and the longest topic (the email shows at most 60 characters of one). */
const MAX_TOPICS = 50;
const MAX_TOPIC_LENGTH = 60;

/** TOPICS: comma-separated words or phrases, lower-cased and without repeats, each one line of at most 60 characters. */
function topics(env: Env): string[] {
  const raw = text(env, 'TOPICS');
  if (raw === null) return [];
  const items = [...new Set(raw.split(',').map((item) => item.trim().toLowerCase()))].filter(Boolean);
  for (const item of items) {
    if (/\p{Cc}/u.test(item) || item.length > MAX_TOPIC_LENGTH)
      throw bad('TOPICS', item, `a topic of one line and at most ${MAX_TOPIC_LENGTH} characters`);
  }
  if (items.length > MAX_TOPICS) throw bad('TOPICS', raw, `a list of at most ${MAX_TOPICS} topics`);
  return items;
}

/** Builds the configuration from an environment; pure: reads no file and no process state. */
export function loadConfig(env: Env, cwd: string): Config {
  const path = (name: string, fallback: string): string => {
    const raw = text(env, name) ?? fallback;
    return isAbsolute(raw) ? raw : resolve(cwd, raw);
  };
  const stateDir = path('STATE_DIR', 'var');

  const sourceUrls = (text(env, 'SOURCE_URLS') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const source of sourceUrls) {
    if (!isHttpUrl(source)) throw bad('SOURCE_URLS', source, 'a comma-separated list of http(s) URLs');
  }

  const sources: string[] = [];
  for (const item of (text(env, 'SOURCES') ?? '').split(',')) {
    if (item.trim() === '') continue;
    const problem = sourceProblem(item);
    if (problem) {
      throw new PaperwireError('E_CONFIG', `SOURCES item ${JSON.stringify(item.trim())}: ${problem}`, {
        hint: 'Fix SOURCES in .env or the environment: comma-separated hf, arxiv:QUERY, http(s) URLs, files and folders (see .env.example).',
      });
    }
    sources.push(resolveSource(item.trim(), cwd));
  }
  // SOURCE_URLS, from before SOURCES, still works: its URLs come after.
  for (const source of sourceUrls) if (!sources.includes(source)) sources.push(source);
  // Only what the operator set is read; with nothing set, the Hugging Face Daily Papers of the week.
  const inboxDir = text(env, 'INBOX_DIR') === null ? null : path('INBOX_DIR', '');
  if (sources.length === 0 && inboxDir === null) sources.push('hf');
  const apiUrl = (name: string, fallback: string): string =>
    baseUrl(env, name) ?? fallback.replace(/\/+$/, '');

  const dkimDomain = text(env, 'DKIM_DOMAIN');
  const dkimSelector = text(env, 'DKIM_SELECTOR');
  const dkimKey = text(env, 'DKIM_PRIVATE_KEY');
  const dkimKeyFile = text(env, 'DKIM_PRIVATE_KEY_FILE');
  const dkimParts = [dkimDomain, dkimSelector, dkimKey ?? dkimKeyFile];
  let dkim: DkimConfig | null = null;
  if (dkimParts.every((part) => part !== null)) {
    dkim = {
      domain: dkimDomain!,
      selector: dkimSelector!,
      // A key pasted into .env usually has its newlines written as \n.
      privateKey: dkimKey ? dkimKey.replace(/\\n/g, '\n') : null,
      privateKeyFile:
        dkimKeyFile && !dkimKey ? (isAbsolute(dkimKeyFile) ? dkimKeyFile : resolve(cwd, dkimKeyFile)) : null,
    };
  } else if (dkimParts.some((part) => part !== null)) {
    const missing = [
      dkimDomain === null ? 'DKIM_DOMAIN' : null,
      dkimSelector === null ? 'DKIM_SELECTOR' : null,
      dkimKey === null && dkimKeyFile === null ? 'DKIM_PRIVATE_KEY_FILE (or DKIM_PRIVATE_KEY)' : null,
    ].filter(Boolean);
    throw new PaperwireError('E_CONFIG', `DKIM is half configured: ${missing.join(' and ')} not set`, {
      hint: 'Set all of DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or DKIM_PRIVATE_KEY_FILE), or none of them.',
    });
  }

  const publicUrl = baseUrl(env, 'PUBLIC_URL');
  const unsubscribeSecret = text(env, 'UNSUBSCRIBE_SECRET');
  if (publicUrl && !unsubscribeSecret) {
    throw new PaperwireError('E_CONFIG', 'PUBLIC_URL is set but UNSUBSCRIBE_SECRET is not', {
      hint: 'Set UNSUBSCRIBE_SECRET to a long random string (e.g. `openssl rand -hex 32`); it signs unsubscribe links.',
    });
  }
  if (unsubscribeSecret && unsubscribeSecret.length < 16) {
    throw bad('UNSUBSCRIBE_SECRET', '…', 'at least 16 characters long');
  }

  const archiveUrl = baseUrl(env, 'ARCHIVE_URL') ?? (publicUrl ? `${publicUrl}/archive` : null);

  const logFormat = text(env, 'LOG_FORMAT') ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') throw bad('LOG_FORMAT', logFormat, 'text or json');

  const mailFrom = address(env, 'MAIL_FROM');
  const rate = text(env, 'SMTP_RATE_PER_SECOND');
  const smtpRatePerSecond = rate === null ? null : integer(env, 'SMTP_RATE_PER_SECOND', 0, 1, 100_000);

  return {
    cwd,
    inboxDir,
    stateDir,
    dbPath: join(stateDir, 'paperwire.db'),
    outboxDir: join(stateDir, 'outbox'),
    previewDir: join(stateDir, 'preview'),
    subscribersFile: path('SUBSCRIBERS_FILE', 'subscribers.yaml'),
    templatesDir: path('TEMPLATES_DIR', BUNDLED_TEMPLATES_DIR),
    sourceUrls,
    sources,
    hfApiUrl: apiUrl('HF_API_URL', DEFAULT_HF_API_URL),
    hfToken: text(env, 'HF_TOKEN'),
    arxivApiUrl: apiUrl('ARXIV_API_URL', DEFAULT_ARXIV_API_URL),
    fetchTimeoutMs: integer(env, 'FETCH_TIMEOUT_MS', 30_000, 100, 600_000),
    fetchMaxAttempts: integer(env, 'FETCH_MAX_ATTEMPTS', 4, 1, 20),
    // Up to 500 MB: one answer becomes one string, and V8 strings stop a little above that.
    fetchMaxBytes: integer(env, 'FETCH_MAX_BYTES', DEFAULT_FETCH_MAX_BYTES, 1024, 500 * 2 ** 20),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    smtpMaxConnections: integer(env, 'SMTP_MAX_CONNECTIONS', 5, 1, 100),
    smtpRatePerSecond,
    smtpTlsRejectUnauthorized: boolean(env, 'SMTP_TLS_REJECT_UNAUTHORIZED', true),
    mailFrom,
    mailReplyTo: address(env, 'MAIL_REPLY_TO'),
    maxPapers: integer(env, 'MAX_PAPERS', 10, 1, 200),
    sendMaxAttempts: integer(env, 'SEND_MAX_ATTEMPTS', 5, 1, 50),
    publicUrl,
    unsubscribeSecret,
    listId: listId(env, mailFrom),
    listName: oneLine(env, 'LIST_NAME', 100) ?? 'paperwire',
    postalAddress: oneLine(env, 'POSTAL_ADDRESS', 300),
    archiveUrl,
    archiveDir: join(stateDir, 'archive'),
    unsubscribeMailto: address(env, 'UNSUBSCRIBE_MAILTO'),
    dkim,
    schedule: text(env, 'SCHEDULE') ?? DEFAULT_SCHEDULE,
    scheduleTz: text(env, 'SCHEDULE_TZ'),
    scheduleCatchUp: boolean(env, 'SCHEDULE_CATCH_UP', true),
    editionWeek: editionWeek(env),
    logFormat,
    bounceAddress: bounceAddress(env, unsubscribeSecret),
    mailbox: mailboxConfig(env),
    topics: topics(env),
    signupRatePerHour: integer(env, 'SIGNUP_RATE_PER_HOUR', 10, 1, 100_000),
    logAddresses: boolean(env, 'LOG_ADDRESSES', false),
  };
}
