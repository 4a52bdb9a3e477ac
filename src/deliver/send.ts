// The send flow, used by `paperwire send` and the weekly `run`:
//
// 1. read the subscriber list (E_SUBSCRIBERS before anything else happens);
// 2. take the `send` lock, so two sends never run at once (E_LOCKED);
// 3. freeze this week's edition (or take the given/existing one; with nothing new,
//    resume the previous edition if it still has pending rows);
// 4. plan who gets it (ledger + suppressions), ask on a terminal above 50 recipients;
// 5. load and prepare the templates (all MJML work), open the transport;
// 6. deliverEdition: render per subscriber, lazily, and hand each message over once.
//
// `dryRun` and `to` (a test copy) write nothing to the store: they use the edition
// as it is or would be frozen now.
import { hostname } from 'node:os';
import type { Config } from '../config/index.ts';
import { freezeEdition, getEdition, isoWeekOf, previewEdition } from '../edition/index.ts';
import { PaperwireError } from '../errors.ts';
import { type Logger, silentLogger } from '../log.ts';
import {
  loadTemplates,
  type PreparedEdition,
  prepareEdition,
  renderEmail,
  renderOptionsFrom,
} from '../render/index.ts';
import { findEditionRow } from '../store/editions.ts';
import type { Store } from '../store/index.ts';
import { openLedger } from '../store/ledger.ts';
import { acquireLock, lockHolder, releaseLock } from '../store/locks.ts';
import { addressKey, addressProblem, loadSubscribers, normalizeAddress } from '../subscribers/index.ts';
import type { Edition, Subscriber } from '../types.ts';
import { deliverabilityWarnings } from '../unsubscribe/checks.ts';
import { bodyUnsubscribeUrl } from '../unsubscribe/index.ts';
import { composeMessage, senderAddress } from './headers.ts';
import { type DeliveryProgress, type DeliverySummary, deliverEdition, planDelivery } from './index.ts';
import { messageIdDomain, testMessageId } from './message-id.ts';
import { classifySendError } from './retry.ts';
import { createTransport, type SmtpTimeouts } from './transports/index.ts';

/** Above this many recipients a terminal user is asked to confirm. */
export const CONFIRM_ABOVE = 50;

/** The name of the lock a send holds. */
export const SEND_LOCK = 'send';

/** Options of sendEdition (the flags of `paperwire send`, plus hooks for the CLI and tests). */
export interface SendOptions {
  /** The edition's ISO week; this week by default. */
  week?: string;
  /** Render everything, send and write nothing. */
  dryRun?: boolean;
  /** Send one test copy to this address instead, without touching the ledger. */
  to?: string;
  /** Skip the confirmation question. */
  yes?: boolean;
  now?: Date;
  log?: Logger;
  /** Aborting stops the run cleanly (in-flight messages finish and are recorded). */
  signal?: AbortSignal;
  /** Asks the user; given only on a terminal. Resolves true to go ahead. */
  confirm?: (question: string) => Promise<boolean>;
  progress?: (progress: DeliveryProgress) => void;
  /** Tests: the wait before retry n. */
  retryDelayMs?: (retry: number) => number;
  /** Tests: shorter SMTP timeouts. */
  smtpTimeouts?: SmtpTimeouts;
  /** Messages in flight at once (default 2 × SMTP_MAX_CONNECTIONS). */
  concurrency?: number;
}

/** What sendEdition did. */
export type SendResult =
  | { kind: 'nothing'; editionId: string | null; reason: string }
  | {
      kind: 'dry-run';
      editionId: string;
      /** Whether the edition exists yet (false: it would be frozen by a real send). */
      frozen: boolean;
      recipients: number;
      skipped: number;
      notInAudience: number;
      largestHtmlBytes: number;
      largestHtmlFor: string | null;
      transport: string;
    }
  | { kind: 'test'; editionId: string; to: string; response: string }
  | { kind: 'declined'; editionId: string; recipients: number }
  | {
      kind: 'delivered';
      edition: { id: string; status: 'created' | 'existing' | 'resumed'; papers: number };
      summary: DeliverySummary;
      /** Other editions that still have pending rows (from runs that stopped early). */
      otherPending: { editionId: string; pending: number }[];
    };

/** What every step of one send shares. */
interface SendContext {
  store: Store;
  config: Config;
  subscribers: Subscriber[];
  options: SendOptions;
  now: Date;
  log: Logger;
}

/** Whether subscribers without a ledger row join: within (or before) the edition's week, or at its first send. */
function admitsNewcomers(store: Store, editionId: string, now: Date): boolean {
  if (isoWeekOf(now) <= editionId) return true;
  const counts = openLedger(store).counts(editionId);
  return counts.pending + counts.sent + counts.failed === 0;
}

/** The render function deliverEdition calls per subscriber. */
function renderer(prepared: PreparedEdition, config: Config, log: Logger) {
  return (subscriber: Subscriber) => {
    return renderEmail(prepared, subscriber, {
      unsubscribeUrl: bodyUnsubscribeUrl(config, subscriber.email, log),
    });
  };
}

async function prepare(edition: Edition, config: Config): Promise<PreparedEdition> {
  return prepareEdition(edition, loadTemplates(config.templatesDir), renderOptionsFrom(config));
}

/** Runs the send flow described at the top of this file. */
export async function sendEdition(
  store: Store,
  config: Config,
  options: SendOptions = {},
): Promise<SendResult> {
  const log = options.log ?? silentLogger;
  const now = options.now ?? new Date();
  const list = loadSubscribers(config.subscribersFile);
  for (const entry of list.invalid) {
    log.warn(
      `${config.subscribersFile} line ${entry.line}: skipped ${JSON.stringify(entry.value)}: ${entry.reason}`,
    );
  }
  // A send over SMTP without MAIL_FROM is refused before anything is frozen or written.
  if (!options.dryRun) senderAddress(config);
  const context: SendContext = { store, config, subscribers: list.subscribers, options, now, log };
  if (options.to !== undefined) return sendTestCopy(context, options.to);
  if (options.dryRun) return dryRun(context);

  // The weekly run may already hold the lock for this process: then it is its to release.
  const holder = lockHolder(store, SEND_LOCK);
  const heldAlready = holder?.pid === process.pid && holder.host === hostname();
  acquireLock(store, SEND_LOCK, 'a delivery (paperwire send, run or schedule)');
  try {
    const frozen = freezeEdition(store, { week: options.week, now });
    if (frozen.status !== 'nothing-new') {
      return await deliverFrozen(context, frozen.edition, frozen.status);
    }
    // Nothing new this week: finish the previous edition if a run of it stopped early.
    const previous = frozen.previousId ? getEdition(store, frozen.previousId) : null;
    if (previous && openLedger(store).counts(previous.id).pending > 0) {
      return await deliverFrozen(context, previous, 'resumed');
    }
    return {
      kind: 'nothing',
      editionId: previous?.id ?? null,
      reason: previous
        ? `no new papers since edition ${previous.id}, which is delivered`
        : 'no papers in the store yet (run paperwire ingest first)',
    };
  } finally {
    if (!heldAlready) releaseLock(store, SEND_LOCK);
  }
}

async function deliverFrozen(
  context: SendContext,
  edition: Edition,
  status: 'created' | 'existing' | 'resumed',
): Promise<SendResult> {
  const { store, config, subscribers, options, now, log } = context;
  const plan = planDelivery(store, config, edition.id, subscribers, admitsNewcomers(store, edition.id, now));
  const otherPending = openLedger(store)
    .pendingEditions()
    .filter((entry) => entry.editionId !== edition.id);
  if (plan.queue.length === 0) {
    if (plan.orphaned.length > 0) openLedger(store).closeOrphans(edition.id, plan.orphaned);
    return {
      kind: 'nothing',
      editionId: edition.id,
      reason:
        `edition ${edition.id} is already delivered: ${plan.alreadySent} sent, ${plan.suppressed} suppressed` +
        (plan.previouslyFailed ? `, ${plan.previouslyFailed} failed permanently` : '') +
        (plan.notInAudience
          ? `, ${plan.notInAudience} joined after its week (they get the next edition)`
          : ''),
    };
  }
  // Template errors surface before anyone is asked or anything is sent.
  const prepared = await prepare(edition, config);
  if (plan.queue.length > CONFIRM_ABOVE && !options.yes && options.confirm) {
    const go = await options.confirm(
      `Send edition ${edition.id} to ${plan.queue.length} subscribers? [y/N] `,
    );
    if (!go) return { kind: 'declined', editionId: edition.id, recipients: plan.queue.length };
  }
  for (const warning of deliverabilityWarnings(config)) log.warn(warning);
  const transport = await createTransport(config, { smtpTimeouts: options.smtpTimeouts });
  log.info(`sending edition ${edition.id} to ${plan.queue.length} subscribers`, { via: transport.name });
  try {
    const summary = await deliverEdition({
      store,
      config,
      editionId: edition.id,
      subscribers,
      admitNewcomers: true, // already decided in the plan
      plan,
      render: renderer(prepared, config, log),
      transport,
      signal: options.signal,
      onProgress: options.progress,
      retryDelayMs: options.retryDelayMs,
      concurrency: options.concurrency,
      log,
    });
    return {
      kind: 'delivered',
      edition: { id: edition.id, status, papers: edition.papers.length },
      summary,
      otherPending,
    };
  } finally {
    await transport.close();
  }
}

/** The edition a dry run or test copy shows: the stored one, or what freezing would make now. */
function editionToShow(store: Store, options: SendOptions, now: Date): Edition | null {
  return previewEdition(store, { week: options.week, now });
}

/** The answer of a dry run or test copy when there is no edition to show. */
const NO_EDITION_YET: SendResult = {
  kind: 'nothing',
  editionId: null,
  reason: 'no new papers for an edition (run paperwire ingest first)',
};

async function dryRun(context: SendContext): Promise<SendResult> {
  const { store, config, subscribers, options, now } = context;
  const edition = editionToShow(store, options, now);
  if (!edition) return NO_EDITION_YET;
  const isStored = findEditionRow(store, edition.id) !== null;
  const plan = planDelivery(store, config, edition.id, subscribers, admitsNewcomers(store, edition.id, now));
  const prepared = await prepare(edition, config);
  const render = renderer(prepared, config, context.log);
  let largestHtmlBytes = 0;
  let largestHtmlFor: string | null = null;
  for (const item of plan.queue) {
    const rendered = await render(item.subscriber);
    const bytes = Buffer.byteLength(rendered.html);
    if (bytes > largestHtmlBytes) {
      largestHtmlBytes = bytes;
      largestHtmlFor = item.subscriber.email;
    }
  }
  return {
    kind: 'dry-run',
    editionId: edition.id,
    frozen: isStored,
    recipients: plan.queue.length,
    skipped: plan.suppressed + plan.alreadySent + plan.previouslyFailed,
    notInAudience: plan.notInAudience,
    largestHtmlBytes,
    largestHtmlFor,
    transport: config.smtpUrl ? 'smtp' : `outbox ${config.outboxDir}`,
  };
}

async function sendTestCopy(context: SendContext, rawAddress: string): Promise<SendResult> {
  const { store, config, subscribers, options, now } = context;
  const email = normalizeAddress(rawAddress);
  if (email === null) {
    throw new PaperwireError('E_USAGE', `--to ${JSON.stringify(rawAddress)}: ${addressProblem(rawAddress)}`, {
      hint: 'Give the address the test copy should go to, e.g. --to you@example.org',
    });
  }
  const edition = editionToShow(store, options, now);
  if (!edition) return NO_EDITION_YET;
  // On the list: their own name and topics; otherwise a plain copy.
  const subscriber = subscribers.find((s) => addressKey(s.email) === addressKey(email)) ?? {
    email,
    name: null,
    topics: [],
  };
  const prepared = await prepare(edition, config);
  const rendered = await renderer(prepared, config, context.log)(subscriber);
  const transport = await createTransport(config, { smtpTimeouts: options.smtpTimeouts });
  try {
    const message = composeMessage(config, {
      editionId: `${edition.id}-test`,
      subscriber,
      rendered,
      messageId: testMessageId(edition.id, messageIdDomain(config.mailFrom)),
      subjectPrefix: '[test] ',
      date: now,
    });
    const result = await transport.send(message);
    return { kind: 'test', editionId: edition.id, to: email, response: result.response };
  } catch (error) {
    if (error instanceof PaperwireError) throw error;
    const outcome = classifySendError(error);
    const reason = outcome.kind === 'permanent' ? outcome.failure.reason : outcome.reason;
    throw new PaperwireError('E_SEND', `the test copy to ${email} was not accepted: ${reason}`, {
      hint: outcome.kind === 'fatal' ? outcome.hint : 'Check SMTP_URL and the address, then try again.',
      cause: error,
    });
  } finally {
    await transport.close();
  }
}

/** Exit code of a send: 0 when every subscriber is sent or skipped (or nothing was due), 1 otherwise. */
export function sendExitCode(result: SendResult): number {
  if (result.kind === 'declined') return 1;
  if (result.kind !== 'delivered') return 0;
  const { summary } = result;
  return summary.failed > 0 || summary.leftToRetry > 0 || summary.stopped || summary.halted ? 1 : 0;
}

/** The result as the lines `paperwire send` (and `run`) print. */
export function sendResultLines(result: SendResult): string[] {
  switch (result.kind) {
    case 'nothing':
      return [`nothing to send: ${result.reason}`];
    case 'declined':
      return [`not sent: edition ${result.editionId} to ${result.recipients} subscribers was not confirmed`];
    case 'test':
      return [`test copy of edition ${result.editionId} sent to ${result.to}: ${result.response}`];
    case 'dry-run':
      return [
        `dry run: edition ${result.editionId}${result.frozen ? '' : ' (not frozen yet)'} would go to ${result.recipients} subscribers via ${result.transport}; skipped ${result.skipped} (suppressed or already sent)` +
          (result.notInAudience ? `; ${result.notInAudience} joined after its week` : ''),
        result.largestHtmlFor
          ? `largest HTML: ${(result.largestHtmlBytes / 1024).toFixed(1)} KB (${result.largestHtmlFor}); nothing was sent or written`
          : 'nothing was sent or written',
      ];
    case 'delivered': {
      const { summary } = result;
      const lines = [
        `edition ${result.edition.id}: sent ${summary.sent}, skipped ${summary.skipped} (suppressed or already sent), failed ${summary.failed}, left to retry ${summary.leftToRetry}`,
      ];
      if (summary.bounceSuppressed.length) {
        lines.push(
          `suppressed after "no such mailbox" in two editions in a row: ${summary.bounceSuppressed.join(', ')}`,
        );
      }
      if (summary.notInAudience) {
        lines.push(
          `${summary.notInAudience} subscribers joined after week ${result.edition.id}: they get the next edition`,
        );
      }
      if (summary.stopped) lines.push(`stopped: ${summary.leftToRetry} left, run send again to resume`);
      else if (summary.halted) {
        lines.push(`stopped early: ${summary.halted.reason}`, `  hint: ${summary.halted.hint}`);
      } else if (summary.leftToRetry)
        lines.push(`${summary.leftToRetry} left to retry: run send again later`);
      for (const other of result.otherPending) {
        lines.push(
          `edition ${other.editionId} still has ${other.pending} left to retry: paperwire send --week ${other.editionId}`,
        );
      }
      return lines;
    }
  }
}
