// Delivery: hands one edition to every subscriber in its audience exactly once,
// keeping the ledger (./ledger.ts) in step with the transport.
//
// 1. plan   — read the ledger and suppressions: who is skipped (suppressed, already
//             sent, failed earlier), who is resumed (pending), who is new.
// 2. admit  — newcomers get pending rows in one transaction (only while the edition's
//             own week lasts, or at its first send: past editions never reach newcomers);
//             pending rows of suppressed addresses are closed, and so are a few of
//             addresses gone from the list (more only on the operator's word: closeOrphans).
// 3. send   — a few workers (≈ 2 × SMTP connections) take subscribers one at a time:
//             render lazily, compose headers, count the attempt (committed), hand the
//             message over, then record sent / failed; retry 4xx and network errors
//             with backoff, a message lost after the final "." only once (it may have
//             arrived); stop taking new work on abort, when the server is gone, when
//             a setting is wrong (retry.ts), or when the server refuses everyone alike
//             (breaker.ts: a refusal is recorded only once the breaker has seen enough
//             after it, so the refusals that trip it stay pending).
import type { Clock } from '../clock.ts';
import { isPaperwireError, type Problem, problem } from '../errors.ts';
import { addressKey } from '../identity.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { SuppressionList } from '../subscribers/suppressions.ts';
import type { RenderedEmail, Subscriber, Transport } from '../types.ts';
import { type Breaker, createBreaker, WINDOW } from './breaker.ts';
import { composeMessage, type MessageSettings } from './headers.ts';
import type { DeliveryFailure, DeliveryLedger } from './ledger.ts';
import { deliveryMessageId } from './message-id.ts';
import {
  backoffDelayMs,
  classifySendError,
  isMailboxUnknown,
  type SenderSetting,
  waitUnlessAborted,
} from './retry.ts';
import { envelopeSenderSetting } from './verp.ts';

/** One subscriber a run will hand the edition to. */
export interface PlannedDelivery {
  subscriber: Subscriber;
  messageId: string;
  /** True when the subscriber has no ledger row yet (admitted when the run starts). */
  isNew: boolean;
  /** Attempts recorded by earlier runs (> 0: it may have arrived already; same Message-ID). */
  previousAttempts: number;
}

/** Who gets the edition in this run, and who does not and why. */
export interface DeliveryPlan {
  editionId: string;
  /** In list order. */
  queue: PlannedDelivery[];
  suppressed: number;
  alreadySent: number;
  /** Rows that failed permanently in an earlier run (a 5xx is not retried). */
  previouslyFailed: number;
  /** Their addresses (keys), for `send --retry-failed`. */
  failedAddresses: string[];
  /** Subscribers who joined after the edition's week: they get the next edition instead. */
  notInAudience: number;
  /** Pending rows of addresses that left the list or were suppressed since (see closeOrphans). */
  orphaned: Orphan[];
}

/** A pending row whose address is no longer in the audience, and why. */
export interface Orphan {
  email: string;
  attempts: number;
  /** `suppressed`: unsubscribed, bounced or complained since; `left`: no longer in the list file. */
  why: 'suppressed' | 'left';
}

/**
 * At most this many pending rows of addresses gone from the list are closed without the
 * operator's word: more looks like a list cut short (a half-written file), not people leaving.
 */
export const LEFT_LIST_CLOSE_LIMIT = 3;

/** What closeOrphans did with the plan's orphaned rows. */
export interface OrphanOutcome {
  /** Closed: the address was suppressed since. */
  closedSuppressed: number;
  /** Closed: the address is no longer in the list file. */
  closedLeft: number;
  /** Kept pending: more addresses left the list than LEFT_LIST_CLOSE_LIMIT, and the run was not told to drop them. */
  keptLeft: number;
}

/** What planDelivery reads: the ledger's rows and the suppressions. */
export interface PlanSources {
  ledger: Pick<DeliveryLedger, 'entries'>;
  suppressions: Pick<SuppressionList, 'list'>;
}

/**
 * Works out a delivery without writing anything (dry runs and confirmation prompts use it
 * too). `domain` is the right-hand side of new Message-IDs (see message-id.ts).
 */
export function planDelivery(
  sources: PlanSources,
  editionId: string,
  subscribers: readonly Subscriber[],
  admitNewcomers: boolean,
  domain: string,
): DeliveryPlan {
  const entries = sources.ledger.entries(editionId);
  const suppressedKeys = new Set(sources.suppressions.list().map((suppression) => suppression.email));
  const plan: DeliveryPlan = {
    editionId,
    queue: [],
    suppressed: 0,
    alreadySent: 0,
    previouslyFailed: 0,
    failedAddresses: [],
    notInAudience: 0,
    orphaned: [],
  };
  const listed = new Set<string>();
  for (const subscriber of subscribers) {
    const key = addressKey(subscriber.email);
    listed.add(key);
    const entry = entries.get(key);
    if (suppressedKeys.has(key)) plan.suppressed++;
    else if (entry?.status === 'sent') plan.alreadySent++;
    else if (entry?.status === 'failed') {
      plan.previouslyFailed++;
      plan.failedAddresses.push(key);
    } else if (entry) {
      plan.queue.push({
        subscriber,
        messageId: entry.messageId,
        isNew: false,
        previousAttempts: entry.attempts,
      });
    } else if (admitNewcomers) {
      plan.queue.push({
        subscriber,
        messageId: deliveryMessageId(editionId, subscriber.email, domain),
        isNew: true,
        previousAttempts: 0,
      });
    } else plan.notInAudience++;
  }
  // Without this, a pending row of someone who left would keep the edition "unfinished" forever.
  for (const [key, entry] of entries) {
    if (entry.status !== 'pending') continue;
    if (suppressedKeys.has(key))
      plan.orphaned.push({ email: key, attempts: entry.attempts, why: 'suppressed' });
    else if (!listed.has(key)) plan.orphaned.push({ email: key, attempts: entry.attempts, why: 'left' });
  }
  return plan;
}

/**
 * Closes the plan's orphaned rows (see DeliveryLedger.closeOrphans): always those of suppressed
 * addresses (the subscriber's own word), those of addresses gone from the list only when there
 * are at most LEFT_LIST_CLOSE_LIMIT of them or `dropRemoved` says so. Otherwise they stay
 * pending, so a list read half-written costs nobody the edition: restore it and send again.
 */
export function closeOrphans(
  ledger: Pick<DeliveryLedger, 'closeOrphans'>,
  plan: DeliveryPlan,
  dropRemoved: boolean,
  log: Logger = silentLogger,
): OrphanOutcome {
  const suppressed = plan.orphaned.filter((orphan) => orphan.why === 'suppressed');
  const left = plan.orphaned.filter((orphan) => orphan.why === 'left');
  const closeLeft = dropRemoved || left.length <= LEFT_LIST_CLOSE_LIMIT;
  const closing = closeLeft ? [...suppressed, ...left] : suppressed;
  if (closing.length > 0) ledger.closeOrphans(plan.editionId, closing);
  const outcome: OrphanOutcome = {
    closedSuppressed: suppressed.length,
    closedLeft: closeLeft ? left.length : 0,
    keptLeft: closeLeft ? 0 : left.length,
  };
  if (closing.length > 0) {
    log.info('closed pending rows of addresses suppressed since or no longer on the list', {
      edition: plan.editionId,
      suppressed: outcome.closedSuppressed,
      left: outcome.closedLeft,
    });
  }
  if (outcome.keptLeft > 0) {
    log.warn(
      `kept ${outcome.keptLeft} pending rows of addresses no longer on the list (more than ${LEFT_LIST_CLOSE_LIMIT}: was the list cut short?)`,
      {
        edition: plan.editionId,
        first: left
          .slice(0, 5)
          .map((orphan) => orphan.email)
          .join(', '),
      },
    );
  }
  return outcome;
}

/** Where a run stands, reported after every message. */
export interface DeliveryProgress {
  editionId: string;
  /** Messages this run set out to send. */
  total: number;
  sent: number;
  failed: number;
  /** Given up for this run (still pending in the ledger). */
  deferred: number;
}

/** Everything deliverEdition needs. */
export interface DeliverInput {
  ledger: DeliveryLedger;
  /** Where the bounce rule records a suppression. */
  suppressions: Pick<SuppressionList, 'suppress'>;
  /** The headers every message carries (From, Reply-To, List-*). */
  message: MessageSettings;
  /** Attempts per message on transient failures (SEND_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Who gets the edition, made with planDelivery (and perhaps confirmed) beforehand. */
  plan: DeliveryPlan;
  /** Close the pending rows of addresses gone from the list however many there are (`send --drop-removed`). */
  dropRemoved?: boolean;
  /** Renders the edition for one subscriber; called lazily, once per message. */
  render(subscriber: Subscriber): Promise<RenderedEmail> | RenderedEmail;
  transport: Transport;
  /** Messages in flight at once. */
  concurrency: number;
  /** The wait before retry n (1-based); exponential backoff by default (tests pass 0). */
  retryDelayMs?: (retry: number) => number;
  /** On abort: take no new message, let the ones in flight finish and be recorded. */
  signal?: AbortSignal;
  onProgress?: (progress: DeliveryProgress) => void;
  log?: Logger;
  /** The Date header's clock. */
  clock: Clock;
}

/** What a delivery run did. */
export interface DeliverySummary {
  editionId: string;
  transport: string;
  /** Messages this run set out to send (resumed + new). */
  planned: number;
  sent: number;
  /** Suppressed, already sent, or failed permanently in an earlier run. */
  skipped: number;
  suppressed: number;
  alreadySent: number;
  previouslyFailed: number;
  notInAudience: number;
  /** Permanent failures in this run (5xx). */
  failed: number;
  /** Still pending: transient failures, a halted run, or a stop. */
  leftToRetry: number;
  /** True when the run was stopped by its signal (SIGINT/SIGTERM). */
  stopped: boolean;
  /** Why the run gave up before the end (server unreachable, login refused …), E_SEND with what to do; or null. */
  halted: Problem | null;
  /** Addresses suppressed in this run by the two-editions "no such mailbox" bounce rule. */
  bounceSuppressed: string[];
  /** Pending rows of addresses suppressed since or gone from the list: how many were closed or kept. */
  orphans: OrphanOutcome;
  /**
   * Addresses whose message was lost twice after the final "." (the server may have stored
   * it, then dropped the connection or never replied): left pending for the next run, which
   * sends it once more with the same Message-ID.
   */
  mayHaveArrived: string[];
}

/** Delivers `editionId` to its audience among `subscribers`; see the steps at the top of this file. */
export async function deliverEdition(input: DeliverInput): Promise<DeliverySummary> {
  const { ledger, plan, transport, signal } = input;
  const { editionId } = plan;
  const log = input.log ?? silentLogger;
  ledger.admit(
    editionId,
    plan.queue
      .filter((item) => item.isNew)
      .map((item) => ({ email: item.subscriber.email, messageId: item.messageId })),
  );
  const orphans = closeOrphans(ledger, plan, input.dropRemoved ?? false, log);

  const summary: DeliverySummary = {
    editionId,
    transport: transport.name,
    planned: plan.queue.length,
    sent: 0,
    skipped: plan.suppressed + plan.alreadySent + plan.previouslyFailed,
    suppressed: plan.suppressed,
    alreadySent: plan.alreadySent,
    previouslyFailed: plan.previouslyFailed,
    notInAudience: plan.notInAudience,
    failed: 0,
    leftToRetry: 0,
    stopped: false,
    halted: null,
    bounceSuppressed: [],
    orphans,
    mayHaveArrived: [],
  };
  const run: RunState = {
    input,
    editionId,
    log,
    summary,
    maxAttempts: input.maxAttempts,
    retryDelayMs: input.retryDelayMs ?? backoffDelayMs,
    lastSuccessAt: 0,
    deferred: 0,
    failure: null,
    sender: envelopeSenderSetting(input.message.bounce),
    breaker: createBreaker(),
    outcomes: 0,
    held: [],
  };
  const concurrency = Math.max(1, input.concurrency);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.queue.length && !signal?.aborted && !summary.halted && !run.failure) {
      const item = plan.queue[next++]!;
      try {
        await deliverOne(run, item);
      } catch (error) {
        // The ledger could not be written (a full disk …): take no new message, let those in
        // flight finish, then report this first error.
        run.failure ??= { error };
        return;
      }
      input.onProgress?.({
        editionId,
        total: plan.queue.length,
        sent: summary.sent,
        failed: summary.failed,
        deferred: run.deferred,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.queue.length) }, worker));
  if (run.failure) throw run.failure.error;
  releaseHeld(run, Number.POSITIVE_INFINITY);

  summary.leftToRetry = plan.queue.length - summary.sent - summary.failed;
  summary.stopped = Boolean(signal?.aborted);
  return summary;
}

/** State shared by the workers of one run. */
interface RunState {
  input: DeliverInput;
  editionId: string;
  log: Logger;
  summary: DeliverySummary;
  maxAttempts: number;
  retryDelayMs: (retry: number) => number;
  /** performance.now() of the last accepted message: tells a dead server from one bad message. */
  lastSuccessAt: number;
  /** Messages given up on in this run. */
  deferred: number;
  /** The first error that stopped the run (the ledger could not be written), or null. */
  failure: { error: unknown } | null;
  /** Where MAIL FROM comes from, for the hint of a refused sender. */
  sender: SenderSetting;
  breaker: Breaker;
  /** Outcomes the breaker has seen. */
  outcomes: number;
  /** Refusals not recorded yet: recorded once WINDOW outcomes followed without tripping the breaker. */
  held: HeldRefusal[];
}

/** A permanent refusal waiting for the breaker's verdict. */
interface HeldRefusal {
  email: string;
  failure: DeliveryFailure;
  pattern: string;
  /** The breaker's outcome count when it came. */
  seenAt: number;
}

/** What the breaker counts for a message lost after the final "." (no reply to compare). */
const LOST_AFTER_DATA = 'no reply after the final "."';

/** Renders, sends and records one message, retrying transient failures. */
async function deliverOne(run: RunState, item: PlannedDelivery): Promise<void> {
  const { input, editionId, log, summary } = run;
  const { ledger } = input;
  const email = item.subscriber.email;
  let message: ReturnType<typeof composeMessage>;
  try {
    message = composeMessage(input.message, {
      editionId,
      subscriber: item.subscriber,
      rendered: await input.render(item.subscriber),
      messageId: item.messageId,
      date: input.clock(),
    });
  } catch (error) {
    // One subscriber's render must not sink the others; the row stays pending.
    log.error('could not render the message; it stays pending', { email, error: (error as Error).message });
    run.deferred++;
    return;
  }

  const firstAttemptAt = performance.now();
  let lostAfterData = 0;
  for (let attempt = 1; ; attempt++) {
    if (summary.halted || input.signal?.aborted || run.failure) {
      run.deferred++;
      return;
    }
    ledger.recordAttempt(editionId, email);
    try {
      const result = await input.transport.send(message);
      ledger.recordSent(editionId, email, result.response);
      summary.sent++;
      run.lastSuccessAt = performance.now();
      observe(run, email, null, '');
      return;
    } catch (error) {
      // The ledger failed, not the server (which took the message): never send it again here.
      if (isPaperwireError(error, 'E_STORE')) throw error;
      const outcome = classifySendError(error, run.sender);
      if (outcome.kind === 'fatal') {
        summary.halted ??= problem('E_SEND', outcome.reason, outcome.hint);
        run.deferred++;
        return;
      }
      if (outcome.kind === 'permanent') {
        if (outcome.pattern === null) recordRefusal(run, email, outcome.failure);
        else if (observe(run, email, outcome.pattern, outcome.failure.reason)) run.deferred++;
        else
          run.held.push({ email, failure: outcome.failure, pattern: outcome.pattern, seenAt: run.outcomes });
        return;
      }
      const pattern = outcome.pattern ?? (outcome.mayHaveArrived ? LOST_AFTER_DATA : null);
      if (pattern !== null && observe(run, email, pattern, outcome.reason)) {
        run.deferred++;
        return;
      }
      if (outcome.mayHaveArrived && ++lostAfterData >= 2) {
        // Each retry may be another copy in the inbox: once is the RFC 5321 duplicate, more is spam.
        summary.mayHaveArrived.push(email);
        log.warn('lost twice after the whole message went out (it may have arrived); left for the next run', {
          email,
          reply: outcome.reason,
        });
        run.deferred++;
        return;
      }
      if (attempt >= run.maxAttempts) {
        // Every attempt of this message failed and nothing else got through meanwhile: the
        // server itself is unreachable, so stop instead of trying each remaining message.
        if (outcome.scope === 'server' && run.lastSuccessAt < firstAttemptAt) {
          summary.halted ??= problem(
            'E_SEND',
            `the SMTP server did not take a message in ${attempt} attempts: ${outcome.reason}`,
            'Check that SMTP_URL points at a running server and that this machine may connect to it; then run send again: it resumes where it stopped.',
          );
        }
        log.warn(`not accepted after ${attempt} attempts; left to retry`, { email, reply: outcome.reason });
        run.deferred++;
        return;
      }
      log.warn(`attempt ${attempt} not accepted; retrying`, { email, reply: outcome.reason });
      if (!(await waitUnlessAborted(run.retryDelayMs(attempt), input.signal))) {
        run.deferred++;
        return;
      }
    }
  }
}

/**
 * Shows an attempt's outcome to the breaker (`pattern` null: accepted) and records the held
 * refusals it has now seen enough after. True when this outcome is a refusal the breaker
 * tripped on (now or before): the message stays pending, and the run stops.
 */
function observe(run: RunState, email: string, pattern: string | null, reply: string): boolean {
  const refused = run.breaker.record(email, pattern);
  run.outcomes++;
  releaseHeld(run, run.outcomes - WINDOW);
  if (refused > 0) {
    run.summary.halted ??= problem(
      'E_SEND',
      `the SMTP server gave the same answer to ${refused} different recipients: ${reply}`,
      breakerHint(reply, pattern),
    );
  }
  return pattern !== null && run.breaker.tripped === pattern;
}

function breakerHint(reply: string, pattern: string | null): string {
  const resume = 'then run send again: it resumes where it stopped.';
  if (pattern === LOST_AFTER_DATA) {
    return `The server takes each message, then drops the connection or never replies: they may have arrived. Check the relay's logs; the next send sends each once more with the same Message-ID. Nobody was marked failed; ${resume}`;
  }
  if (reply.startsWith('4')) {
    return `The server defers every message (a rate or quota limit?): wait, or lower SMTP_RATE_PER_SECOND or SMTP_MAX_CONNECTIONS, ${resume}`;
  }
  return `A refusal for everyone is the server's (its limits, a content filter, its routing), not the recipients', so nobody was marked failed: check the relay's logs or ask its operator, ${resume}`;
}

/** Records the held refusals the breaker saw at or before `seenAt`, unless they are the refusal that tripped it. */
function releaseHeld(run: RunState, seenAt: number): void {
  if (run.held.length === 0 || run.held[0]!.seenAt > seenAt) return;
  const keep: HeldRefusal[] = [];
  for (const held of run.held) {
    if (held.seenAt > seenAt) keep.push(held);
    else if (held.pattern !== run.breaker.tripped) recordRefusal(run, held.email, held.failure);
  }
  run.held = keep;
}

/** Marks a row failed for good and applies the bounce rule. */
function recordRefusal(run: RunState, email: string, failure: DeliveryFailure): void {
  run.input.ledger.recordFailed(run.editionId, email, failure);
  run.summary.failed++;
  run.log.warn('rejected permanently', { email, reply: failure.reason });
  applyBounceRule(run, email, failure);
}

/** A "no such mailbox" reply in two editions in a row suppresses the address. */
function applyBounceRule(run: RunState, email: string, failure: DeliveryFailure): void {
  if (!isMailboxUnknown(failure)) return;
  const { editionId } = run;
  const previous = run.input.ledger.previousOutcome(editionId, email);
  if (previous?.status !== 'failed' || !previous.failure || !isMailboxUnknown(previous.failure)) return;
  const reason = `no such mailbox in editions ${previous.editionId} and ${editionId}: ${failure.reason}`;
  if (run.input.suppressions.suppress(email, 'bounce', reason)) {
    run.summary.bounceSuppressed.push(email);
    run.log.warn('suppressed after two "no such mailbox" replies in a row', { email });
  }
}
