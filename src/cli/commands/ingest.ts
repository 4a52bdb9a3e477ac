// Placeholder: replaced by the real `ingest` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire ingest`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('ingest')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'ingest is not built yet');
      }),
    );
}
