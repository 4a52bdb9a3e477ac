// One cycle of the weekly job, as `paperwire run` and every scheduler tick do it:
//
// 1. take the `cycle` and `send` leases (waiting up to a bound, or refusing with
//    E_LOCKED), so two cycles never interleave and no hand-started send runs beside;
// 2. record the run in `runs` (rows left `running` by a killed process become `abandoned`);
// 3. work out the edition's week (target.ts: the last complete week by default, or
//    `--week`) and ingest every configured source (INBOX_DIR, SOURCES) for it: the live
//    sources fetch that week now, right before the freeze, so the ranking uses the
//    upvotes at the end of the week — unless its edition is frozen already, when they
//    are not asked again. A failed source is reported and the others go on; when every
//    source failed and nothing is new, stop here with no edition (exit 1);
// 4. read the mailbox when MAILBOX_URL is set, so the bounces and unsubscribes that
//    came back are honoured first (a failure is only a warning);
// 5. sendEdition with the send lease: freeze the week's edition if it has papers (or
//    resume the last one if it has pending rows) and deliver it;
// 6. say what waits (papers of a week not due yet, weeks skipped), record how it
//    ended, log `run finished`, release the leases.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUpAfter, NO_ERROR } from '../cleanup.ts';
import type { Config } from '../config/index.ts';
import { type Backlog, editionBacklog } from '../edition/index.ts';
import { EXIT, type Problem, problemOf } from '../errors.ts';
import {
  defaultSources,
  type IngestReport,
  ingestSettings,
  ingestSources,
  isLiveSource,
} from '../ingest/index.ts';
import type { Logger } from '../log.ts';
import { acquireLeaseWaiting, CYCLE_LOCK, type Lease, SEND_LOCK } from '../schedule/leases.ts';
import { type RunEnd, type RunKind, type RunStatus, runErrorOf } from '../schedule/runs.ts';
import type { AppContext } from './context.ts';
import { readMailboxBeforeDelivery } from './mailbox.ts';
import { writePreview } from './preview.ts';
import { type SendResult, sendEdition, sendExitCode } from './send.ts';
import { targetWeek, weekSettings } from './target.ts';

/** Options of runCycle and resumeEdition. */
export interface CycleOptions {
  /** Aborting stops the cycle cleanly: no new message is taken, in-flight ones finish and are recorded. */
  signal?: AbortSignal;
  /** What started the cycle; `run` by default. */
  kind?: RunKind;
  /** How long to wait for another cycle or send to finish; 0 (default) refuses at once with E_LOCKED. */
  lockWaitMs?: number;
  /** Write an HTML preview of the delivered edition for the first subscriber (`paperwire run`). */
  preview?: boolean;
  /** The edition's week, already checked (`run --week`, a catch-up); the one due now by default. */
  week?: string;
}

/** What one cycle did. */
export interface CycleSummary {
  runId: number;
  kind: RunKind;
  status: Exclude<RunStatus, 'running' | 'abandoned'>;
  /** 0 done, 1 done with problems (as `send`'s, or a source failed). */
  exitCode: number;
  /** The edition delivered (or found already delivered), or null. */
  editionId: string | null;
  /** What ingest did; null for a resume, which ingests nothing. */
  ingest: IngestReport | null;
  /** What sendEdition did; null when it was not called (every source failed, or stopped first). */
  send: SendResult | null;
  sent: number;
  skipped: number;
  failed: number;
  /** Left to retry (still pending in the ledger). */
  pending: number;
  /** One line on the outcome, e.g. `nothing sent: edition 2026-W48 is already delivered: …`. */
  headline: string;
  /** Papers waiting for a week whose edition is not due yet, and weeks skipped; null for a resume. */
  backlog: Backlog | null;
  /** The outbox folder of the edition and its .eml count, when messages go to the outbox. */
  outbox: { dir: string; files: number } | null;
  /** The HTML preview of the delivered edition for the first subscriber, when asked for. */
  preview: { htmlPath: string; textPath: string } | null;
  durationMs: number;
}

/**
 * The sources of a cycle: those `paperwire ingest` reads by default; when there are none, the
 * inbox folder itself, so that a missing inbox is reported as a failed source (and the run exits 1).
 */
export function cycleSources(config: Pick<Config, 'inboxDir' | 'sources'>): string[] {
  const sources = defaultSources(config);
  return sources.length > 0 || config.inboxDir === null ? sources : [config.inboxDir];
}

function outboxOf(config: Config, editionId: string | null): CycleSummary['outbox'] {
  if (config.smtpUrl || editionId === null) return null;
  const dir = join(config.outboxDir, editionId);
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.eml')).length : 0;
  return { dir, files };
}

/** Writes the HTML preview of `editionId` for the first subscriber; a failure is logged, not fatal (the mail is out). */
async function previewOf(ctx: AppContext, editionId: string): Promise<CycleSummary['preview']> {
  try {
    const preview = await writePreview(ctx, { week: editionId });
    return { htmlPath: preview.htmlPath, textPath: preview.textPath };
  } catch (error) {
    ctx.log.warn(`could not write the preview: ${(error as Error).message}`, { edition: editionId });
    return null;
  }
}

/** Counts, edition and headline from what sendEdition returned. */
function describeSend(result: SendResult) {
  if (result.kind === 'delivered') {
    const { summary } = result;
    return {
      editionId: result.edition.id,
      sent: summary.sent,
      skipped: summary.skipped,
      failed: summary.failed,
      pending: summary.leftToRetry,
      headline: summary.stopped
        ? `stopped: ${summary.leftToRetry} left, run again to resume`
        : `edition ${result.edition.id} (${result.edition.status}): sent ${summary.sent}, skipped ${summary.skipped}, failed ${summary.failed}, left to retry ${summary.leftToRetry}`,
    };
  }
  const { editionId } = result;
  const headline =
    result.kind === 'nothing' ? `nothing sent: ${result.reason}` : `edition ${editionId}: ${result.kind}`;
  return { editionId, sent: 0, skipped: 0, failed: 0, pending: 0, headline };
}

/**
 * Holds the locks and the run record around `body`, logs `run finished` and
 * returns the summary; records (and rethrows) an error that stops the cycle.
 */
async function asCycle(
  ctx: AppContext,
  options: CycleOptions,
  kind: RunKind,
  body: (sendLease: Lease) => Promise<{
    ingest: IngestReport | null;
    send: SendResult | null;
    stoppedEarly?: string;
    /** The failed sources, as one Problem with the first one's hint. */
    sourceError?: Problem;
    backlog?: Backlog;
  }>,
): Promise<CycleSummary> {
  const { store, config, log } = ctx;
  const started = performance.now();
  const waitMs = options.lockWaitMs ?? 0;
  const cycleLease = await acquireLeaseWaiting(store.leases, CYCLE_LOCK, 'another paperwire run', {
    waitMs,
    signal: options.signal,
    log,
  });
  let sendLease: Lease | null = null;
  let runId: number | null = null;
  let pending: unknown = NO_ERROR;
  const warnHidden = (error: Error): void =>
    log.warn(`after the run failed, cleaning up failed too: ${error.message}`);
  try {
    sendLease = await acquireLeaseWaiting(store.leases, SEND_LOCK, 'a paperwire send', {
      waitMs,
      signal: options.signal,
      log,
    });
    const abandoned = store.runs.abandonUnfinished();
    if (abandoned > 0) log.warn(`${abandoned} earlier run(s) ended without finishing (process killed)`);
    runId = store.runs.start(kind);
    log.info('run started', { run: runId, kind });
    const outcome = await body(sendLease);
    const described = outcome.send
      ? describeSend(outcome.send)
      : {
          editionId: null,
          sent: 0,
          skipped: 0,
          failed: 0,
          pending: 0,
          headline: outcome.stoppedEarly ?? 'nothing sent',
        };
    const stopped = options.signal?.aborted === true;
    const exitCode = outcome.send
      ? Math.max(sendExitCode(outcome.send), outcome.sourceError ? EXIT.PROBLEMS : EXIT.OK)
      : stopped || outcome.stoppedEarly
        ? EXIT.PROBLEMS
        : EXIT.OK;
    const status: CycleSummary['status'] = stopped ? 'stopped' : exitCode === EXIT.OK ? 'ok' : 'problems';
    const summary: CycleSummary = {
      runId,
      kind,
      status,
      exitCode,
      ...described,
      ingest: outcome.ingest,
      send: outcome.send,
      backlog: outcome.backlog ?? null,
      outbox: outboxOf(config, described.editionId),
      preview:
        options.preview && outcome.send?.kind === 'delivered'
          ? await previewOf(ctx, outcome.send.edition.id)
          : null,
      durationMs: Math.round(performance.now() - started),
    };
    const { sent, skipped, failed, pending, durationMs, editionId, headline } = summary;
    store.runs.finish(runId, {
      status,
      editionId,
      summary: {
        sent,
        skipped,
        failed,
        pending,
        durationMs,
        headline,
        new: outcome.ingest?.totals.new ?? 0,
        failedSources: outcome.ingest?.failedSources ?? 0,
      },
      ...runError(outcome),
    });
    log.info('run finished', {
      run: runId,
      kind,
      status,
      edition: editionId,
      sent,
      skipped,
      failed,
      pending,
      durationMs,
    });
    return summary;
  } catch (error) {
    pending = error;
    if (runId !== null) {
      const id = runId;
      log.error('run failed', { run: id, kind, error: (error as Error).message });
      // On a full disk this write fails too; the error to report is still the first one.
      cleanUpAfter(
        pending,
        () => store.runs.finish(id, { status: 'failed', ...runErrorOf(problemOf(error)) }),
        warnHidden,
      );
    }
    throw error;
  } finally {
    cleanUpAfter(pending, () => sendLease?.release(), warnHidden);
    cleanUpAfter(pending, () => cycleLease.release(), warnHidden);
  }
}

/** One whole cycle: ingest every source for the edition's week, then freeze and deliver it; see the top of this file. */
export function runCycle(ctx: AppContext, options: CycleOptions = {}): Promise<CycleSummary> {
  const { store, config, log } = ctx;
  const { signal } = options;
  return asCycle(ctx, options, options.kind ?? 'run', async (lease) => {
    const settings = weekSettings(config);
    const week = targetWeek({ week: options.week, now: ctx.clock(), settings });
    let sources = cycleSources(config);
    // A frozen edition's ranking is fixed: asking the APIs again would change nothing it shows.
    if (store.editions.find(week) && sources.some(isLiveSource)) {
      log.info(`edition ${week} is frozen: its live sources are not fetched again`, { edition: week });
      sources = sources.filter((source) => !isLiveSource(source));
    }
    const ingest = await ingestSources(store, sources, {
      ...ingestSettings(config),
      week,
      log,
      clock: ctx.clock,
    });
    const failures = ingest.sources.filter((source) => source.problem !== null);
    for (const source of failures)
      log.warn(`source failed: ${source.problem?.message}`, { source: source.source });
    const first = failures[0]?.problem;
    const sourceError = first
      ? {
          ...first,
          message: `${failures.length} of ${ingest.sources.length} sources failed; first: ${first.message}`,
        }
      : undefined;
    if (signal?.aborted) return { ingest, send: null, stoppedEarly: 'stopped before sending', sourceError };
    if (ingest.sources.length > 0 && failures.length === ingest.sources.length && ingest.totals.new === 0) {
      return {
        ingest,
        send: null,
        stoppedEarly: 'every source failed and nothing is new: no edition created',
        sourceError,
      };
    }
    await readMailboxBeforeDelivery(ctx);
    const send = await sendEdition(ctx, { week: options.week, yes: true, signal, lease });
    // A half-delivered older edition is finished at scheduler start, or by hand now.
    for (const other of send.kind === 'delivered' ? send.otherPending : []) {
      log.warn(`edition ${other.editionId} still has ${other.pending} left to retry`, {
        edition: other.editionId,
        hint: `paperwire send --week ${other.editionId}`,
      });
    }
    const live = config.sources.some(isLiveSource);
    const backlog = editionBacklog(store, week, live);
    logBacklog(log, backlog, live);
    return { ingest, send, sourceError, backlog };
  });
}

/** Logs what waits for a later edition and which weeks were skipped (`live`: a live source can fetch them). */
function logBacklog(log: Logger, backlog: Backlog, live: boolean): void {
  for (const { week, papers } of backlog.waiting) {
    log.info(
      `${papers} paper${papers === 1 ? '' : 's'} of ${week} wait for its edition, due when that week is over`,
      {
        week,
        papers,
      },
    );
  }
  for (const { week, papers } of backlog.missed) {
    log.warn(`week ${week} has no edition (${papers} papers stored): it is not sent by itself`, {
      week,
      papers,
      hint: `paperwire ${live ? 'run' : 'send'} --week ${week}`,
    });
  }
}

/** Finishes delivering `editionId` (its pending rows) without ingesting; the scheduler's start does this after a crash. */
export function resumeEdition(
  ctx: AppContext,
  editionId: string,
  options: CycleOptions = {},
): Promise<CycleSummary> {
  return asCycle(ctx, options, options.kind ?? 'resume', async (lease) => ({
    ingest: null,
    send: await sendEdition(ctx, { week: editionId, yes: true, signal: options.signal, lease }),
  }));
}

/** What a finished cycle records as its error: why its send stopped early, else the sources that failed. */
function runError(outcome: {
  send: SendResult | null;
  sourceError?: Problem;
}): Pick<RunEnd, 'error' | 'hint'> {
  if (outcome.send?.kind === 'delivered' && outcome.send.summary.halted) {
    return runErrorOf(outcome.send.summary.halted);
  }
  return outcome.sourceError ? runErrorOf(outcome.sourceError) : { error: null };
}
