// Placeholder: replaced by the real `init-templates` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire init-templates`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('init-templates')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'init-templates is not built yet');
      }),
    );
}
