// Placeholder: replaced by the real `subscribers` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire subscribers`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('subscribers')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'subscribers is not built yet');
      }),
    );
}
