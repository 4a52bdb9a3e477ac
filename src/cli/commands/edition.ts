// `paperwire edition [--week W]` freezes (or shows) the week's edition;
// `paperwire editions` lists every edition with its delivery status.
import type { Command } from 'commander';
import type { Edition } from '../../types.ts';
import type { Cli } from '../cli.ts';
import { weekOption } from '../options.ts';

/** How many papers `paperwire edition` lists under its summary line. */
const LISTED_PAPERS = 10;

function paperLines(edition: Edition): string[] {
  const lines = edition.papers.slice(0, LISTED_PAPERS).map(({ rank, paper }) => {
    const votes = paper.upvotes === null ? '' : `▲${paper.upvotes}`;
    return `  ${String(rank).padStart(3)}. ${votes.padEnd(6)} ${paper.title}`;
  });
  const rest = edition.papers.length - LISTED_PAPERS;
  if (rest > 0) lines.push(`       … and ${rest} more`);
  return lines;
}

/** Registers `paperwire edition` and `paperwire editions`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('edition')
    .description("freeze this week's edition from the papers stored since the last one (rerun: shows it)")
    .option('--week <week>', 'the ISO week of the edition, e.g. 2026-W48 (default: this week)')
    .action(
      cli.action(async (options: { week?: string }) => {
        const week = weekOption(options.week);
        const { freezeEdition, isoWeekOf } = await import('../../edition/index.ts');
        return cli.withApp(async ({ store, clock }) => {
          const now = clock();
          const result = freezeEdition(store, week ?? isoWeekOf(now), now, week !== undefined);
          if (result.status === 'nothing-new') {
            cli.io.out(
              result.previousId
                ? `nothing new since ${result.previousId}`
                : 'nothing new: no papers stored yet (run `paperwire ingest SOURCE` first)',
            );
            return 0;
          }
          const { edition } = result;
          const since = edition.previousId ? `, new since ${edition.previousId}` : '';
          const verb = result.status === 'created' ? 'created' : `exists (created ${edition.createdAt})`;
          cli.io.out(`edition ${edition.id} ${verb}: ${edition.papers.length} papers${since}`);
          for (const line of paperLines(edition)) cli.io.out(line);
          return 0;
        });
      }),
    );

  program
    .command('editions')
    .description('list the editions with their paper counts and delivery status')
    .action(
      cli.action(() =>
        cli.withApp(async ({ store }) => {
          const editions = store.editions.summaries();
          if (editions.length === 0) cli.io.out('no editions yet (run `paperwire edition`)');
          for (const e of editions) {
            cli.io.out(
              `${e.id}  created ${e.createdAt}  ${e.paperCount} papers  sent ${e.sent}  failed ${e.failed}  pending ${e.pending}`,
            );
          }
          return 0;
        }),
      ),
    );
}
