// Reads the items of a YAML subscriber list one at a time. A whole-document parse
// of 20,000 subscribers holds ~100 MB of syntax tree at once; cutting the list into
// its items first and parsing each alone keeps memory flat whatever the list's size.
// Only the plain shapes are cut (`subscribers:` then `- …` items, or a top-level
// `- …` list); for anything else — flow style, anchors across items, several
// documents, tabs — it answers null and the caller parses the whole document.
import { isSeq, LineCounter, parseDocument } from 'yaml';

/** One list item: its value and the 1-based line it starts on. */
export interface YamlItem {
  line: number;
  value: unknown;
}

const SKIPPABLE = /^\s*(#.*)?$/;
const INDENT = /^( *)(.*)$/;

function isItemStart(rest: string): boolean {
  return rest === '-' || rest.startsWith('- ') || rest.startsWith('-\t');
}

/** The list items of `text` parsed one by one, or null when the file needs a whole-document parse. */
export function yamlItems(text: string): YamlItem[] | null {
  const lines = text.split(/\r?\n/);
  let index = 0;
  while (index < lines.length && SKIPPABLE.test(lines[index]!)) index++;
  if (index === lines.length) return null;

  // Where the sequence starts: after a `subscribers:` line, or at the first line.
  if (/^subscribers:\s*(#.*)?$/.test(lines[index]!)) {
    index++;
    while (index < lines.length && SKIPPABLE.test(lines[index]!)) index++;
    if (index === lines.length) return null;
  }
  const first = INDENT.exec(lines[index]!)!;
  if (!isItemStart(first[2]!)) return null;
  const itemIndent = first[1]!.length;

  const items: YamlItem[] = [];
  let start = index;
  const flush = (end: number): boolean => {
    const chunk = lines.slice(start, end).join('\n');
    const lineCounter = new LineCounter();
    const doc = parseDocument(chunk, { lineCounter, uniqueKeys: false });
    if (doc.errors.length > 0 || !isSeq(doc.contents) || doc.contents.items.length !== 1) return false;
    let value: unknown;
    try {
      value = (doc.toJS() as unknown[])[0] ?? null;
    } catch {
      return false; // an alias whose anchor is in another item
    }
    const offset = (doc.contents.items[0] as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
    items.push({ line: start + lineCounter.linePos(offset).line, value });
    return true;
  };
  for (index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('\t')) return null;
    if (SKIPPABLE.test(line)) continue;
    const [, indent = '', rest = ''] = INDENT.exec(line)!;
    if (indent.length > itemIndent) continue;
    // Something at or left of the items that is not the next item ends the list: only
    // a file that ends there too is cut here (the whole-document parse judges the rest).
    if (indent.length < itemIndent || !isItemStart(rest)) return null;
    if (!flush(index)) return null;
    start = index;
  }
  return flush(lines.length) ? items : null;
}
