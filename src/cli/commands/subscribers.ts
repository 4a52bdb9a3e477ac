// `paperwire subscribers [--json]`, `paperwire unsubscribe EMAIL`, `paperwire resubscribe EMAIL`:
// check the list, and keep unsubscribes in the store (never in the operator's file).
import type { Command } from 'commander';
import { EXIT, PaperwireError } from '../../errors.ts';
import { mailboxEvent } from '../../mailbox/status.ts';
import { openStore } from '../../store/index.ts';
import { listMailboxEvents } from '../../store/mailbox.ts';
import { findSuppression, listSuppressions, suppress, unsuppress } from '../../store/suppressions.ts';
import { addressKey, addressProblem, loadSubscribers, normalizeAddress } from '../../subscribers/index.ts';
import { reportLines, subscriberReport } from '../../subscribers/status.ts';
import type { Cli } from '../cli.ts';
import { displayPath } from './ingest.ts';

function addressArgument(raw: string): string {
  const email = normalizeAddress(raw);
  if (email === null) {
    throw new PaperwireError('E_USAGE', `${JSON.stringify(raw)} is ${addressProblem(raw)}`, {
      hint: 'Give the address as it is on the list, e.g. paperwire unsubscribe ada@example.org',
    });
  }
  return email;
}

/** True when `email` is on the configured list (false too when the list cannot be read). */
function isOnList(cli: Cli, email: string): boolean {
  try {
    const key = addressKey(email);
    return loadSubscribers(cli.config().subscribersFile).subscribers.some((s) => addressKey(s.email) === key);
  } catch {
    return false;
  }
}

/** Registers `paperwire subscribers`, `paperwire unsubscribe` and `paperwire resubscribe`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('subscribers')
    .description('check the subscriber list (SUBSCRIBERS_FILE): active, suppressed and invalid entries')
    .option('--json', 'print one JSON object: counts and every subscriber with its status')
    .addHelpText(
      'after',
      `
The list is YAML (default data/subscribers.yaml), JSON, or CSV with the columns
email,name,attributes as listmonk exports it. Exit code 1 when an entry is invalid.`,
    )
    .action(
      cli.action((options: { json?: boolean }) => {
        const config = cli.config();
        const list = loadSubscribers(config.subscribersFile);
        const store = openStore(config.dbPath);
        let report: ReturnType<typeof subscriberReport>;
        try {
          // Mailbox: the bounces, complaints and mailto: unsubscribes it recorded.
          const events = listMailboxEvents(store).flatMap((message) => mailboxEvent(message) ?? []);
          report = subscriberReport(list, listSuppressions(store), events);
        } finally {
          store.close();
        }
        if (options.json) cli.io.out(JSON.stringify(report, null, 2));
        else for (const line of reportLines(report, displayPath(list.file, config.cwd))) cli.io.out(line);
        return report.invalid > 0 ? EXIT.PROBLEMS : EXIT.OK;
      }),
    );

  program
    .command('unsubscribe')
    .description('stop sending to EMAIL (kept in the store; the list file is not changed)')
    .argument('<email>', 'the address to suppress')
    .action(
      cli.action((raw: string) => {
        const email = addressArgument(raw);
        const store = openStore(cli.config().dbPath);
        try {
          if (!suppress(store, email, 'command', 'paperwire unsubscribe')) {
            const existing = findSuppression(store, email);
            cli.io.out(`${email} was already unsubscribed (${existing?.via}, ${existing?.createdAt})`);
            return EXIT.OK;
          }
        } finally {
          store.close();
        }
        cli.io.out(`unsubscribed ${email}: no further editions go to this address`);
        if (!isOnList(cli, email)) cli.io.out(`  note: ${email} is not on the subscriber list`);
        return EXIT.OK;
      }),
    );

  program
    .command('resubscribe')
    .description('send to EMAIL again after an unsubscribe or a bounce suppression')
    .argument('<email>', 'the address to lift the suppression of')
    .action(
      cli.action((raw: string) => {
        const email = addressArgument(raw);
        const store = openStore(cli.config().dbPath);
        let previous: ReturnType<typeof findSuppression>;
        try {
          previous = findSuppression(store, email);
          unsuppress(store, email);
        } finally {
          store.close();
        }
        if (!previous) {
          cli.io.out(`${email} was not unsubscribed; nothing to do`);
          return EXIT.OK;
        }
        cli.io.out(`resubscribed ${email} (was ${previous.via}: ${previous.reason})`);
        if (!isOnList(cli, email)) {
          cli.io.out(`  note: ${email} is not on the subscriber list, so it still gets nothing until added`);
        }
        return EXIT.OK;
      }),
    );
}
