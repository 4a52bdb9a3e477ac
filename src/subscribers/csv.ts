// Reads CSV (RFC 4180, as listmonk exports it) with csv-parse, keeping the line each
// record starts on so that a list's problems can be named by line; writes listmonk's
// import format with csv-stringify.
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Subscriber } from '../types.ts';

/** One CSV record and the 1-based line it starts on. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** Thrown for CSV that cannot be read (e.g. a quoted field that never closes); `line` is where. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

/** Splits CSV text into rows of cells; blank lines are skipped. Throws CsvSyntaxError. */
export function parseCsv(text: string): CsvRow[] {
  // One kind of line end: csv-parse counts a CR and an LF inside a quoted field as two
  // lines, so with CRLF its line count drifts after every multi-line field.
  const lf = text.replace(/\r\n?/g, '\n');
  const rows: CsvRow[] = [];
  let nextLine = 1;
  try {
    parse(lf, {
      bom: true,
      relax_column_count: true,
      // Each record ends on the line csv-parse has counted; the next one starts below it.
      on_record: (cells, context) => {
        if (cells.length > 1 || cells[0] !== '') rows.push({ line: nextLine, cells });
        nextLine = context.lines + 1;
        return null;
      },
    });
    return rows;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new CsvSyntaxError('a quoted field is never closed', unclosedQuoteLine(lf, nextLine));
    }
    const what =
      error.code === 'CSV_INVALID_CLOSING_QUOTE'
        ? 'text after the closing quote of a field'
        : error.code === 'INVALID_OPENING_QUOTE'
          ? 'a quote inside a field that does not start with one'
          : error.message.replace(/ at line \d+.*$/, '');
    throw new CsvSyntaxError(what, Number(error.lines));
  }
}

/**
 * The line where the quote opened that never closes, in the record that starts on
 * `recordLine`: that field runs to the end of the text, so closing it there and parsing
 * the record again tells how long it is, and so where its quote stands.
 */
function unclosedQuoteLine(lf: string, recordLine: number): number {
  let start = 0;
  for (let line = 1; line < recordLine; line++) start = lf.indexOf('\n', start) + 1;
  const record = lf.slice(start);
  try {
    const [cells = []] = parse(`${record}"`, { relax_column_count: true });
    const field = `"${String(cells.at(-1) ?? '').replaceAll('"', '""')}"`;
    const opening = record.length + 1 - field.length;
    return recordLine + (record.slice(0, opening).match(/\n/g)?.length ?? 0);
  } catch {
    return recordLine;
  }
}

/**
 * `subscribers` as a listmonk import file: the columns email,name,attributes, the topics in
 * the attributes (`{"topics":[…]}`), quoted where CSV needs it (csv-stringify). The list
 * reader of this folder reads it back as the same subscribers.
 */
export function listmonkCsv(subscribers: readonly Subscriber[]): string {
  return stringify(
    subscribers.map((subscriber) => [
      subscriber.email,
      subscriber.name ?? '',
      JSON.stringify({ topics: subscriber.topics }),
    ]),
    { header: true, columns: ['email', 'name', 'attributes'] },
  );
}
