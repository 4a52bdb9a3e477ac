// `paperwire restore FILE` / `paperwire restore --from-journal`: the database back from a
// backup, or anew from the journal; the journal's later facts are replayed into it.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { displayPath } from '../options.ts';

/** Registers `paperwire restore`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('restore')
    .description(
      'put a backup in place of the database (or rebuild it from the journal), then replay the journal',
    )
    .argument('[file]', 'the backup (written by paperwire backup)')
    .option('--from-journal', 'no backup: make a new database from the journal beside it')
    .addHelpText(
      'after',
      `
Stop every paperwire process first (the scheduler and serve too). The database there is kept as
paperwire.db.replaced-<time>. Unsubscribes, editions and deliveries recorded after the
backup are replayed from STATE_DIR/paperwire-journal.jsonl, so nobody gets an edition twice.`,
    )
    .action(
      cli.action(async (file: string | undefined, options: { fromJournal?: boolean }) => {
        if ((file === undefined) === !options.fromJournal) {
          throw new PaperwireError('E_USAGE', 'restore takes a backup FILE or --from-journal (one of them)', {
            hint: 'paperwire restore var/backups/paperwire.db, or paperwire restore --from-journal',
          });
        }
        const config = cli.config();
        const { restoreFrom } = await import('../../app/backup.ts');
        const result = restoreFrom(
          config,
          file === undefined ? { journal: true } : { backup: file },
          cli.clock,
        );
        const show = (path: string) => displayPath(path, cli.io.cwd);
        cli.io.out(`restored ${show(config.dbPath)} from ${file === undefined ? 'the journal' : show(file)}`);
        for (const kept of result.keptAs) cli.io.out(`kept the file that was there as ${show(kept)}`);
        const replayed = result.replayed;
        cli.io.out(
          replayed
            ? `replayed from the journal: ${replayed.editions} editions, ${replayed.deliveries} deliveries, ${replayed.suppressions} unsubscribes, ${replayed.webSubscribers} web subscribers (${replayed.facts} facts)`
            : 'the journal had nothing newer',
        );
        return 0;
      }),
    );
}
