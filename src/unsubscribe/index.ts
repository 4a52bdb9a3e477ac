// Unsubscribing: signed per-subscriber tokens, the links built from them, and
// the List-Unsubscribe headers (RFC 2369 + RFC 8058 one-click) every message carries.
// A token is an address token (src/tokens.ts) for the purpose `unsubscribe`: the address
// and an HMAC of it, the list and the purpose, so it needs no lookup table and is
// worthless for another list.
import type { Config } from '../config/index.ts';
import { createLogger, type Logger } from '../log.ts';
import { bareAddress } from '../subscribers/address.ts';
import { addressToken, verifyAddressToken } from '../tokens.ts';
import { publicTokenUrl } from '../urls.ts';

/** The settings unsubscribe links are made from. */
export type UnsubscribeSettings = Pick<
  Config,
  'publicUrl' | 'unsubscribeSecret' | 'listId' | 'unsubscribeMailto' | 'mailFrom' | 'logFormat'
>;

/** The path of the unsubscribe endpoint, below PUBLIC_URL. */
export const UNSUBSCRIBE_PATH = '/unsubscribe';

/** The mailbox of last resort for mailto: unsubscribes, when neither UNSUBSCRIBE_MAILTO nor MAIL_FROM is set. */
export const FALLBACK_MAILTO = 'paperwire@localhost';

/** The token that lets `email` (and only it) leave list `listId`. */
export function unsubscribeToken(secret: string, listId: string, email: string): string {
  return addressToken(secret, 'unsubscribe', listId, email);
}

/** The address a token was issued to, or null when it is forged, truncated, malformed or of another list; constant-time. */
export function verifyUnsubscribeToken(secret: string, listId: string, token: string): string | null {
  return verifyAddressToken(secret, 'unsubscribe', listId, token);
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
  const url = publicTokenUrl(
    config.publicUrl,
    UNSUBSCRIBE_PATH,
    unsubscribeToken(config.unsubscribeSecret, config.listId, email),
  );
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
