// A YAML (or JSON: JSON is YAML) subscriber list parsed whole by js-yaml, in two steps
// so that one parse gives both: its event stream, which carries source offsets, says
// where each list item starts (turned into lines only for entries to be reported), and
// is then built into plain values. Measured on 20,000 subscribers: as fast and as lean
// as js-yaml's plain load (scripts/bench/subscribers.ts).
import { constructFromEvents, EVENT_ID, type Event, getScalarValue, parseEvents } from 'js-yaml';

/** Where a node's text starts: its anchor or tag when it has one, else its value. */
function startOf(event: Event): number {
  const starts = [
    'start' in event ? event.start : -1,
    'valueStart' in event ? event.valueStart : -1,
    'anchorStart' in event ? event.anchorStart : -1,
    'tagStart' in event ? event.tagStart : -1,
  ].filter((offset) => offset >= 0);
  return Math.min(...starts);
}

/** The index just past the node whose first event is at `index` (a collection ends at its POP). */
function skipNode(events: Event[], index: number): number {
  const type = events[index]?.type;
  if (type !== EVENT_ID.SEQUENCE && type !== EVENT_ID.MAPPING) return index + 1;
  let next = index + 1;
  while (next < events.length && events[next]!.type !== EVENT_ID.POP) next = skipNode(events, next);
  return next + 1;
}

/** A parsed list: its YAML documents, and the source offset where each item of its list starts. */
export interface ParsedList {
  documents: unknown[];
  itemStarts: number[];
}

/** Parses `text`; throws what js-yaml throws for text it cannot parse. */
export function parseList(text: string): ParsedList {
  const events = parseEvents(text, {});
  // `json`: a key given twice keeps its last value instead of failing the whole list.
  return {
    itemStarts: itemStarts(events, text),
    documents: constructFromEvents(events, { source: text, json: true }),
  };
}

/**
 * Where each list item starts: the items of `subscribers:` (the last such key, as the
 * values keep the last), or of a top-level sequence.
 */
function itemStarts(events: Event[], text: string): number[] {
  // events[0] opens the document; events[1] is its root node.
  let list = 1;
  if (events[1]?.type === EVENT_ID.MAPPING) {
    list = -1;
    for (let key = 2; key < events.length && events[key]!.type !== EVENT_ID.POP; ) {
      const value = skipNode(events, key);
      const event = events[key]!;
      if (event.type === EVENT_ID.SCALAR && getScalarValue(text, event) === 'subscribers') list = value;
      key = skipNode(events, value);
    }
  }
  if (events[list]?.type !== EVENT_ID.SEQUENCE) return [];
  const starts: number[] = [];
  for (
    let item = list + 1;
    events[item] && events[item]!.type !== EVENT_ID.POP;
    item = skipNode(events, item)
  ) {
    starts.push(startOf(events[item]!));
  }
  return starts;
}

/** The 1-based line of each of `offsets` (in ascending order) in `text`. */
export function linesAt(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let position = 0;
  for (const offset of offsets) {
    for (let newline = text.indexOf('\n', position); newline !== -1 && newline < offset; ) {
      line++;
      position = newline + 1;
      newline = text.indexOf('\n', position);
    }
    lines.push(line);
  }
  return lines;
}
