// `paperwire send [--week W] [--dry-run] [--to EMAIL] [--yes]`: deliver this week's
// edition to every subscriber not yet delivered. SIGINT/SIGTERM stop it cleanly.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { createProgressReporter } from '../../deliver/progress.ts';
import { sendEdition, sendExitCode, sendResultLines } from '../../deliver/send.ts';
import { openStore } from '../../store/index.ts';
import type { Cli } from '../cli.ts';

async function askOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

/**
 * Turns the first SIGINT/SIGTERM into an abort (in-flight messages finish and are
 * recorded); a second one ends the process the default way. Returns the uninstaller.
 */
export function stopOnSignals(controller: AbortController, say: (line: string) => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      uninstall();
      process.kill(process.pid, signal);
      return;
    }
    say(`${signal}: finishing the messages in flight, then stopping (send ${signal} again to quit at once)`);
    controller.abort();
  };
  const uninstall = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return uninstall;
}

/** Registers `paperwire send`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('send')
    .description("deliver this week's edition (frozen now if new) to every subscriber not yet delivered")
    .option('--week <week>', 'the edition to send, e.g. 2026-W48 (default: this week)')
    .option('--dry-run', 'render every message and report; send and write nothing')
    .option(
      '--to <email>',
      'send one test copy to EMAIL (subject prefixed [test]); the ledger is not touched',
    )
    .option('-y, --yes', `don't ask for confirmation on a terminal`)
    .addHelpText(
      'after',
      `
Without SMTP_URL, messages are written to STATE_DIR/outbox/<edition>/ as .eml files.
A send that is stopped or killed resumes where it stopped: run it again. Exit code 0
when every subscriber is sent or skipped, 1 when any failed or is left to retry.`,
    )
    .action(
      cli.action(async (options: { week?: string; dryRun?: boolean; to?: string; yes?: boolean }) => {
        const config = cli.config();
        const store = openStore(config.dbPath);
        const controller = new AbortController();
        const uninstall = stopOnSignals(controller, cli.io.err);
        const reporter = createProgressReporter({
          isTTY: cli.io.isTTY,
          write: (text) => process.stdout.write(text),
          writeLine: cli.io.out,
        });
        try {
          const result = await sendEdition(store, config, {
            week: options.week,
            dryRun: options.dryRun,
            to: options.to,
            yes: options.yes,
            log: cli.log(),
            signal: controller.signal,
            confirm: cli.io.isTTY && process.stdin.isTTY ? askOnTerminal : undefined,
            progress: reporter.update,
          });
          reporter.done();
          for (const line of sendResultLines(result)) cli.io.out(line);
          return sendExitCode(result);
        } finally {
          uninstall();
          store.close();
        }
      }),
    );
}
