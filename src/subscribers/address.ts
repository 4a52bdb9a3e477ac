// Email addresses as paperwire compares them. An address is trimmed and its domain
// lower-cased (the local part is kept as written, since it is the mailbox owner's);
// two addresses are the same subscriber when they match case-insensitively as a
// whole — the key suppressions and the ledger use.
import { addressKey } from '../identity.ts';

export { addressKey };

/** RFC 5321: a path is at most 256 octets including the angle brackets. */
const MAX_LENGTH = 254;

// Deliberately simple: no quoted local parts, no IP-literal domains, no comments —
// nothing a newsletter list needs and every one a header-injection surface.
const LOCAL_PART = /^[^\s@<>()[\]\\,;:"\p{Cc}]+$/u;
const DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}][\p{L}\p{N}-]{0,62}$/u;
// Characters that show as nothing or turn the text around: format characters (\p{Cf}: zero-width
// spaces and joiners U+200B–U+200D, direction marks U+200E/U+200F, embeddings and overrides
// U+202A–U+202E, isolates U+2066–U+2069, U+FEFF, the soft hyphen U+00AD …), the Hangul fillers
// and the combining grapheme joiner, which are letters or marks but print as blank. An address
// holding one looks like another address, or like itself while it is not.
const INVISIBLE = /\p{Cf}|\u034F|[\u115F\u1160\u3164\uFFA0]/u;

const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

/** `U+200B` for a character. */
function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `text` with each invisible or text-direction character shown as `<U+200B>`, for reports. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE_ALL, (char) => `<${codePointName(char)}>`);
}

/** Why `raw` is not an address paperwire will mail, or null when it is one. */
export function addressProblem(raw: string): string | null {
  const invisible = INVISIBLE.exec(raw)?.[0];
  if (invisible !== undefined) {
    return `the address holds an invisible or text-direction character (${codePointName(invisible)}): type it again`;
  }
  const address = raw.trim();
  if (address === '') return 'the address is empty';
  if (address.length > MAX_LENGTH) return `the address is longer than ${MAX_LENGTH} characters`;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return 'not an email address (expected name@domain)';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return 'not an email address (the part before @ has spaces or characters like <>(),;:")';
  }
  if (!DOMAIN.test(domain)) return `not an email address ("${domain}" is not a domain name)`;
  return null;
}

/** `raw` trimmed with its domain lower-cased, or null when it is not a valid address. */
export function normalizeAddress(raw: string): string | null {
  if (addressProblem(raw) !== null) return null;
  const address = raw.trim();
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

/** The bare address of `"Name <a@b.c>"` or `a@b.c` (the one place a display name is taken off). */
export function bareAddress(address: string): string {
  return (/<([^>]+)>\s*$/.exec(address)?.[1] ?? address).trim();
}

/** The domain of an address (`a@Example.org` → `example.org`), or null. */
export function addressDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at > 0
    ? email
        .slice(at + 1)
        .trim()
        .toLowerCase() || null
    : null;
}
