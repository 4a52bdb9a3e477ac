// Placeholder: replaced by the real `schedule` command.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire schedule`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('schedule')
    .description('(not built yet)')
    .action(
      cli.action(() => {
        throw new PaperwireError('E_USAGE', 'schedule is not built yet');
      }),
    );
}
