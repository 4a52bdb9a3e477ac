// What every command gets: the configuration (loaded on first use, so `--help`
// works with a broken .env), output streams and a logger. Commands throw
// PaperwireError on failure and return their exit code; main.ts prints errors.
import { type Config, type Env, loadConfig } from '../config/index.ts';
import { createLogger, type Logger } from '../log.ts';

/** The process surroundings a command runs in; tests pass their own. */
export interface CliIO {
  env: Env;
  cwd: string;
  /** Writes one line of the command's result to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** True when stdout is a terminal (progress bars, confirmation prompts). */
  isTTY: boolean;
}

/** The context handed to every command. */
export interface Cli {
  io: CliIO;
  /** The configuration, loaded from the environment on first call. */
  config(): Config;
  /** A logger in the configured LOG_FORMAT, writing to stderr. */
  log(): Logger;
  /** Wraps a command body: runs it and stores its exit code (0 when it returns nothing). */
  action<A extends unknown[]>(
    body: (...args: A) => Promise<number | undefined> | number | undefined,
  ): (...args: A) => Promise<void>;
}

/** Builds the command context for `io`. */
export function createCli(io: CliIO): Cli {
  let config: Config | undefined;
  let logger: Logger | undefined;
  const cli: Cli = {
    io,
    config: () => {
      config ??= loadConfig(io.env, io.cwd);
      return config;
    },
    log: () => {
      logger ??= createLogger(cli.config().logFormat, io.err);
      return logger;
    },
    action:
      (body) =>
      async (...args) => {
        const code = await body(...args);
        if (code !== undefined) process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
      },
  };
  return cli;
}
