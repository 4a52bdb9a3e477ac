// Small readers for fields of parsed JSON, shared by the JSON formats.

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** True when `value` is a JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What kind of JSON value `value` is, for messages: `a string`, `an array`, `null` … */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * A value from a source as a message shows it: a string quoted and cut to 60 characters, a number
 * as written, anything else by its kind. Never `[object Object]`, and never a walk into a deep value.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 60 ? `${JSON.stringify(value.slice(0, 59))}…` : JSON.stringify(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : 'a number too large to read (past 1.8e308)';
  if (typeof value === 'boolean') return String(value);
  return kindOf(value);
}

/** `value` when it is a string with something in it, else null. */
export function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * `value` when it is a count: a whole number from 0 to Number.MAX_SAFE_INTEGER (past it a number is
 * no longer exact, and 1e308 is no one's upvote count), else null.
 */
export function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** What `count` accepts, for messages. */
export const COUNT_RANGE = `a whole number from 0 to ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}`;

/** The strings among `value`'s items, or [] when it is not an array. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
