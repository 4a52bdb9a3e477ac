// One table of error codes. Every error a user can meet says what went wrong,
// where, and what to do next; tests assert on `code`, never on wording.

/** The error codes paperwire throws, with the exit code each one maps to. */
export const ERROR_CODES = {
  /** A setting in the environment or .env is invalid or missing. */
  E_CONFIG: 2,
  /** The command line was wrong. */
  E_USAGE: 2,
  /** A source could not be read (missing file, unreachable URL, HTTP error). */
  E_SOURCE_READ: 1,
  /** A source's content is in no format paperwire knows, or is malformed throughout. */
  E_SOURCE_FORMAT: 1,
  /** The subscriber list is missing, empty or unreadable. */
  E_SUBSCRIBERS: 2,
  /** A template is broken (invalid MJML, unknown partial, Handlebars syntax). */
  E_TEMPLATE: 2,
  /** The database could not be opened or migrated. */
  E_STORE: 2,
  /** The SQLite driver (better-sqlite3) does not load, e.g. it was built for another Node version. */
  E_SQLITE_DRIVER: 2,
  /** Another process holds the lock this command needs. */
  E_LOCKED: 1,
  /** An edition that was asked for does not exist. */
  E_NO_EDITION: 1,
  /** Sending failed as a whole (e.g. the transport could not be set up). */
  E_SEND: 1,
  /** The mailbox (MAILBOX_URL) could not be reached, logged in to or read. */
  E_MAILBOX: 1,
} as const;

/** A known error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error paperwire expects and explains: a code, a one-line message and a hint on what to do next. */
export class PaperwireError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PaperwireError';
    this.code = code;
    this.hint = options.hint;
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    return ERROR_CODES[this.code];
  }
}

/** Process exit codes: 0 done, 1 done with problems, 2 usage or configuration error. */
export const EXIT = { OK: 0, PROBLEMS: 1, USAGE: 2 } as const;

/** True when `error` is a PaperwireError with the given code. */
export function isPaperwireError(error: unknown, code?: ErrorCode): error is PaperwireError {
  return error instanceof PaperwireError && (code === undefined || error.code === code);
}

/** An error as data, for reports, JSON output and run records: its code (null when not one of ours), what went wrong, what to do. */
export interface Problem {
  code: ErrorCode | null;
  message: string;
  hint: string | null;
}

/** The Problem a thrown value stands for: a PaperwireError's code, message and hint, or any error's message. */
export function problemOf(error: unknown): Problem {
  if (error instanceof PaperwireError)
    return { code: error.code, message: error.message, hint: error.hint ?? null };
  return { code: null, message: error instanceof Error ? error.message : String(error), hint: null };
}

/** A Problem of ours, made without throwing. */
export function problem(code: ErrorCode, message: string, hint: string | null = null): Problem {
  return { code, message, hint };
}
