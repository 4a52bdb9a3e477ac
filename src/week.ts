// ISO 8601 week ids (`2026-W48`): an edition's id, and the dates it covers.
import { PaperwireError } from './errors.ts';

const DAY_MS = 86_400_000;
const WEEK_ID = /^(\d{4})-W(\d{2})$/;

/** The Monday (00:00 UTC) of ISO week 1 of `year`: the week holding 4 January. */
function firstMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - weekday * DAY_MS;
}

/** How many ISO weeks `year` has (52 or 53). */
function weeksInYear(year: number): number {
  return Math.round((firstMonday(year + 1) - firstMonday(year)) / (7 * DAY_MS));
}

/** The ISO week of `date` (in UTC) as an edition id, e.g. `2026-W48`. */
export function isoWeekOf(date: Date): string {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  // The ISO year is the year of this week's Thursday.
  const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - firstMonday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The year and week of `id` when it is a real `YYYY-Www` week (01 to 52, or 53 in some years), else null. */
function weekParts(id: string): { year: number; week: number } | null {
  const match = WEEK_ID.exec(id.trim());
  const year = Number(match?.[1]);
  const week = Number(match?.[2]);
  return match && week >= 1 && week <= weeksInYear(year) ? { year, week } : null;
}

/** True when `id` is a real ISO week id such as `2026-W48`. */
export function isIsoWeek(id: string): boolean {
  return weekParts(id) !== null;
}

/** Checks a week id given on the command line; throws E_USAGE unless it is a real `YYYY-Www` week. */
export function parseWeek(id: string): { year: number; week: number } {
  const parts = weekParts(id);
  if (!parts) {
    throw new PaperwireError('E_USAGE', `--week ${JSON.stringify(id)} is not an ISO week`, {
      hint: `Write the week as YYYY-Www, e.g. 2026-W48 (weeks run from 01 to 52, or 53 in some years).`,
    });
  }
  return parts;
}

/** The first (Monday) and last (Sunday) day of an ISO week id, as UTC midnights. */
export function weekRange(id: string): { monday: Date; sunday: Date } {
  const { year, week } = parseWeek(id);
  const monday = firstMonday(year) + (week - 1) * 7 * DAY_MS;
  return { monday: new Date(monday), sunday: new Date(monday + 6 * DAY_MS) };
}

/** The ISO week of a calendar day `YYYY-MM-DD`. */
export function weekOfDay(day: string): string {
  return isoWeekOf(new Date(`${day}T00:00:00Z`));
}

/** The week `count` weeks after `id` (before it when `count` is negative). */
export function addWeeks(id: string, count: number): string {
  return isoWeekOf(new Date(weekRange(id).monday.getTime() + count * 7 * DAY_MS));
}

/** The Monday and Sunday of week `id` as calendar days, `{from: '2026-11-23', to: '2026-11-29'}`. */
export function weekDays(id: string): { from: string; to: string } {
  const { monday, sunday } = weekRange(id);
  return { from: monday.toISOString().slice(0, 10), to: sunday.toISOString().slice(0, 10) };
}

/** The calendar day (`YYYY-MM-DD`) that `date` falls on in `timeZone` (undefined: the system's zone). */
export function dayIn(date: Date, timeZone: string | undefined): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}
