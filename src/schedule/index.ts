// The weekly job: one cycle (ingest → edition → delivery) by hand or on a
// node-cron schedule, never two at once, with catch-up and resume at start.
export {
  CATCH_UP_LOOKBACK_MS,
  nextRunTime,
  previousRunTime,
  type ScheduleSpec,
  scheduleSpec,
} from './cron.ts';
export {
  CYCLE_LOCK,
  type CycleOptions,
  type CycleSummary,
  cycleSources,
  pendingEditions,
  resumeEdition,
  runCycle,
} from './cycle.ts';
export { cycleLines } from './report.ts';
export type { RunKind, RunRecord, RunStatus } from './runs.ts';
export { type Scheduler, type SchedulerOptions, startScheduler } from './scheduler.ts';
