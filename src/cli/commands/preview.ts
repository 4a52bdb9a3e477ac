// Placeholder: replaced by the real `preview` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire preview`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('preview')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'preview is not built yet');
      }),
    );
}
