// `paperwire run` (`npm start` runs it with --demo): one whole cycle — ingest every
// source for the edition's week, freeze that edition, deliver it — then where the
// results are and what waits.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { displayPath, weekOption } from '../options.ts';
import { cycleLines } from '../present/run.ts';
import { stopOnSignals } from '../process.ts';

function seconds(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 86_400) {
    throw new PaperwireError('E_USAGE', `--wait ${JSON.stringify(raw)} is not a number of seconds`, {
      hint: 'Give the longest wait for a running send or scheduled run, e.g. --wait 600 (0 refuses at once).',
    });
  }
  return value;
}

/** Registers `paperwire run`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('run')
    .description(
      "the weekly job once: fetch the edition's week from every source, freeze that edition, deliver it",
    )
    .option(
      '--week <week>',
      'the edition to make and send, e.g. 2026-W48 (default: the week due now, the last complete one unless EDITION_WEEK says otherwise)',
    )
    .option(
      '--wait <seconds>',
      'when a send or the scheduled run is going, wait up to this long for it (default: refuse at once)',
    )
    .addHelpText(
      'after',
      `
The edition covers one ISO week: by default the last complete one (Monday to Sunday in
SCHEDULE_TZ; EDITION_WEEK=current for the week in progress). Sources are every file in INBOX_DIR,
then SOURCES (default hf); hf and arxiv:QUERY fetch that week now, so the ranking uses the
upvotes at its end. One failed source is reported and the others go on. Without SMTP_URL
messages go to STATE_DIR/outbox/<edition>/. A second run that week sends nothing and says so;
papers of a later week wait for its edition. Exit code 0 when every
subscriber is sent or skipped, 1 when any failed or is left to retry, when the run was
stopped, when another run holds the lock (E_LOCKED), or when every source failed and
nothing was new (no edition is made then).`,
    )
    .action(
      cli.action(async (options: { wait?: string; week?: string }) => {
        const week = weekOption(options.week);
        const lockWaitMs = options.wait === undefined ? 0 : seconds(options.wait) * 1000;
        const { runCycle } = await import('../../app/cycle.ts');
        return cli.withApp(async (ctx) => {
          const controller = new AbortController();
          const uninstall = stopOnSignals(controller, cli.io.err);
          try {
            const summary = await runCycle(ctx, {
              signal: controller.signal,
              kind: 'run',
              lockWaitMs,
              preview: true,
              week,
            });
            for (const line of cycleLines(summary, (path) => displayPath(path, ctx.config.cwd)))
              cli.io.out(line);
            return summary.exitCode;
          } finally {
            uninstall();
          }
        });
      }),
    );
}
