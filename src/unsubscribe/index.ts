// Unsubscribing: signed per-subscriber tokens, the links built from them, and
// the List-Unsubscribe headers (RFC 2369 + RFC 8058 one-click) every message carries.
// A token is `base64url(email) "." base64url(HMAC-SHA256(secret, "unsubscribe\n" + listId
// + "\n" + lower-cased email))`: self-contained, so the endpoint needs no lookup table,
// and bound to the list, so a token of another list (another LIST_ID) is worthless here.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/index.ts';
import { addressKey } from '../identity.ts';
import { createLogger, type Logger } from '../log.ts';
import { bareAddress } from '../subscribers/address.ts';

/** The settings unsubscribe links are made from. */
export type UnsubscribeSettings = Pick<
  Config,
  'publicUrl' | 'unsubscribeSecret' | 'listId' | 'unsubscribeMailto' | 'mailFrom' | 'logFormat'
>;

/** The path of the unsubscribe endpoint, below PUBLIC_URL. */
export const UNSUBSCRIBE_PATH = '/unsubscribe';

/** The mailbox of last resort for mailto: unsubscribes, when neither UNSUBSCRIBE_MAILTO nor MAIL_FROM is set. */
export const FALLBACK_MAILTO = 'paperwire@localhost';

/** RFC 5321 caps an address at 254 octets; anything much longer in a token is not ours. */
const MAX_EMAIL_LENGTH = 320;

function mac(secret: string, listId: string, email: string): string {
  return createHmac('sha256', secret)
    .update(`unsubscribe\n${listId}\n${addressKey(email)}`, 'utf8')
    .digest('base64url');
}

/** The token that lets `email` (and only it) leave list `listId`. */
export function unsubscribeToken(secret: string, listId: string, email: string): string {
  const address = email.trim();
  return `${Buffer.from(address, 'utf8').toString('base64url')}.${mac(secret, listId, address)}`;
}

/** The address a token was issued to, or null when it is forged, truncated, malformed or of another list; constant-time. */
export function verifyUnsubscribeToken(secret: string, listId: string, token: string): string | null {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [encodedEmail = '', givenMac = ''] = parts;
  if (!/^[A-Za-z0-9_-]+$/.test(encodedEmail) || encodedEmail.length > MAX_EMAIL_LENGTH * 2) return null;
  const email = Buffer.from(encodedEmail, 'base64url').toString('utf8');
  // Base64 decoding forgives stray bits; only the one canonical spelling is accepted.
  if (Buffer.from(email, 'utf8').toString('base64url') !== encodedEmail) return null;
  if (!email.includes('@') || email !== email.trim() || /[\p{Cc}\s]/u.test(email)) return null;
  const expected = Buffer.from(mac(secret, listId, email), 'utf8');
  const given = Buffer.from(givenMac, 'utf8');
  if (given.length !== expected.length) return null;
  return timingSafeEqual(given, expected) ? email : null;
}

/**
 * Percent-encodes an address for a mailto: URL, keeping the characters RFC 6068 allows as
 * they are, except the comma, which would split a List-Unsubscribe header for naive parsers.
 */
function mailtoAddress(address: string): string {
  return Array.from(address, (char) =>
    /[A-Za-z0-9\-._~!$'()*+;:@]/.test(char) ? char : encodeURIComponent(char),
  ).join('');
}

/** The mailbox of mailto: unsubscribes: UNSUBSCRIBE_MAILTO, else the MAIL_FROM address, else paperwire@localhost. */
export function unsubscribeMailbox(config: Pick<Config, 'unsubscribeMailto' | 'mailFrom'>): string {
  return bareAddress(config.unsubscribeMailto ?? config.mailFrom ?? FALLBACK_MAILTO);
}

/** The mailto: unsubscribe URL of unsubscribeMailbox. */
export function unsubscribeMailto(config: UnsubscribeSettings): string {
  return `mailto:${mailtoAddress(unsubscribeMailbox(config))}?subject=unsubscribe`;
}

/** True when a URL is plain http to somewhere other than this machine (RFC 8058 asks for https). */
export function isInsecurePublicUrl(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]');
}

// Library callers that pass no logger still get the warning, on stderr in the configured format.
const defaultLoggers = { text: createLogger('text'), json: createLogger('json') } as const;
const warnedUrls = new WeakMap<Logger, Set<string>>();

/** Logs, once per logger and URL, that an http PUBLIC_URL will not get one-click unsubscribes from big providers. */
function warnIfInsecure(publicUrl: string, log: Logger): void {
  if (!isInsecurePublicUrl(publicUrl)) return;
  const seen = warnedUrls.get(log) ?? new Set<string>();
  warnedUrls.set(log, seen);
  if (seen.has(publicUrl)) return;
  seen.add(publicUrl);
  log.warn('PUBLIC_URL is plain http: mail providers expect an https one-click unsubscribe URL (RFC 8058)', {
    publicUrl,
  });
}

/** The endpoint URL for `token` under PUBLIC_URL, with every character that could end a header `<…>` encoded. */
function endpointUrl(publicUrl: string, token: string): string {
  const url = new URL(publicUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${UNSUBSCRIBE_PATH}`;
  url.search = `?token=${token}`;
  url.hash = '';
  return url.href.replace(/[,\s<>"]/g, (char) => encodeURIComponent(char));
}

/** Where `email` can unsubscribe: the confirm page and one-click URL (null without PUBLIC_URL) and the mailto:. */
export function unsubscribeLinks(
  config: UnsubscribeSettings,
  email: string,
  log: Logger = defaultLoggers[config.logFormat],
): { pageUrl: string | null; oneClickUrl: string | null; mailto: string } {
  const mailto = unsubscribeMailto(config);
  if (!config.publicUrl || !config.unsubscribeSecret) return { pageUrl: null, oneClickUrl: null, mailto };
  warnIfInsecure(config.publicUrl, log);
  // GET shows a page with a button (scanners follow GETs); POST to the same URL unsubscribes.
  const url = endpointUrl(config.publicUrl, unsubscribeToken(config.unsubscribeSecret, config.listId, email));
  return { pageUrl: url, oneClickUrl: url, mailto };
}

/** The visible unsubscribe link in the body of a message to `email`: the confirm page, else the mailto:. */
export function bodyUnsubscribeUrl(
  config: UnsubscribeSettings,
  email: string,
  log: Logger = defaultLoggers[config.logFormat],
): string {
  const links = unsubscribeLinks(config, email, log);
  return links.pageUrl ?? links.mailto;
}

/**
 * The List-Unsubscribe headers for `email`: ONE `List-Unsubscribe` holding `<https…>, <mailto…>`
 * (DKIM signs only the last instance of a repeated header) and `List-Unsubscribe-Post` when
 * there is a one-click URL; mailto only otherwise.
 */
export function listUnsubscribeHeaders(
  config: UnsubscribeSettings,
  email: string,
  log: Logger = defaultLoggers[config.logFormat],
): Record<string, string> {
  const links = unsubscribeLinks(config, email, log);
  if (!links.oneClickUrl) return { 'List-Unsubscribe': `<${links.mailto}>` };
  return {
    'List-Unsubscribe': `<${links.oneClickUrl}>, <${links.mailto}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
