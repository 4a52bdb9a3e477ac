// The items of a large top-level JSON array, parsed one at a time. Parsing a
// 50 MB daily-papers file in one JSON.parse keeps every raw item alive until the
// last is read, so the whole graph is promoted to the old generation and
// collected the expensive way; parsed item by item, each one dies young.
// The scan finds item boundaries only: JSON.parse still checks every item, and
// any doubt falls back to the whole-file parse and its exact error position.

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

/**
 * The slices of `text` holding the items of its top-level array, or null when `text` is not a
 * well-formed array at the top level (the caller then parses it whole, to report the error).
 */
export function arrayItemSlices(text: string): string[] | null {
  const open = text.search(/\S/);
  if (text[open] !== '[') return null;
  const slices: string[] = [];
  let depth = 1;
  let itemStart = open + 1;
  STRUCTURE.lastIndex = open + 1;
  for (;;) {
    const match = STRUCTURE.exec(text);
    if (!match) return null;
    const char = match[0];
    const at = match.index;
    if (char === '"') {
      const end = stringEnd(text, at);
      if (end === -1) return null;
      STRUCTURE.lastIndex = end;
    } else if (char === '{' || char === '[') depth++;
    else if (depth > 1) {
      if (char !== ',') depth--;
    } else if (char === ',') {
      slices.push(text.slice(itemStart, at));
      itemStart = at + 1;
    } else if (char === ']') {
      const last = text.slice(itemStart, at);
      // `[]` has no item; `[1,]` has an empty one, which JSON.parse will refuse.
      if (slices.length > 0 || last.trim() !== '') slices.push(last);
      return /\S/.test(text.slice(at + 1)) ? null : slices;
    } else return null;
  }
}
