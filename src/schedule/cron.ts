// The schedule's times: checking SCHEDULE and SCHEDULE_TZ up front, and the
// scheduled instants before and after a moment. node-cron has no "previous
// match", so it is found by walking back minute by minute with node-cron's own
// matcher (so `L`, `W`, `#` and time zones mean exactly what they mean to the tick).
import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';

/** How far back the last scheduled time is looked for: a weekly schedule plus a day. */
export const CATCH_UP_LOOKBACK_MS = 8 * 24 * 60 * 60 * 1000;

const MINUTE_MS = 60_000;

/** The schedule settings, checked: a valid cron expression and a known time zone (undefined = the system's). */
export interface ScheduleSpec {
  expression: string;
  timezone: string | undefined;
}

/** True when `zone` is an IANA time zone this Node.js knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Checks SCHEDULE and SCHEDULE_TZ, throwing E_CONFIG naming the variable, so a bad one fails at start, not at the first tick. */
export function scheduleSpec(config: Pick<Config, 'schedule' | 'scheduleTz'>): ScheduleSpec {
  const detail = cron.validateDetailed(config.schedule);
  if (!detail.valid) {
    const reason = detail.errors.map((error) => error.message).join('; ');
    throw new PaperwireError(
      'E_CONFIG',
      `SCHEDULE=${JSON.stringify(config.schedule)} is not a cron expression: ${reason}`,
      {
        hint: 'Use five fields (minute hour day-of-month month day-of-week, e.g. "0 8 * * 1" for Mondays 08:00) or six with seconds first; fix SCHEDULE in .env or the environment.',
      },
    );
  }
  if (config.scheduleTz !== null && !isValidTimeZone(config.scheduleTz)) {
    throw new PaperwireError(
      'E_CONFIG',
      `SCHEDULE_TZ=${JSON.stringify(config.scheduleTz)} is not a known time zone`,
      {
        hint: 'Use an IANA zone name such as Europe/Berlin, America/New_York or UTC, or leave SCHEDULE_TZ unset for the system zone.',
      },
    );
  }
  return { expression: config.schedule, timezone: config.scheduleTz ?? undefined };
}

/** The zone the schedule runs in, for display: SCHEDULE_TZ or the system's. */
export function scheduleZone(spec: ScheduleSpec): string {
  return spec.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Runs `body` with a stopped node-cron task for `spec` (its matcher), destroying it afterwards. */
function withMatcher<T>(spec: ScheduleSpec, body: (task: ScheduledTask) => T): T {
  const task = cron.createTask(spec.expression, () => {}, { timezone: spec.timezone });
  try {
    return body(task);
  } finally {
    task.destroy();
  }
}

/** The next scheduled time after now. */
export function nextRunTime(spec: ScheduleSpec): Date | null {
  return withMatcher(spec, (task) => task.getNextRuns(1)[0] ?? null);
}

/**
 * The most recent scheduled time at or before `now`, looking back at most
 * `lookbackMs`; null when the schedule had no time in that window.
 */
export function previousRunTime(
  spec: ScheduleSpec,
  now: Date,
  lookbackMs: number = CATCH_UP_LOOKBACK_MS,
): Date | null {
  const seconds = [...cron.parse(spec.expression).second].sort((a, b) => b - a);
  const lowestSecond = seconds.at(-1) ?? 0;
  const end = now.getTime() - lookbackMs;
  return withMatcher(spec, (task) => {
    for (let minute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS; minute >= end; minute -= MINUTE_MS) {
      // The second field is independent of the others: if the minute does not
      // match at one allowed second, it matches at none.
      if (!task.match(new Date(minute + lowestSecond * 1000))) continue;
      for (const second of seconds) {
        const candidate = minute + second * 1000;
        if (candidate <= now.getTime() && candidate >= end && task.match(new Date(candidate))) {
          return new Date(candidate);
        }
      }
    }
    return null;
  });
}

/** A time for log lines and status, in the schedule's zone: `2026-11-30 08:00:00 Europe/Berlin`. */
export function formatScheduleTime(date: Date, spec: ScheduleSpec): string {
  const zone = scheduleZone(spec);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${zone}`;
}
