// `paperwire status`: the schedule and next run, the scheduler, the last edition and
// its delivery, suppressions, the last run and error, and locks.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT, PaperwireError } from '../../errors.ts';
import { CYCLE_LOCK, SCHEDULER_LOCK, SEND_LOCK } from '../../schedule/leases.ts';
import type { Cli } from '../cli.ts';
import { formatStatus } from '../present/status.ts';

const LOCK_NAMES: readonly string[] = [CYCLE_LOCK, SEND_LOCK, SCHEDULER_LOCK];

/** Registers `paperwire status`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('status')
    .description('show the schedule and next run, the last edition and its delivery, and the last error')
    .option('--json', 'print one JSON object')
    .option(
      '--clear-lock [name]',
      `remove a lock (${LOCK_NAMES.join(', ')}; default every lock) left by a process on another host`,
    )
    .action(
      cli.action(async (options: { json?: boolean; clearLock?: string | boolean }) => {
        // A misspelt name would otherwise find no lock and say "no lock to clear".
        if (typeof options.clearLock === 'string' && !LOCK_NAMES.includes(options.clearLock)) {
          throw new PaperwireError(
            'E_USAGE',
            `--clear-lock ${JSON.stringify(options.clearLock)} is no lock`,
            {
              hint: `Name one of ${LOCK_NAMES.join(', ')}, or give --clear-lock alone to clear every lock.`,
            },
          );
        }
        const config = cli.config();
        const { clearLocks, collectStatus } = await import('../../app/status.ts');
        const { journalPathOf } = await import('../../store/journal.ts');
        // Status never creates a database: with none yet, it says so (and a lost one is refused);
        // with none there is no lock either.
        const stored = existsSync(config.dbPath) || existsSync(journalPathOf(config.dbPath));
        if (!stored && options.clearLock !== undefined) cli.io.out('no lock to clear');
        const report = stored
          ? await cli.withApp(async ({ store, clock }) => {
              if (options.clearLock !== undefined) {
                const removed = clearLocks(
                  store,
                  typeof options.clearLock === 'string' ? options.clearLock : undefined,
                );
                cli.io.out(
                  removed.length === 0
                    ? 'no lock to clear'
                    : removed
                        .map((lock) => `cleared the ${lock.name} lock (pid ${lock.pid} on ${lock.host})`)
                        .join('\n'),
                );
              }
              return collectStatus(config, store, clock());
            })
          : collectStatus(config, null, cli.clock());
        if (options.json) cli.io.out(JSON.stringify(report, null, 2));
        else for (const line of formatStatus(report, config.cwd)) cli.io.out(line);
        return report.schedule.error ? EXIT.USAGE : EXIT.OK;
      }),
    );
}
