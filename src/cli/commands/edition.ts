// `paperwire edition [--week W] [--json] [--freeze]` shows the week's edition (or what it
// would hold now), `--delete W` removes one nothing was sent from; `paperwire editions
// [--json]` lists every edition with its delivery status.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { weekOption } from '../options.ts';
import { editionJson, editionLines, editionListing, editionsLines } from '../present/edition.ts';

/** Registers `paperwire edition` and `paperwire editions`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('edition')
    .description("show the week's edition, or what it would hold if frozen now (default: the week due now)")
    .option('--week <week>', 'the ISO week of the edition, e.g. 2026-W48 (default: the week due now)')
    .option(
      '--json',
      'print {id, from, to, frozen, createdAt, papers: [{rank, id, arxivId, title, upvotes}]}',
    )
    .option('--freeze', 'freeze it now without sending (`send` and `run` freeze it themselves)')
    .option('--delete <week>', 'delete that edition, when no message of it went out; its papers wait again')
    .addHelpText(
      'after',
      `
An edition is an ISO week: the papers its sources feature in that week, plus papers first
seen since the previous edition whose own date is older. A paper is in one edition only;
one featured after the week waits for its own. EDITION_WEEK=current makes the default the
week in progress. A week more than one week ahead is refused.`,
    )
    .action(
      cli.action(async (options: { week?: string; json?: boolean; freeze?: boolean; delete?: string }) => {
        const week = weekOption(options.week);
        const doomed = weekOption(options.delete);
        if (doomed !== undefined && (week !== undefined || options.freeze)) {
          throw new PaperwireError('E_USAGE', '--delete goes alone: it names the edition itself', {
            hint: `paperwire edition --delete ${doomed}`,
          });
        }
        const { deleteEdition, freezeWeek, viewEdition } = await import('../../app/editions.ts');
        return cli.withApp(async (ctx) => {
          if (doomed !== undefined) {
            const deleted = deleteEdition(ctx, doomed);
            if (options.json) cli.io.out(JSON.stringify({ deleted }));
            else {
              cli.io.out(
                `deleted edition ${deleted.id}: its ${deleted.papers} papers wait for an edition again` +
                  (deleted.ledgerRows ? ` (${deleted.ledgerRows} unsent ledger rows dropped)` : ''),
              );
            }
            return 0;
          }
          const { status, view } = options.freeze
            ? freezeWeek(ctx, { week })
            : { status: null, view: viewEdition(ctx, { week }) };
          if (options.json) cli.io.out(JSON.stringify(editionJson(view), null, 2));
          else for (const line of editionLines(view, status)) cli.io.out(line);
          return 0;
        });
      }),
    );

  program
    .command('editions')
    .description('list the editions with their weeks, paper counts and delivery status')
    .option('--json', 'print an array of {id, from, to, createdAt, papers, sent, failed, pending}')
    .action(
      cli.action(async (options: { json?: boolean }) => {
        const { listEditions } = await import('../../app/editions.ts');
        return cli.withApp(async (ctx) => {
          const editions = listEditions(ctx);
          if (options.json) cli.io.out(JSON.stringify(editions.map(editionListing), null, 2));
          else for (const line of editionsLines(editions)) cli.io.out(line);
          return 0;
        });
      }),
    );
}
