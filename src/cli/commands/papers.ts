// Placeholder: replaced by the real `papers` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire papers`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('papers')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'papers is not built yet');
      }),
    );
}
