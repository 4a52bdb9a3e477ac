// Placeholder: replaced by the real `edition` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire edition`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('edition')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'edition is not built yet');
      }),
    );
}
