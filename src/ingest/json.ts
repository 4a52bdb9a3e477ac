// JSON.parse, plus a line and column when it fails: V8 names a position for only
// some syntax errors (never for a truncated file), so on failure a small scanner
// walks the text to the first place that is not JSON.
import { PaperwireError } from '../errors.ts';
import type { JsonScan } from './json-items.ts';
import { limitText, MAX_JSON_VALUES, MAX_NESTING, overLimit } from './limits.ts';

/** The 1-based line and column of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses JSON text; a syntax error becomes E_SOURCE_FORMAT naming the line and column. */
export function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const found = findJsonError(text);
    const { line, column } = lineColumn(text, found.offset);
    const truncated = found.offset >= text.trimEnd().length;
    const what = truncated ? 'the JSON ends too early (truncated file?)' : `invalid JSON: ${found.problem}`;
    throw new PaperwireError('E_SOURCE_FORMAT', `${origin}: ${what} at line ${line}, column ${column}`, {
      hint: truncated
        ? 'The file was cut off while saving or downloading: fetch it again.'
        : 'Fix the JSON at that place (a JSON linter such as `jq . FILE` shows it too), then ingest again.',
      cause: error,
    });
  }
}

/** The E_SOURCE_FORMAT error of JSON text that goes past a limit, naming the place where it does. */
export function jsonOverLimit(
  text: string,
  origin: string,
  over: NonNullable<JsonScan['overLimit']>,
): PaperwireError {
  const { line, column } = lineColumn(text, over.offset);
  const what =
    over.limit === 'nesting'
      ? `the JSON is nested more than ${MAX_NESTING} levels deep (at line ${line}, column ${column})`
      : `the JSON holds more than ${limitText(MAX_JSON_VALUES)} values (the limit is passed at line ${line}, column ${column})`;
  return overLimit(origin, what);
}

const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** The problem of a character where a value should start; invisible ones are named by code point, as a terminal would not show them. */
function unexpected(char: string): string {
  if (char === '\uFEFF') return 'a stray byte order mark (U+FEFF)';
  if (/[\p{C}\p{Z}]/u.test(char))
    return `unexpected U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `unexpected ${JSON.stringify(char)}`;
}

/** The offset of the first character that makes `text` not JSON, and what was wrong there. */
export function findJsonError(text: string): { offset: number; problem: string } {
  let at = 0;
  const fail = (problem: string): never => {
    throw { offset: at, problem };
  };
  const skip = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const token = (pattern: RegExp, what: string): void => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) fail(`expected ${what}`);
    at = pattern.lastIndex;
  };
  const string = (): void => {
    at++;
    while (at < text.length) {
      const char = text[at]!;
      if (char === '"') {
        at++;
        return;
      }
      if (char === '\\') token(ESCAPE, 'an escape such as \\n or \\u0041');
      else if (char < ' ') fail('a control character inside a string (write it as an escape)');
      else at++;
    }
    fail('the string is not closed');
  };
  const value = (): void => {
    skip();
    const char = text[at];
    if (char === undefined) fail('expected a value');
    else if (char === '{') members('}', true);
    else if (char === '[') members(']', false);
    else if (char === '"') string();
    else if (char === '-' || (char >= '0' && char <= '9')) token(NUMBER, 'a number');
    else {
      const literal = LITERALS.find((word) => text.startsWith(word, at));
      if (!literal) fail(unexpected(char));
      at += literal!.length;
    }
  };
  const members = (close: string, keyed: boolean): void => {
    at++;
    skip();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      if (keyed) {
        skip();
        if (text[at] !== '"') fail('expected a "quoted" property name');
        string();
        skip();
        if (text[at] !== ':') fail('expected ":" after the property name');
        at++;
      }
      value();
      skip();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === close) {
        at++;
        return;
      }
      fail(`expected "," or "${close}"`);
    }
  };
  try {
    value();
    skip();
    if (at < text.length) fail('unexpected text after the end of the JSON');
    return { offset: at, problem: 'unknown syntax error' };
  } catch (error) {
    if (error instanceof RangeError) return { offset: 0, problem: 'nested too deeply to read' };
    return error as { offset: number; problem: string };
  }
}
