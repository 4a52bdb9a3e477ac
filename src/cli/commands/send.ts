// `paperwire send [--week W] [--dry-run] [--to EMAIL] [--retry-failed] [--yes]`: deliver
// the edition due now to every subscriber not yet delivered. SIGINT/SIGTERM stop it cleanly.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { addressOption, displayPath, weekOption } from '../options.ts';
import { createProgressReporter } from '../present/progress.ts';
import { sendResultLines } from '../present/send.ts';
import { stopOnSignals } from '../process.ts';

/** The flags of `paperwire send`, as commander hands them over. */
interface SendFlags {
  week?: string;
  dryRun?: boolean;
  to?: string;
  retryFailed?: boolean;
  yes?: boolean;
  dropRemoved?: boolean;
}

/** Registers `paperwire send`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('send')
    .description('deliver the edition due now (frozen now if new) to every subscriber not yet delivered')
    .option(
      '--week <week>',
      'the edition to send, e.g. 2026-W48 (default: the week due now, the last complete one unless EDITION_WEEK says otherwise)',
    )
    .option('--dry-run', 'render every message and report; send and write nothing')
    .option(
      '--to <email>',
      'send one test copy to EMAIL (subject prefixed [test]); the ledger is not touched',
    )
    .option(
      '--retry-failed',
      "put the edition's permanently failed rows back to pending and send them now (the latest edition, or --week W)",
    )
    .option('-y, --yes', `don't ask for confirmation on a terminal`)
    .option('--drop-removed', 'close the pending rows of addresses gone from the list, however many')
    .addHelpText(
      'after',
      `
Without SMTP_URL, messages are written to STATE_DIR/outbox/<edition>/ as .eml files.
A send that is stopped or killed resumes where it stopped: run it again. Exit code 0
when every subscriber is sent or skipped, 1 when any failed or is left to retry.
Pending rows of addresses no longer on the list are closed, at most 3 by a run: more
stay pending (a list cut short?) until the list is whole again or --drop-removed.
A failure that was yours (a wrong setting, a relay that refused everyone) is undone
with --retry-failed: it says how many rows it put back, then sends them.`,
    )
    .action(
      cli.action(async (options: SendFlags) => {
        const week = weekOption(options.week);
        if (options.retryFailed && (options.dryRun || options.to !== undefined)) {
          throw new PaperwireError(
            'E_USAGE',
            `--retry-failed sends, so it does not go with ${options.dryRun ? '--dry-run' : '--to'}`,
            {
              hint: 'Leave out --retry-failed to look first (a dry run counts failed rows as skipped), or run send --retry-failed on its own.',
            },
          );
        }
        const to =
          options.to === undefined
            ? undefined
            : addressOption(
                options.to,
                '--to ',
                'Give the address the test copy should go to, e.g. --to you@example.org',
              );
        const { dryRunSend, sendEdition, sendExitCode, sendTestCopy } = await import('../../app/send.ts');
        return cli.withApp(async (ctx) => {
          const display = (path: string) => displayPath(path, ctx.config.cwd);
          if (to !== undefined) {
            const result = await sendTestCopy(ctx, { week, to });
            for (const line of sendResultLines(result, display)) cli.io.out(line);
            return sendExitCode(result);
          }
          if (options.dryRun) {
            const result = await dryRunSend(ctx, { week });
            for (const line of sendResultLines(result, display)) cli.io.out(line);
            return sendExitCode(result);
          }
          const controller = new AbortController();
          const uninstall = stopOnSignals(controller, cli.io.err);
          const reporter = createProgressReporter({
            isTTY: cli.io.isTTY,
            write: cli.io.write,
            writeLine: cli.io.out,
          });
          try {
            const result = await sendEdition(ctx, {
              week,
              yes: options.yes,
              dropRemoved: options.dropRemoved,
              retryFailed: options.retryFailed,
              signal: controller.signal,
              confirm: cli.io.ask,
              progress: reporter.update,
            });
            reporter.done();
            for (const line of sendResultLines(result, display)) cli.io.out(line);
            return sendExitCode(result);
          } finally {
            uninstall();
          }
        });
      }),
    );
}
