// `paperwire status`: what the operator of an unattended job wants at a glance —
// the schedule and its next run, whether a scheduler is running, the last edition
// and how its delivery went, suppressed addresses, the last run and the last error,
// and who holds a lock. Loads no template or mail code, so it answers fast.
import { hostname } from 'node:os';
import type { Config } from '../config/index.ts';
import { editionBacklog, futureEditions, type WeekPapers } from '../edition/index.ts';
import { PaperwireError } from '../errors.ts';
import { isLiveSource } from '../ingest/sources.ts';
import type { LiveFetchRecord } from '../ingest/types.ts';
import { type MailboxStatus, mailboxEvent, mailboxStatus } from '../mailbox/status.ts';
import { formatScheduleTime, nextRunTime, scheduleSpec, scheduleZone } from '../schedule/cron.ts';
import { HEARTBEAT_MS, type LockHolder, processIsAlive, SCHEDULER_LOCK } from '../schedule/leases.ts';
import type { RunKind, RunRecord } from '../schedule/runs.ts';
import type { Store } from '../store/index.ts';
import { deliverabilityWarnings } from '../unsubscribe/checks.ts';
import { weekDays } from '../week.ts';
import { dueWeek, weekSettings } from './target.ts';

/** A lock row, with whether its holder is still there. */
export interface LockState extends LockHolder {
  /** False when the holder is a dead process on this host: the next run takes the lock over by itself. */
  alive: boolean;
  /** True when the holder runs on another host: only `status --clear-lock` can remove a lock it left. */
  remote: boolean;
}

/** Everything `paperwire status` reports (also its `--json` output). */
export interface StatusReport {
  schedule: {
    expression: string;
    timezone: string;
    catchUp: boolean;
    /** ISO 8601, or null when the schedule is invalid or never fires again. */
    nextRun: string | null;
    /** The next run in the schedule's zone, for people. */
    nextRunLocal: string | null;
    /** Why SCHEDULE or SCHEDULE_TZ is unusable, or null. */
    error: string | null;
  };
  database: { path: string; exists: boolean };
  /** Who the newsletter is: LIST_NAME, LIST_ID, POSTAL_ADDRESS, and where its web archive is. */
  newsletter: {
    name: string;
    listId: string;
    postalAddress: string | null;
    /** ARCHIVE_URL (or PUBLIC_URL/archive), or null. */
    archiveUrl: string | null;
    /** The folder `paperwire archive` writes. */
    archiveDir: string;
  };
  /** The scheduler of this state folder: its lease and heartbeat while one runs, and its last run. */
  scheduler: {
    /** True while its process is alive (this host) or its heartbeat is fresh (another host). */
    running: boolean;
    /** The holder of the scheduler lease, or null when none holds it (stopped cleanly, or never started). */
    process: { pid: number; host: string; since: string; lastBeat: string | null } | null;
    /** When the scheduler last started a run (scheduled, catch-up or resume), or null. */
    lastRunAt: string | null;
  };
  lastEdition: {
    id: string;
    createdAt: string;
    papers: number;
    sent: number;
    failed: number;
    pending: number;
  } | null;
  editions: number;
  /** The week whose edition is due now (EDITION_WEEK, in SCHEDULE_TZ) and whether it is made; null when SCHEDULE_TZ is invalid. */
  due: { week: string; from: string; to: string; made: boolean } | null;
  /** Papers stored for a week whose edition is not due yet, by week. */
  waiting: WeekPapers[];
  /** Weeks between the last edition and the due one that have no edition: not sent by themselves. */
  missedWeeks: WeekPapers[];
  /** The command that sends a missed week: `run` (live sources fetch it first) or `send`. */
  missedCommand: 'run' | 'send';
  /** Editions of weeks more than one week ahead (made while the clock was ahead): `edition --delete W`. */
  futureEditions: string[];
  suppressed: number;
  lastRun: RunRecord | null;
  lastError: { runId: number; kind: string; at: string; error: string; hint: string | null } | null;
  locks: LockState[];
  /** The mailbox: where, and the bounces, complaints and mailto: unsubscribes it recorded. */
  mailbox: MailboxStatus;
  /** The last fetch of each live source (`hf`, `arxiv:QUERY`): when, which week, what came back. */
  liveSources: LiveFetchRecord[];
  /** What the configuration leaves out of the bulk-sender rules (SMTP sends only). */
  deliverability: string[];
}

/** Every lock in the store, with whether its holder is alive. */
export function listLocks(store: Store): LockState[] {
  const rows = store.leases.list();
  const here = hostname();
  return rows.map((row) => ({
    ...row,
    remote: row.host !== here,
    alive: row.host !== here || processIsAlive(row.pid),
  }));
}

/**
 * Removes lock `name` (or every lock) unless a live process on this host holds
 * it; for a lock left by a process on another host, which cannot be checked from here.
 */
export function clearLocks(store: Store, name?: string): LockState[] {
  const locks = listLocks(store).filter((lock) => name === undefined || lock.name === name);
  const live = locks.find((lock) => !lock.remote && lock.alive && lock.pid !== process.pid);
  if (live) {
    throw new PaperwireError(
      'E_LOCKED',
      `the ${live.name} lock is held by pid ${live.pid} on this host, which is still running`,
      {
        hint: `Let it finish, or stop it first (kill ${live.pid}); a lock whose process is gone is taken over by itself.`,
      },
    );
  }
  for (const lock of locks) store.leases.remove(lock);
  return locks;
}

function scheduleReport(config: Config): StatusReport['schedule'] {
  try {
    const spec = scheduleSpec(config);
    const next = nextRunTime(spec);
    return {
      expression: config.schedule,
      timezone: scheduleZone(spec),
      catchUp: config.scheduleCatchUp,
      nextRun: next?.toISOString() ?? null,
      nextRunLocal: next ? formatScheduleTime(next, spec) : null,
      error: null,
    };
  } catch (error) {
    return {
      expression: config.schedule,
      timezone: config.scheduleTz ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      catchUp: config.scheduleCatchUp,
      nextRun: null,
      nextRunLocal: null,
      error: (error as Error).message,
    };
  }
}

/** The kinds of run a scheduler starts. */
const SCHEDULER_RUNS: readonly RunKind[] = ['scheduled', 'catch-up', 'resume'];

/** The scheduler's state from its lock (alive on this host, or beating lately on another) and its runs. */
function schedulerState(store: Store, lock: LockState | undefined, now: Date): StatusReport['scheduler'] {
  const lastRunAt = store.runs.lastOf(SCHEDULER_RUNS)?.startedAt ?? null;
  if (!lock) return { running: false, process: null, lastRunAt };
  const beat = lock.beatAt ? Date.parse(lock.beatAt) : Number.NaN;
  const fresh = now.getTime() - beat < 3 * HEARTBEAT_MS;
  return {
    running: lock.remote ? fresh : lock.alive,
    process: { pid: lock.pid, host: lock.host, since: lock.acquiredAt, lastBeat: lock.beatAt },
    lastRunAt,
  };
}

/** Gathers the status; `store` is null when there is no database yet (status never creates one). */
export function collectStatus(config: Config, store: Store | null, now: Date): StatusReport {
  const report: StatusReport = {
    schedule: scheduleReport(config),
    database: { path: config.dbPath, exists: store !== null },
    newsletter: {
      name: config.listName,
      listId: config.listId,
      postalAddress: config.postalAddress,
      archiveUrl: config.archiveUrl,
      archiveDir: config.archiveDir,
    },
    scheduler: { running: false, process: null, lastRunAt: null },
    lastEdition: null,
    editions: 0,
    due: null,
    waiting: [],
    missedWeeks: [],
    missedCommand: config.sources.some(isLiveSource) ? 'run' : 'send',
    futureEditions: [],
    suppressed: 0,
    lastRun: null,
    lastError: null,
    locks: [],
    liveSources: [],
    mailbox: mailboxStatus(
      config.mailbox,
      { counts: { bounce: 0, complaint: 0, unsubscribe: 0, other: 0 }, lastProcessedAt: null },
      [],
    ),
    deliverability: deliverabilityWarnings(config),
  };
  if (!store) return report;
  const editions = store.editions.summaries();
  const latest = editions[0];
  report.editions = editions.length;
  if (latest) {
    report.lastEdition = {
      id: latest.id,
      createdAt: latest.createdAt,
      papers: latest.paperCount,
      sent: latest.sent,
      failed: latest.failed,
      pending: latest.pending,
    };
  }
  try {
    const week = dueWeek(now, weekSettings(config));
    // The summaries already name every edition: no need to load the week's papers to know.
    report.due = { week, ...weekDays(week), made: editions.some((edition) => edition.id === week) };
    const backlog = editionBacklog(store, week, report.missedCommand === 'run');
    report.waiting = backlog.waiting;
    report.missedWeeks = backlog.missed;
    report.futureEditions = futureEditions(store.editions.marks(), now).map((mark) => mark.id);
  } catch {
    // An invalid SCHEDULE_TZ is reported with the schedule.
  }
  report.suppressed = store.suppressions.list().length;
  report.lastRun = store.runs.last();
  const failed = store.runs.lastWithError();
  if (failed?.error) {
    report.lastError = {
      runId: failed.id,
      kind: failed.kind,
      at: failed.finishedAt ?? failed.startedAt,
      error: failed.error,
      hint: failed.hint,
    };
  }
  const locks = listLocks(store);
  report.scheduler = schedulerState(
    store,
    locks.find((lock) => lock.name === SCHEDULER_LOCK),
    now,
  );
  report.locks = locks.filter((lock) => lock.name !== SCHEDULER_LOCK);
  report.liveSources = store.liveFetches.latest();
  const events = store.mailbox.events().flatMap((message) => mailboxEvent(message) ?? []);
  report.mailbox = mailboxStatus(config.mailbox, store.mailbox.counts(), events);
  return report;
}
