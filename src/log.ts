// Log lines: readable text on a terminal, one JSON object per line for a service
// manager (LOG_FORMAT=json). Summaries a command prints as its result go to
// stdout directly; the log is for what happens along the way.
import { type Clock, systemClock } from './clock.ts';

/** Structured fields attached to a log line. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Where log lines go. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger writing `text` or `json` lines through `write` (stderr by default), stamped by `clock`. */
export function createLogger(
  format: 'text' | 'json',
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  clock: Clock = systemClock,
): Logger {
  const emit = (level: 'info' | 'warn' | 'error', message: string, fields: LogFields = {}): void => {
    if (format === 'json') {
      write(JSON.stringify({ time: clock().toISOString(), level, msg: message, ...fields }));
      return;
    }
    const extras = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(
        ([key, value]) =>
          `${key}=${typeof value === 'string' && /\s/.test(value) ? JSON.stringify(value) : value}`,
      )
      .join(' ');
    const prefix = level === 'info' ? '' : `${level}: `;
    write(`${prefix}${message}${extras ? ` (${extras})` : ''}`);
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}

/** A logger that drops everything; for library calls whose caller wants silence. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** `{ email }` when addresses may go into the log (LOG_ADDRESSES=true), else no field at all. */
export function addressFields(email: string, logAddresses: boolean): LogFields {
  return logAddresses ? { email } : {};
}
