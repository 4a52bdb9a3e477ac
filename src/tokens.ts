// The signed tokens in paperwire's links (unsubscribe, preferences, sign-up
// confirmation). A token is `base64url(payload) "." base64url(HMAC-SHA256(secret,
// purpose "\n" listId "\n" signed))`: self-contained, so the endpoint needs no lookup
// table; bound to its purpose, so one kind of link never works as another; and bound to
// the list, so a token of another list (another LIST_ID) is worthless here.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { addressKey } from './identity.ts';

/** What a token is for: each purpose signs differently. */
export type TokenPurpose = 'unsubscribe' | 'preferences' | 'confirm';

/** RFC 5321 caps an address at 254 octets; anything much longer in a token is not ours. */
const MAX_EMAIL_LENGTH = 320;

/** The longest payload a token may carry (a confirmation: an address, a name and topics). */
const MAX_PAYLOAD_LENGTH = 8 * 1024;

function mac(secret: string, purpose: TokenPurpose, listId: string, signed: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${listId}\n${signed}`, 'utf8').digest('base64url');
}

/** True when two MACs are equal, compared in constant time (a timing difference would leak the right one). */
export function sameMac(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The payload text of `base64url.mac` when it is the one canonical base64url spelling, else null. */
function decodePart(encoded: string, maxLength: number): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(encoded) || encoded.length > maxLength) return null;
  const text = Buffer.from(encoded, 'base64url').toString('utf8');
  // Base64 decoding forgives stray bits; only the one canonical spelling is accepted.
  return Buffer.from(text, 'utf8').toString('base64url') === encoded ? text : null;
}

/** The token that stands for `email` (and only it) for `purpose` on list `listId`; case-insensitive in the address. */
export function addressToken(secret: string, purpose: TokenPurpose, listId: string, email: string): string {
  const address = email.trim();
  return `${Buffer.from(address, 'utf8').toString('base64url')}.${mac(secret, purpose, listId, addressKey(address))}`;
}

/** The address an addressToken was issued to, or null when forged, truncated, malformed, of another purpose or list; constant-time. */
export function verifyAddressToken(
  secret: string,
  purpose: TokenPurpose,
  listId: string,
  token: string,
): string | null {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [encoded = '', given = ''] = parts;
  const email = decodePart(encoded, MAX_EMAIL_LENGTH * 2);
  if (email === null) return null;
  if (!email.includes('@') || email !== email.trim() || /[\p{Cc}\s]/u.test(email)) return null;
  return sameMac(given, mac(secret, purpose, listId, addressKey(email))) ? email : null;
}

/** A token carrying `data` (JSON) until `expiresAt`, for `purpose` on list `listId`. */
export function expiringToken(
  secret: string,
  purpose: TokenPurpose,
  listId: string,
  data: Record<string, unknown>,
  expiresAt: Date,
): string {
  const payload = Buffer.from(
    JSON.stringify({ ...data, exp: Math.floor(expiresAt.getTime() / 1000) }),
    'utf8',
  );
  const encoded = payload.toString('base64url');
  return `${encoded}.${mac(secret, purpose, listId, encoded)}`;
}

/** What checking an expiring token found: its data, or why it is refused. */
export type ExpiringTokenCheck =
  | { ok: true; data: Record<string, unknown>; expiresAt: Date }
  | { ok: false; reason: 'invalid' | 'expired' };

/** Checks an expiringToken against `now`: forged, malformed, other-purpose and other-list tokens are `invalid`. */
export function verifyExpiringToken(
  secret: string,
  purpose: TokenPurpose,
  listId: string,
  token: string,
  now: Date,
): ExpiringTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'invalid' };
  const [encoded = '', given = ''] = parts;
  const text = decodePart(encoded, MAX_PAYLOAD_LENGTH);
  if (text === null || !sameMac(given, mac(secret, purpose, listId, encoded))) {
    return { ok: false, reason: 'invalid' };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return { ok: false, reason: 'invalid' };
  const { exp, ...rest } = data as Record<string, unknown>;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(exp * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, data: rest, expiresAt };
}
