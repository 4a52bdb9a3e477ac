// What every command gets: its surroundings (CliIO), the configuration (loaded on
// first use, so `--help` works with a broken .env), a logger, and the app context
// with an open store. Commands throw PaperwireError on failure and return their
// exit code; main.ts prints errors. Heavy modules are imported by the commands
// that need them, so `--help` and `status` start fast.
import type { AppContext } from '../app/context.ts';
import { cleanUpAfter, NO_ERROR } from '../cleanup.ts';
import { type Clock, systemClock } from '../clock.ts';
import { demoEnv } from '../config/demo.ts';
import { type Config, type Env, loadConfig } from '../config/index.ts';
import { createLogger, type Logger } from '../log.ts';

/** The process surroundings a command runs in; tests pass their own. */
export interface CliIO {
  /** The environment (.env in `cwd` is read on top of it, never into it). */
  env: Env;
  cwd: string;
  /** Writes one line of the command's result to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Writes raw text to stdout (the progress bar redrawn in place). */
  write(text: string): void;
  /** True when stdout is a terminal (progress bars, confirmation prompts). */
  isTTY: boolean;
  /** Asks a yes/no question on the terminal; absent when there is no one to ask. */
  ask?: (question: string) => Promise<boolean>;
  /** The clock; the system's unless a test sets one. */
  clock?: Clock;
}

/** The context handed to every command. */
export interface Cli {
  io: CliIO;
  clock: Clock;
  /** The configuration, loaded from the environment on first call (the demo's, after useDemo). */
  config(): Config;
  /** Switches to the demo's settings (`--demo`, src/config/demo.ts); call before the configuration is loaded. */
  useDemo(): void;
  /** True after useDemo. */
  readonly demo: boolean;
  /** A logger in the configured LOG_FORMAT, writing to stderr. */
  log(): Logger;
  /** Opens the store, runs `body` with the app context, and closes the store again. */
  withApp<T>(body: (ctx: AppContext) => Promise<T>): Promise<T>;
  /** Wraps a command body: its result is the command's exit code (0 when it returns nothing). */
  action<A extends unknown[]>(
    body: (...args: A) => Promise<number | undefined> | number | undefined,
  ): (...args: A) => Promise<void>;
}

/** Builds the command context for `io` (with `env` already holding .env's settings); `setExit` receives exit codes. */
export function createCli(io: CliIO, env: Env, setExit: (code: number) => void): Cli {
  let config: Config | undefined;
  let logger: Logger | undefined;
  let demo = false;
  const clock = io.clock ?? systemClock;
  const cli: Cli = {
    io,
    clock,
    config: () => {
      config ??= loadConfig(demo ? demoEnv(env) : env, io.cwd);
      return config;
    },
    useDemo: () => {
      if (config) throw new Error('useDemo() after the configuration was loaded');
      demo = true;
    },
    get demo() {
      return demo;
    },
    log: () => {
      logger ??= createLogger(cli.config().logFormat, io.err, clock);
      return logger;
    },
    async withApp(body) {
      const config = cli.config();
      const { openStore } = await import('../store/index.ts');
      // The outbox shows the folder was used even before the journal existed.
      const store = openStore(config.dbPath, { clock, usedMarkers: [config.outboxDir] });
      let pending: unknown = NO_ERROR;
      try {
        return await body({ config, store, clock, log: cli.log() });
      } catch (error) {
        pending = error;
        throw error;
      } finally {
        cleanUpAfter(pending, store.close, (error) =>
          cli.log().warn(`could not close the database: ${error.message}`),
        );
      }
    },
    action:
      (body) =>
      async (...args) => {
        setExit((await body(...args)) ?? 0);
      },
  };
  return cli;
}
