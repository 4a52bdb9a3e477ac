// The send use cases: deliver the target edition (`paperwire send`, the weekly run),
// a dry run, and a test copy. The order of a real send:
//
// 1. read the subscriber list and check the sender (E_SUBSCRIBERS, E_CONFIG) — nothing
//    is written before these pass;
// 2. hold the `send` lease (taken here, or passed in by the weekly run), so two
//    deliveries never run at once (E_LOCKED);
// 3. resolve the target edition (target.ts) and plan who gets it — still writing nothing;
// 4. prepare the templates (every MJML error surfaces here) and, on a terminal above
//    50 recipients, ask;
// 5. only now freeze the edition if it is new, open the transport and deliver;
// 6. when anyone was sent the edition, update the web archive (app/archive.ts), so the
//    emails' "View in your browser" links find their page.
//
// The dry run and the test copy follow steps 1, 3 and 4 and write nothing to the store.

import { isDeepStrictEqual } from 'node:util';
import { cleanUpAfter, NO_ERROR } from '../cleanup.ts';
import { composeMessage, messageSettings } from '../deliver/headers.ts';
import {
  closeOrphans,
  type DeliveryProgress,
  type DeliverySummary,
  deliverEdition,
  type OrphanOutcome,
  planDelivery,
} from '../deliver/index.ts';
import { messageIdDomain, testMessageId } from '../deliver/message-id.ts';
import { classifySendError } from '../deliver/retry.ts';
import { checkSender, createTransport, type SmtpTimeouts } from '../deliver/transports/index.ts';
import { envelopeSenderSetting } from '../deliver/verp.ts';
import { freezeEdition } from '../edition/index.ts';
import { PaperwireError, problemOf } from '../errors.ts';
import { addressKey } from '../identity.ts';
import { acquireLease, type Lease, SEND_LOCK } from '../schedule/leases.ts';
import { runErrorOf } from '../schedule/runs.ts';
import type { Subscriber } from '../types.ts';
import { deliverabilityWarnings } from '../unsubscribe/checks.ts';
import { type ArchiveResult, refreshArchive } from './archive.ts';
import { admitsNewcomers, loadAudience } from './audience.ts';
import type { AppContext } from './context.ts';
import { prepareForSend, renderFor } from './render.ts';
import { dueWeek, resolveStoredTarget, resolveTarget, type Target, weekSettings } from './target.ts';

/** Above this many recipients a terminal user is asked to confirm. */
export const CONFIRM_ABOVE = 50;

/** What a send is asked to do (the flags of `paperwire send`, plus hooks for the CLI and tests). */
export interface SendInput {
  /** The edition's ISO week, already checked; the target rule decides when omitted. */
  week?: string;
  /** Skip the confirmation question. */
  yes?: boolean;
  /** Close the pending rows of addresses gone from the list, however many (`--drop-removed`). */
  dropRemoved?: boolean;
  /** Aborting stops the run cleanly (in-flight messages finish and are recorded). */
  signal?: AbortSignal;
  /** Asks the user; given only on a terminal. Resolves true to go ahead. */
  confirm?: (question: string) => Promise<boolean>;
  progress?: (progress: DeliveryProgress) => void;
  /** The send lease, when the caller (the weekly run) holds it already. */
  lease?: Lease;
  /** Tests: the wait before retry n. */
  retryDelayMs?: (retry: number) => number;
  /** Tests: shorter SMTP timeouts. */
  smtpTimeouts?: SmtpTimeouts;
  /** Messages in flight at once (default 2 × SMTP_MAX_CONNECTIONS). */
  concurrency?: number;
  /**
   * `send --retry-failed`: put the edition's permanently failed rows (of addresses still on
   * the list and not suppressed) back to pending, then send them with any other pending
   * rows in this same run. The edition is `week`'s or the latest stored one.
   */
  retryFailed?: boolean;
}

/** Nothing was due: no edition, or an edition already delivered to everyone in its audience. */
export interface NothingToSend {
  kind: 'nothing';
  editionId: string | null;
  reason: string;
  hint?: string;
  /** Pending rows of addresses suppressed since or gone from the list, closed or kept (a finished resume). */
  orphans?: OrphanOutcome;
}

/** What a dry run found. */
export interface DryRunResult {
  kind: 'dry-run';
  editionId: string;
  /** Whether the edition exists yet (false: a real send would freeze it). */
  frozen: boolean;
  recipients: number;
  skipped: number;
  notInAudience: number;
  largestHtmlBytes: number;
  largestHtmlFor: string | null;
  transport: string;
}

/** What a test copy did. */
export interface TestCopyResult {
  kind: 'test';
  editionId: string;
  to: string;
  response: string;
}

/** What a real send did. */
export type SendResult =
  | NothingToSend
  | { kind: 'declined'; editionId: string; recipients: number }
  | {
      kind: 'delivered';
      edition: { id: string; status: 'created' | 'existing' | 'resumed'; papers: number };
      summary: DeliverySummary;
      /** Failed rows put back to pending by --retry-failed (0 without it). */
      requeued: number;
      /** Other editions that still have pending rows (from runs that stopped early). */
      otherPending: { editionId: string; pending: number }[];
      /** The web archive as updated after the send (null: nothing sent, or it could not be written). */
      archive: ArchiveResult | null;
    };

function nothingOf(target: Extract<Target, { kind: 'nothing' }>): NothingToSend {
  return { kind: 'nothing', editionId: target.latestId, reason: target.reason, hint: target.hint };
}

/** Delivers the target edition to everyone in its audience not yet delivered; see the steps above. */
export async function sendEdition(ctx: AppContext, input: SendInput = {}): Promise<SendResult> {
  const { store, config, log } = ctx;
  const subscribers = loadAudience(store, config.subscribersFile, log);
  const message = messageSettings(config, log);
  // A bad DKIM key found only when the transport opens would come after the freeze.
  const dkim = await checkSender(config);
  const lease =
    input.lease ?? acquireLease(store.leases, SEND_LOCK, 'a delivery (paperwire send, run or schedule)');
  let pending: unknown = NO_ERROR;
  try {
    const now = ctx.clock();
    const settings = weekSettings(config);
    const target = input.retryFailed
      ? resolveStoredTarget(store, input.week)
      : resolveTarget(store, { week: input.week, now, settings });
    if (target.kind === 'nothing') return nothingOf(target);
    let { edition } = target;
    const domain = messageIdDomain(config.mailFrom);
    const due = dueWeek(now, settings);
    const planNow = () =>
      planDelivery(store, edition.id, subscribers, admitsNewcomers(store, edition.id, due), domain);
    let plan = planNow();
    const retry = input.retryFailed ? plan.failedAddresses : [];
    const recipients = plan.queue.length + retry.length;
    if (recipients === 0) {
      const orphans =
        plan.orphaned.length > 0 && target.why !== 'would-create'
          ? closeOrphans(store.ledger, plan, input.dropRemoved ?? false, log)
          : undefined;
      return { kind: 'nothing', editionId: edition.id, reason: alreadyDelivered(edition.id, plan), orphans };
    }
    // Template errors surface before anyone is asked or anything is written.
    let prepared = await prepareForSend(edition, config, log);
    if (recipients > CONFIRM_ABOVE && !input.yes && input.confirm) {
      const go = await input.confirm(`Send edition ${edition.id} to ${recipients} subscribers? [y/N] `);
      if (!go) return { kind: 'declined', editionId: edition.id, recipients };
    }
    const requeued = store.ledger.requeueFailed(edition.id, retry);
    if (requeued > 0) {
      log.info(`put ${requeued} failed rows of edition ${edition.id} back to pending`);
      plan = planNow();
    }
    let status: 'created' | 'existing' | 'resumed' = target.why === 'resumed' ? 'resumed' : 'existing';
    if (target.why === 'would-create') {
      const frozen = freezeEdition(store, edition.id, now);
      if (frozen.status === 'nothing-new') {
        return {
          kind: 'nothing',
          editionId: frozen.previousId,
          reason: 'the papers were taken by another edition meanwhile',
        };
      }
      status = frozen.status;
      // Papers ingested or refreshed between the plan and the freeze (an ingest while the question
      // was open) are in the frozen snapshot: render what was frozen.
      if (!isDeepStrictEqual(frozen.edition.papers, edition.papers)) {
        prepared = await prepareForSend(frozen.edition, config, log);
      }
      edition = frozen.edition;
    }
    const otherPending = store.ledger.pendingEditions().filter((entry) => entry.editionId !== edition.id);
    for (const warning of deliverabilityWarnings(config)) log.warn(warning);
    const transport = await createTransport(config, { smtpTimeouts: input.smtpTimeouts, log, dkim });
    log.info(`sending edition ${edition.id} to ${plan.queue.length} subscribers`, { via: transport.name });
    // A send by hand is a run of its own, so `status` shows how it ended (why it stopped
    // early, as its last error); the weekly job, which passes its lease in, records its own.
    let runId: number | null = null;
    if (!input.lease) {
      store.runs.abandonUnfinished();
      runId = store.runs.start('send');
    }
    const started = performance.now();
    try {
      const summary = await deliverEdition({
        ledger: store.ledger,
        suppressions: store.suppressions,
        message,
        maxAttempts: config.sendMaxAttempts,
        plan,
        dropRemoved: input.dropRemoved,
        render: renderFor(prepared, config, log),
        transport,
        concurrency: input.concurrency ?? 2 * config.smtpMaxConnections,
        signal: input.signal,
        onProgress: input.progress,
        retryDelayMs: input.retryDelayMs,
        log,
        clock: ctx.clock,
      });
      if (runId !== null) {
        const { sent, skipped, failed, leftToRetry: pending } = summary;
        const durationMs = Math.round(performance.now() - started);
        store.runs.finish(runId, {
          status: summary.stopped ? 'stopped' : failed || pending ? 'problems' : 'ok',
          editionId: edition.id,
          summary: { sent, skipped, failed, pending, durationMs },
          ...(summary.halted ? runErrorOf(summary.halted) : {}),
        });
      }
      return {
        kind: 'delivered',
        edition: { id: edition.id, status, papers: edition.papers.length },
        summary,
        requeued,
        otherPending,
        archive: summary.sent > 0 ? refreshArchive(ctx) : null,
      };
    } catch (error) {
      if (runId !== null) {
        const id = runId;
        cleanUpAfter(
          error,
          () => store.runs.finish(id, { status: 'failed', ...runErrorOf(problemOf(error)) }),
          (hidden) => log.warn(`could not record the end of the send: ${hidden.message}`),
        );
      }
      throw error;
    } finally {
      await transport.close();
    }
  } catch (error) {
    pending = error;
    throw error;
  } finally {
    if (!input.lease)
      cleanUpAfter(
        pending,
        () => lease.release(),
        (error) => log.warn(`could not release the send lease: ${error.message}`),
      );
  }
}

function alreadyDelivered(editionId: string, plan: ReturnType<typeof planDelivery>): string {
  return (
    `edition ${editionId} is already delivered: ${plan.alreadySent} sent, ${plan.suppressed} suppressed` +
    (plan.previouslyFailed ? `, ${plan.previouslyFailed} failed permanently` : '') +
    (plan.notInAudience ? `, ${plan.notInAudience} joined after its week (they get the next edition)` : '')
  );
}

/** Renders every message the target edition would send now, and reports; sends and writes nothing. */
export async function dryRunSend(
  ctx: AppContext,
  input: { week?: string } = {},
): Promise<DryRunResult | NothingToSend> {
  const { store, config, log } = ctx;
  const subscribers = loadAudience(store, config.subscribersFile, log);
  // The sender the real send would refuse (no MAIL_FROM, an unusable DKIM key) fails the dry run too.
  await checkSender(config);
  const now = ctx.clock();
  const settings = weekSettings(config);
  const target = resolveTarget(store, { week: input.week, now, settings });
  if (target.kind === 'nothing') return nothingOf(target);
  const { edition } = target;
  const domain = messageIdDomain(config.mailFrom);
  const due = dueWeek(now, settings);
  const plan = planDelivery(store, edition.id, subscribers, admitsNewcomers(store, edition.id, due), domain);
  const render = renderFor(await prepareForSend(edition, config, log), config, log);
  let largestHtmlBytes = 0;
  let largestHtmlFor: string | null = null;
  for (const item of plan.queue) {
    const bytes = Buffer.byteLength((await render(item.subscriber)).html);
    if (bytes > largestHtmlBytes) {
      largestHtmlBytes = bytes;
      largestHtmlFor = item.subscriber.email;
    }
  }
  return {
    kind: 'dry-run',
    editionId: edition.id,
    frozen: target.why !== 'would-create',
    recipients: plan.queue.length,
    skipped: plan.suppressed + plan.alreadySent + plan.previouslyFailed,
    notInAudience: plan.notInAudience,
    largestHtmlBytes,
    largestHtmlFor,
    transport: config.smtpUrl ? 'smtp' : `outbox ${config.outboxDir}`,
  };
}

/** Sends one copy of the target edition to `to` (a checked address) with `[test]` in the subject; the ledger is not touched. */
export async function sendTestCopy(
  ctx: AppContext,
  input: { week?: string; to: string; smtpTimeouts?: SmtpTimeouts },
): Promise<TestCopyResult | NothingToSend> {
  const { store, config, log } = ctx;
  const subscribers = loadAudience(store, config.subscribersFile, log);
  const message = messageSettings(config, log);
  const target = resolveTarget(store, { week: input.week, now: ctx.clock(), settings: weekSettings(config) });
  if (target.kind === 'nothing') return nothingOf(target);
  const { edition } = target;
  // On the list: their own name and topics; otherwise a plain copy.
  const subscriber: Subscriber = subscribers.find((s) => addressKey(s.email) === addressKey(input.to)) ?? {
    email: input.to,
    name: null,
    topics: [],
  };
  const rendered = await renderFor(await prepareForSend(edition, config, log), config, log)(subscriber);
  const transport = await createTransport(config, { smtpTimeouts: input.smtpTimeouts });
  try {
    const outgoing = composeMessage(message, {
      editionId: `${edition.id}-test`,
      subscriber,
      rendered,
      messageId: testMessageId(edition.id, messageIdDomain(config.mailFrom)),
      subjectPrefix: '[test] ',
      date: ctx.clock(),
    });
    const result = await transport.send(outgoing);
    return { kind: 'test', editionId: edition.id, to: input.to, response: result.response };
  } catch (error) {
    if (error instanceof PaperwireError) throw error;
    const outcome = classifySendError(error, envelopeSenderSetting(message.bounce));
    const reason = outcome.kind === 'permanent' ? outcome.failure.reason : outcome.reason;
    throw new PaperwireError('E_SEND', `the test copy to ${input.to} was not accepted: ${reason}`, {
      hint: outcome.kind === 'fatal' ? outcome.hint : 'Check SMTP_URL and the address, then try again.',
      cause: error,
    });
  } finally {
    await transport.close();
  }
}

/** The exit code of a send: 0 when every subscriber is sent or skipped (or nothing was due), 1 otherwise. */
export function sendExitCode(result: SendResult | DryRunResult | TestCopyResult): number {
  if (result.kind === 'declined') return 1;
  // Rows kept pending for the operator to look at: the edition is not finished.
  if (result.kind === 'nothing') return result.orphans?.keptLeft ? 1 : 0;
  if (result.kind !== 'delivered') return 0;
  const { summary } = result;
  const unfinished = summary.failed > 0 || summary.leftToRetry > 0 || summary.orphans.keptLeft > 0;
  return unfinished || summary.stopped || summary.halted ? 1 : 0;
}
