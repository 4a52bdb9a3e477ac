// Placeholder: replaced by the real `run` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire run`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('run')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'run is not built yet');
      }),
    );
}
