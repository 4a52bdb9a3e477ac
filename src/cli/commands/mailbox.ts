// `paperwire mailbox [--dry-run]`: read MAILBOX_URL once and act on the delivery
// reports, complaints and mailto: unsubscribes that came back.
import type { Command } from 'commander';
import { EXIT } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { mailboxLines } from '../present/mailbox.ts';

/** Registers `paperwire mailbox`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('mailbox')
    .description(
      'read MAILBOX_URL: act on bounces, complaints and mailto: unsubscribes, move them to MAILBOX_DONE_FOLDER',
    )
    .option('--dry-run', 'print what would be done; record, suppress and move nothing')
    .addHelpText(
      'after',
      `
A permanent failure (5.x.x) counts toward the bounce rule (5.1.1 "no such user" suppresses at
once, any other when the edition before or after failed for good too); a transient one (4.x.x)
is recorded only. A complaint (ARF) suppresses at once. A mailto: unsubscribe from someone on
the list suppresses them, unless DMARC says the From address is forged: then it is held, left
in the folder and listed. Anything else is left alone. Every message is acted on once (its
Message-ID is recorded) and moved to MAILBOX_DONE_FOLDER, never deleted. Exit code 1 when a
message could not be read or moved (it is tried again next time).`,
    )
    .action(
      cli.action(async (options: { dryRun?: boolean }) => {
        const { readMailbox } = await import('../../app/mailbox.ts');
        return cli.withApp(async (ctx) => {
          const summary = await readMailbox(ctx, { dryRun: options.dryRun });
          for (const line of mailboxLines(summary)) cli.io.out(line);
          return summary.errors.length > 0 ? EXIT.PROBLEMS : EXIT.OK;
        });
      }),
    );
}
