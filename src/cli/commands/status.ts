// `paperwire status`: the schedule and next run, the scheduler, the last edition and
// its delivery, suppressions, the last run and error, and locks.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { formatStatus } from '../present/status.ts';

/** Registers `paperwire status`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('status')
    .description('show the schedule and next run, the last edition and its delivery, and the last error')
    .option('--json', 'print one JSON object')
    .option(
      '--clear-lock [name]',
      'remove a lock (cycle, send or scheduler; default every lock) left by a process on another host',
    )
    .action(
      cli.action(async (options: { json?: boolean; clearLock?: string | boolean }) => {
        const config = cli.config();
        const { clearLocks, collectStatus } = await import('../../app/status.ts');
        const { journalPathOf } = await import('../../store/journal.ts');
        // Status never creates a database: with none yet, it says so (and a lost one is refused).
        const report =
          existsSync(config.dbPath) ||
          existsSync(journalPathOf(config.dbPath)) ||
          options.clearLock !== undefined
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
