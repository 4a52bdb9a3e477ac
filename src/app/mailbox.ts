// The mailbox use case: wires the mailbox stage to the IMAP folder of MAILBOX_URL,
// the store and the subscriber list. `paperwire mailbox` calls readMailbox; `run`
// and `schedule` call readMailboxBeforeDelivery, which turns any failure into a
// warning (an unreachable mailbox never stops a delivery); `schedule` also keeps a
// MailboxTimer reading it every MAILBOX_EVERY.
import { PaperwireError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { ImapTimeouts } from '../mailbox/imap.ts';
import type { DnsResolver, MailboxRecords, MailboxSummary } from '../mailbox/index.ts';
import type { Store } from '../store/index.ts';
import { addressKey } from '../subscribers/index.ts';
import { unsubscribeMailbox } from '../unsubscribe/index.ts';
import { readAudience } from './audience.ts';
import type { AppContext } from './context.ts';

/** Options of readMailbox. */
export interface ReadMailboxOptions {
  dryRun?: boolean;
  /** DNS for the DMARC check of mailto: unsubscribes; the system's by default (tests pass their own). */
  resolver?: DnsResolver;
  imapTimeouts?: ImapTimeouts;
}

/** The store behind the mailbox stage's MailboxRecords. */
function mailboxRecords(store: Store): MailboxRecords {
  return { ...store.mailbox, isSuppressed: (email) => store.suppressions.find(email) !== null };
}

/** Reads MAILBOX_URL once and acts on what is new (E_CONFIG without MAILBOX_URL, E_MAILBOX when unreachable). */
export async function readMailbox(
  ctx: AppContext,
  options: ReadMailboxOptions = {},
): Promise<MailboxSummary> {
  const { store, config, log } = ctx;
  if (!config.mailbox) {
    throw new PaperwireError('E_CONFIG', 'MAILBOX_URL is not set: there is no mailbox to read', {
      hint: 'Set MAILBOX_URL=imaps://user:password@imap.example.org:993/INBOX (the mailbox BOUNCE_ADDRESS and UNSUBSCRIBE_MAILTO deliver to).',
    });
  }
  // Web subscribers are subscribers too: their bounces and unsubscribes count.
  // Loaded here, not at start: IMAP, MIME and DMARC are many modules, and most runs have
  // no mailbox to read.
  const { dmarcChecker, openImapFolder, processMailbox } = await import('../mailbox/index.ts');
  const { members } = readAudience(store, config.subscribersFile);
  const listed = new Set(members.map((member) => addressKey(member.email)));
  const folder = await openImapFolder(config.mailbox, options.imapTimeouts);
  try {
    return await processMailbox({
      folder,
      records: mailboxRecords(store),
      isListed: (email) => listed.has(addressKey(email)),
      settings: {
        unsubscribeMailto: addressKey(unsubscribeMailbox(config)),
        bounce: { bounceAddress: config.bounceAddress, secret: config.unsubscribeSecret },
      },
      dmarc: dmarcChecker(options.resolver),
      dryRun: options.dryRun ?? false,
      log,
    });
  } finally {
    await folder.close();
  }
}

/**
 * Reads the mailbox before a delivery when MAILBOX_URL is set, so this week's bounces and
 * unsubscribes are honoured first. Never throws: a failure is logged as a warning.
 */
export async function readMailboxBeforeDelivery(
  ctx: AppContext,
  options: ReadMailboxOptions = {},
): Promise<MailboxSummary | null> {
  if (!ctx.config.mailbox) return null;
  try {
    const summary = await readMailbox(ctx, options);
    logSummary(ctx.log, summary);
    return summary;
  } catch (error) {
    ctx.log.warn(
      `could not read the mailbox (deliveries go ahead all the same): ${(error as Error).message}`,
      {
        hint: error instanceof PaperwireError ? error.hint : undefined,
      },
    );
    return null;
  }
}

function logSummary(log: Logger, summary: MailboxSummary): void {
  log.info('mailbox read', {
    folder: summary.folder,
    messages: summary.seen,
    new: summary.actions.length,
    bounces: summary.bounces.permanent + summary.bounces.transient,
    complaints: summary.complaints.total,
    unsubscribes: summary.unsubscribes.total,
    held: summary.unsubscribes.held,
    suppressed: summary.bounces.suppressed + summary.complaints.suppressed + summary.unsubscribes.suppressed,
    errors: summary.errors.length,
  });
}

/** A timer that reads the mailbox every MAILBOX_EVERY, one read at a time. */
export interface MailboxTimer {
  /** Stops the timer and waits for a read in progress. */
  stop(): Promise<void>;
}

/**
 * Reads the mailbox every `config.mailbox.everyMs` (nothing when MAILBOX_URL is unset). A
 * tick while `busy()` (a cycle, which reads it itself) or a read is going is skipped.
 */
export function startMailboxTimer(
  ctx: AppContext,
  options: ReadMailboxOptions & { busy?: () => boolean } = {},
): MailboxTimer {
  const every = ctx.config.mailbox?.everyMs;
  if (!every) return { stop: async () => {} };
  let current: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (current || options.busy?.()) return;
    current = readMailboxBeforeDelivery(ctx, options).finally(() => {
      current = null;
    });
  }, every);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
