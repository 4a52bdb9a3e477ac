// `paperwire schedule`: run the weekly job on SCHEDULE until SIGTERM/SIGINT.
import type { Command } from 'commander';
import { EXIT } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { nextStopSignal } from '../process.ts';

/** How long a stop may take before the process leaves anyway; under systemd's TimeoutStopSec=35. */
const STOP_DEADLINE_MS = 28_000;

/** Registers `paperwire schedule`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('schedule')
    .description('run the weekly job on SCHEDULE (cron, in SCHEDULE_TZ) until stopped')
    .addHelpText(
      'after',
      `
SCHEDULE is a cron expression: five fields (minute hour day-of-month month day-of-week) or
six with seconds first; default "0 8 * * 1" (Mondays 08:00) in SCHEDULE_TZ (default: the
system's zone). An invalid expression or zone stops it at start with exit code 2.

At start it finishes an edition a crash left half-delivered, and runs once if the last
scheduled time passed without a run (SCHEDULE_CATCH_UP=false turns that off). A tick
while a run is still going is skipped and logged. One scheduler runs per STATE_DIR; a
second one refuses to start. SIGTERM/SIGINT: the messages in flight finish and are
recorded, then it exits 0. Logs go to stderr (LOG_FORMAT=json for a service manager);
see scripts/paperwire.service for a systemd unit.`,
    )
    .action(
      cli.action(async () => {
        const { scheduleSpec } = await import('../../schedule/cron.ts');
        // A bad SCHEDULE is a configuration error before anything is opened.
        scheduleSpec(cli.config());
        const { startScheduler } = await import('../../app/scheduler.ts');
        return cli.withApp(async (ctx) => {
          const stop = nextStopSignal();
          const scheduler = await startScheduler(ctx);
          const signal = await stop;
          ctx.log.info(`${signal}: stopping (messages in flight finish first)`);
          // A last resort: a source fetch or SMTP server that hangs must not hold the service past its stop timeout.
          const deadline = setTimeout(() => {
            ctx.log.error(
              `not stopped after ${STOP_DEADLINE_MS / 1000} s: leaving now; pending messages are resumed at next start`,
            );
            process.exit(EXIT.OK);
          }, STOP_DEADLINE_MS);
          deadline.unref();
          await scheduler.stop();
          clearTimeout(deadline);
          return EXIT.OK;
        });
      }),
    );
}
