// What `paperwire status` prints: the report of src/app/status.ts as lines.
import type { StatusReport } from '../../app/status.ts';
import type { WeekPapers } from '../../edition/index.ts';
import type { LiveFetchRecord } from '../../ingest/types.ts';
import type { RunRecord } from '../../schedule/runs.ts';
import { displayPath } from '../options.ts';
import { mailboxStatusLines } from './mailbox.ts';

function schedulerLine({ running, process, lastRunAt }: StatusReport['scheduler']): string {
  const last = lastRunAt ? `last scheduled run ${lastRunAt}` : 'no scheduled run yet';
  if (running && process) {
    const beat = process.lastBeat ? `, heartbeat ${process.lastBeat}` : '';
    return `scheduler: running (pid ${process.pid} on ${process.host} since ${process.since}${beat}); ${last}`;
  }
  if (process) {
    return `scheduler: not running — pid ${process.pid} on ${process.host} ended without stopping (last heartbeat ${process.lastBeat ?? 'none'}); ${last}`;
  }
  return `scheduler: not running (\`paperwire schedule\` starts one); ${last}`;
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

/** `source hf: 2026-W48 fetched 2026-11-30T08:00:01.000Z, 3 pages, 212 items: 200 new, 12 updated …`. */
function liveSourceLine(fetch: LiveFetchRecord): string {
  const counts = `${fetch.pages} page${fetch.pages === 1 ? '' : 's'}, ${fetch.items} item${fetch.items === 1 ? '' : 's'}: ${fetch.new} new, ${fetch.updated} updated, ${fetch.rejected} rejected${fetch.otherWeeks ? `, ${fetch.otherWeeks} of another week left out` : ''}`;
  return `source ${fetch.source}: ${fetch.week} fetched ${fetch.fetchedAt}, ${counts}${fetch.error ? ` — failed: ${fetch.error}` : ''}`;
}

const papersOf = (n: number): string => `${n} paper${n === 1 ? '' : 's'}`;

/** `waiting: 3 papers of 2026-W49, …`: papers stored for a week whose edition is not due yet (status and run). */
export function waitingLine({ week, papers }: WeekPapers): string {
  return `waiting: ${papersOf(papers)} of ${week}, for its edition once that week is over`;
}

/** The due edition, the papers that wait for a later week, and the weeks skipped. */
function weekLines(report: StatusReport): string[] {
  const lines: string[] = [];
  const { due } = report;
  if (due) {
    lines.push(
      `edition due now: ${due.week} (${due.from} – ${due.to})${due.made ? ', made' : ', not made yet — the next run makes it'}`,
    );
  }
  lines.push(...report.waiting.map(waitingLine));
  for (const { week, papers } of report.missedWeeks) {
    lines.push(
      `missed: ${week} has no edition (${papersOf(papers)} stored); it is not sent by itself — \`paperwire ${report.missedCommand} --week ${week}\` sends it`,
    );
  }
  for (const week of report.futureEditions) {
    lines.push(
      `future edition: ${week} is more than a week ahead (was the clock wrong?) — \`paperwire edition --delete ${week}\` removes it if nothing of it was sent`,
    );
  }
  return lines;
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
  const { newsletter } = report;
  lines.push(
    `newsletter: ${newsletter.name} (List-Id ${newsletter.listId}), postal address ${newsletter.postalAddress ? JSON.stringify(newsletter.postalAddress) : 'not set'}`,
  );
  const archiveDir = displayPath(newsletter.archiveDir, cwd);
  lines.push(
    newsletter.archiveUrl
      ? `archive: ${newsletter.archiveUrl} (written to ${archiveDir})`
      : `archive: written to ${archiveDir}; no ARCHIVE_URL or PUBLIC_URL, so emails do not link to it`,
  );
  for (const warning of report.deliverability) lines.push(`deliverability: ${warning}`);
  const db = displayPath(report.database.path, cwd);
  if (!report.database.exists) {
    lines.push(schedulerLine(report.scheduler));
    lines.push(`database: ${db} does not exist yet (run \`paperwire run\` or \`paperwire ingest\`)`);
    return lines;
  }
  lines.push(schedulerLine(report.scheduler));
  const edition = report.lastEdition;
  lines.push(
    edition
      ? `last edition: ${edition.id} (${edition.papers} papers, ${report.editions} edition${report.editions === 1 ? '' : 's'} in all): ${edition.sent} sent, ${edition.failed} failed, ${edition.pending} pending${edition.pending ? ' — the next `send`, `run` or scheduler start finishes it' : ''}`
      : 'last edition: none yet',
  );
  lines.push(...weekLines(report));
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
  if (error?.hint) lines.push(`  hint: ${error.hint}`);
  for (const fetch of report.liveSources) lines.push(liveSourceLine(fetch));
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
