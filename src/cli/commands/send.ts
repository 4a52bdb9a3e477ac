// Placeholder: replaced by the real `send` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire send`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('send')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'send is not built yet');
      }),
    );
}
