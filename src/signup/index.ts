// Readers subscribe themselves: the paths of the sign-up and preferences pages under
// PUBLIC_URL, their signed tokens (src/tokens.ts) and the links made from them, and
// the rules for what a reader may choose (their name, topics from TOPICS).
//
// A confirmation token carries the whole sign-up (address, name, topics) and expires
// after 48 hours, so nothing is stored before the reader confirms; a preferences token
// is an address token like the unsubscribe one, valid as long as the secret and LIST_ID.
import type { Config } from '../config/index.ts';
import { normalizeAddress } from '../subscribers/address.ts';
import { addressToken, expiringToken, verifyAddressToken, verifyExpiringToken } from '../tokens.ts';
import { publicTokenUrl } from '../urls.ts';

/** The sign-up form (GET) and its submission (POST), below PUBLIC_URL. */
export const SUBSCRIBE_PATH = '/subscribe';
/** The confirmation page the email links to (GET shows a button, POST confirms). */
export const CONFIRM_PATH = '/subscribe/confirm';
/** A reader's topics (GET), and saving them (POST). */
export const PREFERENCES_PATH = '/preferences';

/** How long a confirmation link works. */
export const CONFIRM_TTL_MS = 48 * 3_600_000;
/** At most one confirmation email per address in this time. */
export const CONFIRMATION_MAIL_INTERVAL_MS = 3_600_000;
/** The longest name the form takes. */
export const MAX_NAME_LENGTH = 100;

/** What a sign-up asks for: the address (checked), a name, topics (from TOPICS). */
export interface SignupRequest {
  email: string;
  name: string | null;
  topics: string[];
}

/** The settings the links are made from. */
export type SignupSettings = Pick<Config, 'publicUrl' | 'unsubscribeSecret' | 'listId'>;

/** The confirmation token of `request`, valid until `now` + 48 hours. */
export function confirmationToken(secret: string, listId: string, request: SignupRequest, now: Date): string {
  return expiringToken(
    secret,
    'confirm',
    listId,
    { email: request.email, name: request.name, topics: request.topics },
    new Date(now.getTime() + CONFIRM_TTL_MS),
  );
}

/** The sign-up a confirmation token holds, or why it is refused (forged, another list, malformed, expired). */
export function verifyConfirmationToken(
  secret: string,
  listId: string,
  token: string,
  now: Date,
): { ok: true; request: SignupRequest } | { ok: false; reason: 'invalid' | 'expired' } {
  const check = verifyExpiringToken(secret, 'confirm', listId, token, now);
  if (!check.ok) return check;
  const { email, name, topics } = check.data;
  const address = typeof email === 'string' ? normalizeAddress(email) : null;
  if (
    address === null ||
    !(name === null || typeof name === 'string') ||
    !Array.isArray(topics) ||
    !topics.every((topic) => typeof topic === 'string')
  ) {
    return { ok: false, reason: 'invalid' };
  }
  return { ok: true, request: { email: address, name, topics } };
}

/** The preferences token of `email`. */
export function preferencesToken(secret: string, listId: string, email: string): string {
  return addressToken(secret, 'preferences', listId, email);
}

/** The address of a preferences token, or null when it is not one of this list's. */
export function verifyPreferencesToken(secret: string, listId: string, token: string): string | null {
  return verifyAddressToken(secret, 'preferences', listId, token);
}

/** The "Manage your topics" page of `email`, or null without PUBLIC_URL. */
export function preferencesUrl(config: SignupSettings, email: string): string | null {
  if (!config.publicUrl || !config.unsubscribeSecret) return null;
  return publicTokenUrl(
    config.publicUrl,
    PREFERENCES_PATH,
    preferencesToken(config.unsubscribeSecret, config.listId, email),
  );
}

/** The confirmation link of `request` (PUBLIC_URL is required to take sign-ups at all). */
export function confirmationUrl(
  config: SignupSettings & { publicUrl: string; unsubscribeSecret: string },
  request: SignupRequest,
  now: Date,
): string {
  return publicTokenUrl(
    config.publicUrl,
    CONFIRM_PATH,
    confirmationToken(config.unsubscribeSecret, config.listId, request, now),
  );
}

/** The topics of `chosen` that are among `allowed`, lower-cased, in the order of `allowed`. */
export function allowedTopics(chosen: readonly string[], allowed: readonly string[]): string[] {
  const picked = new Set(chosen.map((topic) => topic.trim().toLowerCase()));
  return allowed.filter((topic) => picked.has(topic));
}

/** Why `name` is not a name the form takes, or null when it is (an empty name is no name). */
export function nameProblem(name: string): string | null {
  if (/[\p{Cc}\u2028\u2029]/u.test(name)) return 'The name must be one line of text.';
  if (name.trim().length > MAX_NAME_LENGTH)
    return `The name may be at most ${MAX_NAME_LENGTH} characters long.`;
  return null;
}
