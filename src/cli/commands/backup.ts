// `paperwire backup FILE`: a consistent copy of the database, taken while paperwire runs.
import type { Command } from 'commander';
import type { Cli } from '../cli.ts';
import { displayPath } from '../options.ts';

/** Registers `paperwire backup`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('backup')
    .description('write a consistent copy of the database to FILE (safe while paperwire runs)')
    .argument(
      '<file>',
      'where the copy goes (a folder: paperwire-<time>.db in it); an older copy there is replaced',
    )
    .addHelpText(
      'after',
      `
The copy is checked and self-contained (one file). Keep it on another disk. To use it:
paperwire restore FILE (the unsubscribes and deliveries recorded since are replayed from
the journal beside the database).`,
    )
    .action(
      cli.action(async (file: string) => {
        const { writeBackup } = await import('../../app/backup.ts');
        return cli.withApp(async (ctx) => {
          const result = await writeBackup(ctx, file);
          const shown = displayPath(result.file, cli.io.cwd);
          cli.io.out(
            `backup of ${displayPath(ctx.store.path, cli.io.cwd)} written to ${shown} (${Math.ceil(result.bytes / 1024)} KB, schema ${result.schemaVersion}, checked)`,
          );
          cli.io.out(`to restore it: paperwire restore ${shown}`);
          return 0;
        });
      }),
    );
}
