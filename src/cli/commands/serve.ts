// Placeholder: replaced by the real `serve` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire serve`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('serve')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'serve is not built yet');
      }),
    );
}
