// `paperwire status`: the schedule and next run, the last edition and its
// delivery, suppressions, the last run and error, and locks.
import type { Command } from 'commander';
import { EXIT } from '../../errors.ts';
import { clearLocks, collectStatus, formatStatus } from '../../schedule/status.ts';
import { openStore } from '../../store/index.ts';
import type { Cli } from '../cli.ts';

/** Registers `paperwire status`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('status')
    .description('show the schedule and next run, the last edition and its delivery, and the last error')
    .option('--json', 'print one JSON object')
    .option(
      '--clear-lock [name]',
      'remove a lock (cycle or send; default every lock) left by a process on another host',
    )
    .action(
      cli.action((options: { json?: boolean; clearLock?: string | boolean }) => {
        const config = cli.config();
        if (options.clearLock !== undefined) {
          const store = openStore(config.dbPath);
          try {
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
          } finally {
            store.close();
          }
        }
        const report = collectStatus(config);
        if (options.json) cli.io.out(JSON.stringify(report, null, 2));
        else for (const line of formatStatus(report, config.cwd)) cli.io.out(line);
        return report.schedule.error ? EXIT.USAGE : EXIT.OK;
      }),
    );
}
