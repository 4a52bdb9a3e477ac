// Run records: one per cycle (by hand, by the clock, a catch-up or a resume at
// start), so `status` can tell what happened last and the scheduler can tell
// whether the last scheduled time had its run. The store keeps them (src/store/runs.ts).
import type { Problem } from '../errors.ts';

/**
 * What started a run: `run` by hand, `scheduled` by a tick, `catch-up`/`resume` at scheduler
 * start, `send` a delivery by hand (`paperwire send`, never a cycle).
 */
export type RunKind = 'run' | 'scheduled' | 'catch-up' | 'resume' | 'send';

/**
 * How a run ended: `ok` (exit 0), `problems` (finished, but something failed or is
 * left to retry), `failed` (an error stopped it), `stopped` (SIGTERM/SIGINT),
 * `abandoned` (its process died); `running` while it goes.
 */
export type RunStatus = 'running' | 'ok' | 'problems' | 'failed' | 'stopped' | 'abandoned';

/** The kinds of run that count as "the schedule's run happened" for catch-up. */
export const CYCLE_KINDS: readonly RunKind[] = ['run', 'scheduled', 'catch-up'];

/** Statuses of a run that did its work (even with problems); stopped or abandoned ones did not. */
export const COMPLETED_STATUSES: readonly RunStatus[] = ['ok', 'problems', 'failed'];

/** One run as recorded. */
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
  /** What to do about `error`, when the error said. */
  hint: string | null;
}

/** How a run ended, as recorded by `finish`. */
export interface RunEnd {
  status: Exclude<RunStatus, 'running'>;
  editionId?: string | null;
  summary?: unknown;
  error?: string | null;
  hint?: string | null;
}

/** The error and hint of a run's end, from the Problem that ended it. */
export function runErrorOf(problem: Problem): Pick<RunEnd, 'error' | 'hint'> {
  return { error: problem.message, hint: problem.hint };
}

/** The run log as the weekly job and `status` use it. */
export interface RunLog {
  /** Records the start of a run and returns its id. */
  start(kind: RunKind): number;
  /** Records how run `id` ended. */
  finish(id: number, end: RunEnd): void;
  /**
   * Marks every `running` run as `abandoned`. Call it only while holding the cycle
   * lease: then no live process runs a cycle, so such rows were left by a killed one.
   */
  abandonUnfinished(): number;
  /** The run by id, or null. */
  get(id: number): RunRecord | null;
  /** Every run, oldest first. */
  list(): RunRecord[];
  /** The most recent run (any kind, any status), or null. */
  last(): RunRecord | null;
  /** The most recent run of one of `kinds` (any status), or null. */
  lastOf(kinds: readonly RunKind[]): RunRecord | null;
  /** The most recent run that ended with an error message, or null. */
  lastWithError(): RunRecord | null;
  /** The most recent cycle (run, scheduled, catch-up) that did its work, or null. */
  lastCompletedCycle(): RunRecord | null;
}

/** What the catch-up rule looks at when a scheduler starts. */
export interface CatchUpFacts {
  /** The schedule's most recent time before now, or null. */
  lastScheduled: Date | null;
  /** Whether the edition that time was due to send (its week, target.ts) exists. */
  editionMade: boolean;
  /** Whether any edition exists at all. */
  anyEdition: boolean;
  /** The most recent cycle that did its work (RunLog.lastCompletedCycle), or null. */
  lastCycle: RunRecord | null;
}

/**
 * True when the edition the schedule's last time was due to send is not made: the machine was off
 * then, or the run was killed, or it failed (no edition, and no cycle since that ended `ok` —
 * an `ok` run that found nothing for the week is not repeated). With no edition and no cycle on
 * record at all, nothing was missed: a new install waits for its first scheduled time instead of
 * sending the moment it starts.
 */
export function isCatchUpDue(facts: CatchUpFacts): boolean {
  const { lastScheduled, lastCycle } = facts;
  if (lastScheduled === null || facts.editionMade) return false;
  if (lastCycle === null) return facts.anyEdition;
  const ranSince = Date.parse(lastCycle.startedAt) >= lastScheduled.getTime();
  return !(ranSince && lastCycle.status === 'ok');
}
