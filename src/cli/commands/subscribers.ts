// `paperwire subscribers [--json] [--export FILE.csv]`, `paperwire unsubscribe EMAIL`, `paperwire resubscribe EMAIL`:
// check the list, and keep unsubscribes in the store (never in the operator's file).
import type { Command } from 'commander';
import { EXIT } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { addressOption, displayPath } from '../options.ts';
import { reportLines } from '../present/subscribers.ts';

const AS_ON_THE_LIST = 'Give the address as it is on the list, e.g. paperwire unsubscribe ada@example.org';

/** Registers `paperwire subscribers`, `paperwire unsubscribe` and `paperwire resubscribe`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('subscribers')
    .description(
      'check the subscriber list (SUBSCRIBERS_FILE) and the web sign-ups: active, suppressed and invalid entries',
    )
    .option(
      '--json',
      'print one JSON object: counts and every subscriber with its status, source and confirmation',
    )
    .option(
      '--export <file>',
      'write every active subscriber to FILE as CSV (email,name,attributes) for listmonk',
    )
    .addHelpText(
      'after',
      `
The list is YAML (default subscribers.yaml), JSON, or CSV with the columns
email,name,attributes as listmonk exports it (a status column of blocklisted or
unsubscribed keeps that row from being mailed). Readers who signed up on the web
(paperwire serve) are listed with the date they confirmed; --export writes them
and the list's active subscribers in one file, to fold into your list.
Exit code 1 when an entry is invalid.`,
    )
    .action(
      cli.action(async (options: { json?: boolean; export?: string }) => {
        const { checkSubscribers, exportSubscribers } = await import('../../app/subscribers.ts');
        return cli.withApp(async (ctx) => {
          if (options.export !== undefined) {
            const written = exportSubscribers(ctx, options.export);
            cli.io.out(
              `wrote ${written.count} active subscriber${written.count === 1 ? '' : 's'} to ${displayPath(written.path, ctx.config.cwd)}`,
            );
            return EXIT.OK;
          }
          const report = checkSubscribers(ctx);
          if (options.json) cli.io.out(JSON.stringify(report, null, 2));
          else
            for (const line of reportLines(report, displayPath(report.file, ctx.config.cwd)))
              cli.io.out(line);
          return report.invalid > 0 ? EXIT.PROBLEMS : EXIT.OK;
        });
      }),
    );

  program
    .command('unsubscribe')
    .description('stop sending to EMAIL (kept in the store; the list file is not changed)')
    .argument('<email>', 'the address to suppress')
    .action(
      cli.action(async (raw: string) => {
        const email = addressOption(raw, '', AS_ON_THE_LIST);
        const { unsubscribeByCommand } = await import('../../app/subscribers.ts');
        return cli.withApp(async (ctx) => {
          const outcome = unsubscribeByCommand(ctx, email);
          if (outcome.status === 'already') {
            cli.io.out(
              `${email} was already unsubscribed (${outcome.existing?.via}, ${outcome.existing?.createdAt})`,
            );
            return EXIT.OK;
          }
          cli.io.out(`unsubscribed ${email}: no further editions go to this address`);
          if (!outcome.onList) cli.io.out(`  note: ${email} is not on the subscriber list`);
          return EXIT.OK;
        });
      }),
    );

  program
    .command('resubscribe')
    .description('send to EMAIL again after an unsubscribe or a bounce suppression')
    .argument('<email>', 'the address to lift the suppression of')
    .action(
      cli.action(async (raw: string) => {
        const email = addressOption(raw, '', AS_ON_THE_LIST);
        const { resubscribe } = await import('../../app/subscribers.ts');
        return cli.withApp(async (ctx) => {
          const outcome = resubscribe(ctx, email);
          if (outcome.status === 'none') {
            cli.io.out(`${email} was not unsubscribed; nothing to do`);
            return EXIT.OK;
          }
          cli.io.out(`resubscribed ${email} (was ${outcome.previous.via}: ${outcome.previous.reason})`);
          if (!outcome.onList) {
            cli.io.out(
              `  note: ${email} is not on the subscriber list, so it still gets nothing until added`,
            );
          }
          return EXIT.OK;
        });
      }),
    );
}
