// The CLI as a function: `runMain(argv, io)` parses the command line, runs one
// command and resolves to its exit code. Errors are caught and printed here, in one
// place: one line plus a hint (exit codes: 0 done, 1 done with problems, 2 a usage
// or configuration error). Nothing runs at import time; scripts/paperwire.mjs calls it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import dotenv from 'dotenv';
import type { Env } from '../config/index.ts';
import { EXIT, PaperwireError } from '../errors.ts';
import { type CliIO, createCli } from './cli.ts';
import { buildProgram } from './program.ts';

export type { CliIO } from './cli.ts';
export { processIO } from './process.ts';

/** The environment with `.env` in `cwd` filled in underneath it: the environment wins. */
function withDotenv(env: Env, cwd: string): Env {
  const file = join(cwd, '.env');
  if (!existsSync(file)) return env;
  let parsed: Record<string, string>;
  try {
    parsed = dotenv.parse(readFileSync(file));
  } catch (error) {
    throw new PaperwireError('E_CONFIG', `cannot read ${file}: ${(error as Error).message}`, {
      hint: 'Check that .env is a readable file (see .env.example).',
    });
  }
  return { ...parsed, ...env };
}

/** Runs the CLI with `argv` (as process.argv: node, script, then the arguments) in `io`; resolves to the exit code. */
export async function runMain(argv: string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.OK;
  try {
    const cli = createCli(io, withDotenv(io.env, io.cwd), (code) => {
      exitCode = Math.max(exitCode, code);
    });
    await buildProgram(cli).parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; its message is already printed.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (error instanceof PaperwireError) {
      io.err(`paperwire: ${error.message}`);
      if (error.hint) io.err(`  hint: ${error.hint}`);
      return error.exitCode;
    }
    io.err(`paperwire: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    io.err('  hint: this is a bug; please report it with the command you ran.');
    return EXIT.PROBLEMS;
  }
}
