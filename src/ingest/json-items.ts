// One structural pass over JSON text, before anything is parsed: it checks the
// limits on nesting and on the number of values (limits.ts), and splits a
// top-level array into the text of its items. Parsing a 50 MB daily-papers file
// in one JSON.parse keeps every raw item alive until the last is read, so the
// whole graph is promoted to the old generation and collected the expensive way;
// parsed item by item, each one dies young.
// The scan finds boundaries only: JSON.parse still checks every item, and any
// doubt falls back to the whole-file parse and its exact error position.
import { MAX_JSON_VALUES, MAX_NESTING } from './limits.ts';

// The characters that change nesting or end an item; strings are skipped whole.
const STRUCTURE = /["[\]{},]/g;

/** The end (index after the closing quote) of the string starting at `start`, or -1 when it is not closed. */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/** What the structural pass over JSON text found. */
export interface JsonScan {
  /** The text of each item of the top-level array; null when the top level is not a well-formed array. */
  items: string[] | null;
  /** The offset where the text first goes past MAX_NESTING or MAX_JSON_VALUES, and which; null within both. */
  overLimit: { offset: number; limit: 'nesting' | 'values' } | null;
}

/**
 * Scans JSON `text` up to the end of its top-level value, or to the first limit it passes. Malformed
 * text ends the scan early with `items: null`; the caller's JSON.parse then says what is wrong.
 */
export function scanJson(text: string): JsonScan {
  const open = text.search(/\S/);
  let items: string[] | null = text[open] === '[' ? [] : null;
  const malformed: JsonScan = { items: null, overLimit: null };
  let depth = 0;
  let values = 0;
  let itemStart = open + 1;
  STRUCTURE.lastIndex = Math.max(open, 0);
  for (;;) {
    const match = STRUCTURE.exec(text);
    if (!match) return malformed;
    const char = match[0];
    const at = match.index;
    if (char === '"') {
      const end = stringEnd(text, at);
      if (end === -1) return malformed;
      STRUCTURE.lastIndex = end;
      continue;
    }
    if (char === ',') {
      if (++values > MAX_JSON_VALUES) return { items: null, overLimit: { offset: at, limit: 'values' } };
      if (depth === 1 && items) {
        items.push(text.slice(itemStart, at));
        itemStart = at + 1;
      }
      continue;
    }
    if (char === '{' || char === '[') {
      if (++depth > MAX_NESTING) return { items: null, overLimit: { offset: at, limit: 'nesting' } };
      if (++values > MAX_JSON_VALUES) return { items: null, overLimit: { offset: at, limit: 'values' } };
      continue;
    }
    // `]` or `}`: the top-level array closes only with `]`.
    if (depth === 1 && items) {
      if (char !== ']') return malformed;
      const last = text.slice(itemStart, at);
      // `[]` has no item; `[1,]` has an empty one, which JSON.parse will refuse.
      if (items.length > 0 || last.trim() !== '') items.push(last);
    }
    if (--depth === 0) {
      if (/\S/.test(text.slice(at + 1))) items = null;
      return { items, overLimit: null };
    }
    if (depth < 0) return malformed;
  }
}
