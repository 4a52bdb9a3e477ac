// A small RFC 4180 reader: what listmonk's subscriber export needs (quoted fields,
// quotes doubled inside them, line breaks inside quotes, CRLF or LF rows) and no more.

/** One CSV record and the 1-based line it starts on. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** Thrown for a quoted field that never closes; `line` is where it opened. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

/** Splits CSV text into rows of cells; blank lines are skipped. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let rowHasContent = false;
  // A quote opens a quoted field only as the field's first character.
  let fieldStart = true;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endRow = (): void => {
    cells.push(cell);
    if (rowHasContent || cells.length > 1 || cell !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
    rowHasContent = false;
  };

  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' && fieldStart) {
      // A quoted field: read to the closing quote, "" standing for one quote.
      const openedOn = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvSyntaxError('a quoted field is never closed', openedOn);
        const inner = text[i]!;
        if (inner === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (inner === '\n') line++;
        cell += inner;
        i++;
      }
      rowHasContent = true;
      fieldStart = false;
      continue;
    }
    if (char === ',') {
      cells.push(cell);
      cell = '';
      rowHasContent = true;
      fieldStart = true;
      i++;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRow();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
      fieldStart = true;
      continue;
    }
    cell += char;
    fieldStart = false;
    i++;
  }
  if (cell !== '' || cells.length > 0 || rowHasContent) endRow();
  return rows;
}
