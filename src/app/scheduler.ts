// The scheduler behind `paperwire schedule`: a node-cron task that runs one cycle
// per tick, never two at once, and on start first finishes what a crash left
// (a half-delivered edition) and then sends the edition the last scheduled time was
// due to send, if it was missed (the machine was off over the Monday).
import cron, { type ScheduledTask } from 'node-cron';
import { isPaperwireError } from '../errors.ts';
import {
  formatScheduleTime,
  nextRunTime,
  previousRunTime,
  type ScheduleSpec,
  scheduleSpec,
} from '../schedule/cron.ts';
import { acquireLease, HEARTBEAT_MS, SCHEDULER_LOCK } from '../schedule/leases.ts';
import { isCatchUpDue, type RunKind } from '../schedule/runs.ts';
import type { AppContext } from './context.ts';
import { type CycleSummary, resumeEdition, runCycle } from './cycle.ts';
import { startMailboxTimer } from './mailbox.ts';
import { dueWeek, weekSettings } from './target.ts';

/** Options of startScheduler. */
export interface SchedulerOptions {
  /** Called after every cycle that ran (scheduled, catch-up or resume). */
  onCycle?: (summary: CycleSummary) => void;
}

/** A running scheduler. */
export interface Scheduler {
  readonly spec: ScheduleSpec;
  /** The node-cron task (for tests: `task.execute()` runs a tick now). */
  readonly task: ScheduledTask;
  /** Resolves when the start-up work (resume, catch-up) is done. */
  readonly ready: Promise<void>;
  /** The next scheduled time. */
  nextRun(): Date | null;
  /** Stops ticking, aborts the run in progress (in-flight messages finish) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts the schedule: checks SCHEDULE/SCHEDULE_TZ (E_CONFIG), takes the scheduler
 * lease of the state folder (one scheduler per STATE_DIR; E_LOCKED otherwise) and
 * beats on it, starts the node-cron task, then (1) resumes any edition with pending
 * ledger rows and (2) runs a catch-up cycle for the week the last scheduled time was
 * due to send when its edition was not made (isCatchUpDue) and SCHEDULE_CATCH_UP is
 * on. Older weeks are not sent by themselves (`status` lists them). Ticks while a run
 * is going are skipped.
 */
export async function startScheduler(ctx: AppContext, options: SchedulerOptions = {}): Promise<Scheduler> {
  const { config, store, log } = ctx;
  const spec = scheduleSpec(config);
  const lease = acquireLease(store.leases, SCHEDULER_LOCK, 'a scheduler for this STATE_DIR');
  const heartbeat = setInterval(() => lease.beat(), HEARTBEAT_MS);
  heartbeat.unref();
  const controller = new AbortController();
  let current: Promise<unknown> | null = null;
  let stopping = false;

  const logNext = (): void => {
    const next = nextRunTime(spec);
    log.info('next run', { at: next ? formatScheduleTime(next, spec) : 'never' });
  };

  /** Runs `body` as the one run in progress, or logs a skip when one is going. */
  const exclusive = async (kind: RunKind, body: () => Promise<CycleSummary | null>): Promise<void> => {
    if (stopping) return;
    if (current) {
      log.warn('skipped: previous run still going', { kind });
      return;
    }
    const run = (async () => {
      try {
        const summary = await body();
        if (summary) options.onCycle?.(summary);
      } catch (error) {
        if (isPaperwireError(error, 'E_LOCKED')) {
          log.warn(`skipped: ${error.message}`, { kind });
        } else {
          log.error(`${kind} run failed: ${(error as Error).message}`, {
            kind,
            hint: isPaperwireError(error) ? error.hint : undefined,
          });
        }
      } finally {
        current = null;
        if (!stopping) logNext();
      }
    })();
    current = run;
    await run;
  };

  const cycle = (kind: RunKind, week?: string) => () =>
    exclusive(kind, () => runCycle(ctx, { signal: controller.signal, kind, week }));

  const task = cron.createTask(spec.expression, cycle('scheduled'), {
    name: 'paperwire',
    timezone: spec.timezone,
    noOverlap: true,
    // node-cron's own messages are replaced by ours (below); errors still reach the log.
    logger: {
      info() {},
      warn() {},
      debug() {},
      error: (message) => log.error(`node-cron: ${message instanceof Error ? message.message : message}`),
    },
  });
  task.on('execution:overlap', (context) => {
    log.warn('skipped: previous run still going', {
      kind: 'scheduled',
      scheduledFor: context.date.toISOString(),
    });
  });
  task.on('execution:missed', (context) => {
    log.warn('missed a tick (the process was busy or the clock jumped)', {
      scheduledFor: context.date.toISOString(),
    });
  });
  await task.start();
  // Mailbox hook (src/app/mailbox.ts): read it every MAILBOX_EVERY too, not only before deliveries.
  const mailboxTimer = startMailboxTimer(ctx, { busy: () => current !== null });
  log.info('scheduler started', {
    schedule: spec.expression,
    timezone: spec.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    catchUp: config.scheduleCatchUp,
    pid: process.pid,
  });
  logNext();

  const startup = async (): Promise<void> => {
    for (const { editionId } of store.ledger.pendingEditions()) {
      if (stopping) return;
      log.info('an edition was left half-delivered: finishing it', { edition: editionId });
      await exclusive('resume', () => resumeEdition(ctx, editionId, { signal: controller.signal }));
    }
    if (stopping) return;
    const lastScheduled = previousRunTime(spec, ctx.clock());
    if (lastScheduled === null) return;
    const week = dueWeek(lastScheduled, weekSettings(config));
    const due = isCatchUpDue({
      lastScheduled,
      editionMade: store.editions.find(week) !== null,
      anyEdition: store.editions.latest() !== null,
      lastCycle: store.runs.lastCompletedCycle(),
    });
    if (!due) return;
    const missed = formatScheduleTime(lastScheduled, spec);
    if (!config.scheduleCatchUp) {
      log.info(
        `the edition of ${week} was not sent at its scheduled time; not catching up (SCHEDULE_CATCH_UP=false)`,
        {
          missed,
          edition: week,
        },
      );
      return;
    }
    log.info(`the edition of ${week} was not sent at its scheduled time: sending it now`, {
      missed,
      edition: week,
    });
    await cycle('catch-up', week)();
  };
  // A failure here (the database, say) is logged; the schedule itself keeps running.
  const ready = startup().catch((error: unknown) => {
    log.error(`start-up work failed: ${(error as Error).message}`);
  });

  return {
    spec,
    task,
    ready,
    nextRun: () => nextRunTime(spec),
    async stop() {
      if (stopping) return;
      stopping = true;
      await task.stop();
      await task.destroy();
      controller.abort(new Error('the scheduler is stopping'));
      await mailboxTimer.stop();
      await ready;
      await current;
      clearInterval(heartbeat);
      lease.release();
      log.info('scheduler stopped');
    },
  };
}
