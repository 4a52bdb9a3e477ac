// Placeholder: replaced by the real `status` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire status`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('status')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'status is not built yet');
      }),
    );
}
