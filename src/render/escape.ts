// Source text passes through two Handlebars renders (edition, then subscriber),
// so braces and backslashes from a source must not survive as template syntax.
// Phase 1 swaps them for private-use "sentinel" characters; once phase 1 is
// done they become HTML entities (HTML) or, after phase 2, themselves again (text).
import { httpUrl } from '../urls.ts';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const BACKSLASH = '\uE002';
const SENTINELS = /[\uE000-\uE002]/g;

/** Matches a sentinel (not global: safe for `test`). */
export const SENTINEL = /[\uE000-\uE002]/;

/** Makes a source string inert for Handlebars: `{`, `}` and `\` become sentinels. */
export function markSource(value: string): string {
  return value
    .replace(SENTINELS, '')
    .replaceAll('{', OPEN)
    .replaceAll('}', CLOSE)
    .replaceAll('\\', BACKSLASH);
}

const ENTITY: Record<string, string> = { [OPEN]: '&#123;', [CLOSE]: '&#125;', [BACKSLASH]: '&#92;' };
const PLAIN: Record<string, string> = { [OPEN]: '{', [CLOSE]: '}', [BACKSLASH]: '\\' };

/** Turns sentinels into HTML entities: safe in phase 2, shown as the original characters. */
export function sentinelsToEntities(html: string): string {
  return html.replace(SENTINELS, (char) => ENTITY[char] ?? '');
}

/** Turns sentinels back into the characters they stand for (plain text, after phase 2). */
export function sentinelsToText(text: string): string {
  return text.replace(SENTINELS, (char) => PLAIN[char] ?? '');
}

/** The URL when it is an absolute http(s) URL, else null (drops `javascript:`, `data:`, relative …). */
export const safeUrl: (value: unknown) => string | null = httpUrl;

/** `text` with every character a regular expression gives a meaning escaped, to match it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
