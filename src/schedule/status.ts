// `paperwire status`: what the operator of an unattended job wants at a glance —
// the schedule and its next run, the last edition and how its delivery went,
// suppressed addresses, the last run and the last error, and who holds a lock.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { relative } from 'node:path';
import type { Config } from '../config/index.ts';
import { listEditions } from '../edition/index.ts';
import { PaperwireError } from '../errors.ts';
import { type MailboxStatus, mailboxEvent, mailboxStatus, mailboxStatusLines } from '../mailbox/status.ts';
import { openStore, type Store } from '../store/index.ts';
import { type LockHolder, processIsAlive } from '../store/locks.ts';
import { listMailboxEvents, mailboxCounts } from '../store/mailbox.ts';
import { listSuppressions } from '../store/suppressions.ts';
import { deliverabilityWarnings } from '../unsubscribe/checks.ts';
import { formatScheduleTime, nextRunTime, scheduleSpec, scheduleZone } from './cron.ts';
import { lastRun, lastRunWithError, type RunRecord } from './runs.ts';

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
  lastEdition: {
    id: string;
    createdAt: string;
    papers: number;
    sent: number;
    failed: number;
    pending: number;
  } | null;
  editions: number;
  suppressed: number;
  lastRun: RunRecord | null;
  lastError: { runId: number; kind: string; at: string; error: string } | null;
  locks: LockState[];
  /** What the configuration leaves out of the bulk-sender rules (SMTP sends only). */
  deliverability: string[];
  /** The mailbox: where, and the bounces, complaints and mailto: unsubscribes it recorded. */
  mailbox: MailboxStatus;
}

/** Every lock in the store, with whether its holder is alive. */
export function listLocks(store: Store): LockState[] {
  const rows = store.db
    .prepare('SELECT name, pid, host, acquired_at AS acquiredAt FROM locks ORDER BY name')
    .all() as LockHolder[];
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
  const remove = store.db.prepare('DELETE FROM locks WHERE name = ? AND pid = ? AND host = ?');
  for (const lock of locks) remove.run(lock.name, lock.pid, lock.host);
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

/** Gathers the status; reads the database without creating it when there is none yet. */
export function collectStatus(config: Config): StatusReport {
  const report: StatusReport = {
    schedule: scheduleReport(config),
    database: { path: config.dbPath, exists: existsSync(config.dbPath) },
    lastEdition: null,
    editions: 0,
    suppressed: 0,
    lastRun: null,
    lastError: null,
    locks: [],
    deliverability: deliverabilityWarnings(config),
    mailbox: mailboxStatus(
      config.mailbox,
      { counts: { bounce: 0, complaint: 0, unsubscribe: 0, other: 0 }, lastProcessedAt: null },
      [],
    ),
  };
  if (!report.database.exists) return report;
  const store = openStore(config.dbPath);
  try {
    const editions = listEditions(store);
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
    report.suppressed = listSuppressions(store).length;
    report.lastRun = lastRun(store);
    const failed = lastRunWithError(store);
    if (failed?.error) {
      report.lastError = {
        runId: failed.id,
        kind: failed.kind,
        at: failed.finishedAt ?? failed.startedAt,
        error: failed.error,
      };
    }
    report.locks = listLocks(store);
    const events = listMailboxEvents(store).flatMap((message) => mailboxEvent(message) ?? []);
    report.mailbox = mailboxStatus(config.mailbox, mailboxCounts(store), events);
  } finally {
    store.close();
  }
  return report;
}

function duration(run: RunRecord): string {
  if (!run.finishedAt) return 'still going';
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function runCounts(run: RunRecord): string {
  const summary = run.summary as {
    sent?: number;
    skipped?: number;
    failed?: number;
    pending?: number;
  } | null;
  if (!summary || summary.sent === undefined) return '';
  const parts = [`${summary.sent} sent`, `${summary.skipped ?? 0} skipped`, `${summary.failed ?? 0} failed`];
  if (summary.pending) parts.push(`${summary.pending} left to retry`);
  return `, ${parts.join(', ')}`;
}

/** The status as lines for a terminal; paths relative to `cwd`. */
export function formatStatus(report: StatusReport, cwd: string): string[] {
  const lines: string[] = [];
  const { schedule } = report;
  lines.push(
    schedule.error
      ? `schedule: ${schedule.expression} — invalid: ${schedule.error}`
      : `schedule: ${schedule.expression} (${schedule.timezone}), catch-up ${schedule.catchUp ? 'on' : 'off'}`,
  );
  if (!schedule.error)
    lines.push(`next run: ${schedule.nextRunLocal ?? 'never (the expression has no future time)'}`);
  for (const warning of report.deliverability) lines.push(`deliverability: ${warning}`);
  const db = relative(cwd, report.database.path) || report.database.path;
  if (!report.database.exists) {
    lines.push(`database: ${db} does not exist yet (run \`paperwire run\` or \`paperwire ingest\`)`);
    return lines;
  }
  const edition = report.lastEdition;
  lines.push(
    edition
      ? `last edition: ${edition.id} (${edition.papers} papers, ${report.editions} edition${report.editions === 1 ? '' : 's'} in all): ${edition.sent} sent, ${edition.failed} failed, ${edition.pending} pending${edition.pending ? ' — the next `send`, `run` or scheduler start finishes it' : ''}`
      : 'last edition: none yet',
  );
  lines.push(`suppressed subscribers: ${report.suppressed}`);
  lines.push(...mailboxStatusLines(report.mailbox));
  const run = report.lastRun;
  lines.push(
    run
      ? `last run: #${run.id} ${run.kind}, started ${run.startedAt}, ${run.status}${run.editionId ? `, ${run.editionId}` : ''}${runCounts(run)} (${duration(run)})`
      : 'last run: none yet',
  );
  const error = report.lastError;
  lines.push(
    error
      ? `last error: ${error.error} (run #${error.runId} ${error.kind}, ${error.at})`
      : 'last error: none',
  );
  if (report.locks.length === 0) lines.push('locks: none');
  for (const lock of report.locks) {
    const state = lock.remote
      ? ' — on another host; if that process is gone, `paperwire status --clear-lock` removes it'
      : lock.alive
        ? ''
        : ' — that process is gone; the next run takes the lock over';
    lines.push(`lock: ${lock.name} held by pid ${lock.pid} on ${lock.host} since ${lock.acquiredAt}${state}`);
  }
  return lines;
}
