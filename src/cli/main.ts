// The one place errors are caught and printed: commands throw, this prints one
// line plus a hint and sets the exit code (0 done, 1 done with problems, 2 usage
// or configuration error).
import { resolve } from 'node:path';
import { CommanderError } from 'commander';
import dotenv from 'dotenv';
import { EXIT, PaperwireError } from '../errors.ts';
import { createCli } from './cli.ts';
import { buildProgram } from './program.ts';

/** Runs the CLI with `argv` (as process.argv) and resolves to the exit code. */
export async function runMain(argv: string[]): Promise<number> {
  const cwd = process.cwd();
  // `paperwire papers | head` closes the pipe early: that is the reader being done, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  // .env fills in what the environment does not already set.
  dotenv.config({ path: resolve(cwd, '.env'), quiet: true });
  const cli = createCli({
    env: process.env,
    cwd,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    isTTY: Boolean(process.stdout.isTTY),
  });
  const program = buildProgram(cli);
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? EXIT.OK);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; its message is already printed.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (error instanceof PaperwireError) {
      cli.io.err(`paperwire: ${error.message}`);
      if (error.hint) cli.io.err(`  hint: ${error.hint}`);
      return error.exitCode;
    }
    cli.io.err(`paperwire: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    cli.io.err('  hint: this is a bug; please report it with the command you ran.');
    return EXIT.PROBLEMS;
  }
}

process.exitCode = await runMain(process.argv);
