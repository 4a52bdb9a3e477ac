// Run records in the `runs` table: one row per cycle (by hand, by the clock, a
// catch-up or a resume at start), so `status` can tell what happened last and the
// scheduler can tell whether the last scheduled time had its run.
import { nowIso, type Store } from '../store/index.ts';

/** What started a run: `run` by hand, `scheduled` by a tick, `catch-up`/`resume` at scheduler start. */
export type RunKind = 'run' | 'scheduled' | 'catch-up' | 'resume';

/**
 * How a run ended: `ok` (exit 0), `problems` (finished, but something failed or is
 * left to retry), `failed` (an error stopped it), `stopped` (SIGTERM/SIGINT),
 * `abandoned` (its process died); `running` while it goes.
 */
export type RunStatus = 'running' | 'ok' | 'problems' | 'failed' | 'stopped' | 'abandoned';

/** The kinds of run that count as "the schedule's run happened" for catch-up. */
export const CYCLE_KINDS: readonly RunKind[] = ['run', 'scheduled', 'catch-up'];

/** Statuses of a run that did its work (even with problems); stopped or abandoned ones did not. */
const COMPLETED: readonly RunStatus[] = ['ok', 'problems', 'failed'];

/** One row of the `runs` table. */
export interface RunRecord {
  id: number;
  kind: RunKind;
  startedAt: string;
  finishedAt: string | null;
  editionId: string | null;
  status: RunStatus;
  /** The run's summary object (counts, duration), as stored. */
  summary: unknown;
  error: string | null;
}

interface RunRow extends Omit<RunRecord, 'summary'> {
  summary: string | null;
}

const SELECT = `SELECT id, kind, started_at AS startedAt, finished_at AS finishedAt, edition_id AS editionId,
  status, summary, error FROM runs`;

function toRecord(row: RunRow | undefined): RunRecord | null {
  if (!row) return null;
  return { ...row, summary: row.summary === null ? null : JSON.parse(row.summary) };
}

/** Records the start of a run and returns its id. */
export function startRun(store: Store, kind: RunKind): number {
  const result = store.db
    .prepare("INSERT INTO runs (kind, started_at, status) VALUES (?, ?, 'running')")
    .run(kind, nowIso());
  return Number(result.lastInsertRowid);
}

/** Records how run `id` ended. */
export function finishRun(
  store: Store,
  id: number,
  end: {
    status: Exclude<RunStatus, 'running'>;
    editionId?: string | null;
    summary?: unknown;
    error?: string | null;
  },
): void {
  store.db
    .prepare(
      'UPDATE runs SET finished_at = ?, status = ?, edition_id = ?, summary = ?, error = ? WHERE id = ?',
    )
    .run(
      nowIso(),
      end.status,
      end.editionId ?? null,
      end.summary === undefined ? null : JSON.stringify(end.summary),
      end.error ?? null,
      id,
    );
}

/**
 * Marks every `running` row as `abandoned`. Call it only while holding the
 * `cycle` lock: then no live process can be running a cycle, so such rows are
 * left by a killed one.
 */
export function abandonUnfinishedRuns(store: Store): number {
  return store.db
    .prepare("UPDATE runs SET status = 'abandoned', finished_at = ?, error = ? WHERE status = 'running'")
    .run(nowIso(), 'the process running it ended before it finished (killed or crashed)').changes;
}

/** The run by id, or null. */
export function getRun(store: Store, id: number): RunRecord | null {
  return toRecord(store.db.prepare(`${SELECT} WHERE id = ?`).get(id) as RunRow | undefined);
}

/** The most recent run (any kind, any status), or null. */
export function lastRun(store: Store): RunRecord | null {
  return toRecord(store.db.prepare(`${SELECT} ORDER BY id DESC LIMIT 1`).get() as RunRow | undefined);
}

/** The most recent run that ended with an error message, or null. */
export function lastRunWithError(store: Store): RunRecord | null {
  return toRecord(
    store.db.prepare(`${SELECT} WHERE error IS NOT NULL ORDER BY id DESC LIMIT 1`).get() as
      | RunRow
      | undefined,
  );
}

/** The most recent cycle (run, scheduled, catch-up) that did its work, or null. */
export function lastCompletedCycle(store: Store): RunRecord | null {
  const kinds = CYCLE_KINDS.map(() => '?').join(', ');
  const statuses = COMPLETED.map(() => '?').join(', ');
  const row = store.db
    .prepare(
      `${SELECT} WHERE kind IN (${kinds}) AND status IN (${statuses}) ORDER BY started_at DESC, id DESC LIMIT 1`,
    )
    .get(...CYCLE_KINDS, ...COMPLETED) as RunRow | undefined;
  return toRecord(row);
}

/**
 * True when the schedule's last time (`lastScheduled`) passed without a cycle
 * that started at or after it: the machine was off, or the run was killed. With
 * no cycle on record at all, nothing was missed: a new install waits for its
 * first scheduled time instead of sending the moment it starts.
 */
export function isCatchUpDue(lastScheduled: Date | null, lastCycle: RunRecord | null): boolean {
  if (lastScheduled === null || lastCycle === null) return false;
  return Date.parse(lastCycle.startedAt) < lastScheduled.getTime();
}
