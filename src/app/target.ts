// Which edition the commands act on now — the one rule that `send`, `send --dry-run`,
// `send --to`, `preview`, the preview server, `edition` and the weekly job all follow,
// so that they always name the same edition:
//
// - The week: `--week W` when given; else the week due now by EDITION_WEEK — the most
//   recent complete ISO week (Monday–Sunday in SCHEDULE_TZ) by default, so the Monday
//   run sends last week; `current` for the week in progress. A week more than one week
//   after the current one is refused (a wrong clock or a typo would otherwise freeze an
//   edition years ahead).
// - That week's stored edition (resumed when rows are pending); else what freezing the
//   week would make now (its papers, see src/edition/index.ts; for a past week too).
// - With no week given and nothing for the due week: the latest edition when a run of
//   it stopped with rows pending (resumed); else nothing, saying why (papers waiting
//   for a later week, say).
// - `send --retry-failed` (resolveStoredTarget): W's stored edition, or without a week
//   the latest one — only an edition that exists has failed rows; nothing is frozen.
import type { Config } from '../config/index.ts';
import { editionBacklog, planEdition } from '../edition/index.ts';
import { PaperwireError } from '../errors.ts';
import { isValidTimeZone } from '../schedule/cron.ts';
import type { Store } from '../store/index.ts';
import type { Edition } from '../types.ts';
import { addWeeks, dayIn, weekDays, weekOfDay } from '../week.ts';

/** Why an edition is the target: it exists, a stopped run of it is finished, or `send` would freeze it now. */
export type TargetWhy = 'existing' | 'resumed' | 'would-create';

/** The edition `send` acts on now, or why there is none. */
export type Target =
  | {
      kind: 'edition';
      edition: Edition;
      why: TargetWhy;
      /** True when the week was asked for (`--week`). */
      explicit: boolean;
    }
  | {
      kind: 'nothing';
      /** The week that was looked at. */
      week: string;
      /** The latest edition, if any. */
      latestId: string | null;
      /** Why nothing is due, for people: `no new papers since edition 2026-W48, which is delivered`. */
      reason: string;
      /** What to do about it. */
      hint: string;
    };

/** The settings the week rule reads: SCHEDULE_TZ and EDITION_WEEK. */
export interface WeekSettings {
  /** An IANA zone; undefined for the system's. */
  timeZone: string | undefined;
  editionWeek: Config['editionWeek'];
}

/** What resolveTarget is asked: an explicit (checked) week or none, at time `now`, under `settings`. */
export interface TargetQuery {
  week?: string;
  now: Date;
  settings: WeekSettings;
}

/** The week settings of `config`; E_CONFIG when SCHEDULE_TZ is not a zone this Node.js knows. */
export function weekSettings(config: Pick<Config, 'scheduleTz' | 'editionWeek'>): WeekSettings {
  if (config.scheduleTz !== null && !isValidTimeZone(config.scheduleTz)) {
    throw new PaperwireError(
      'E_CONFIG',
      `SCHEDULE_TZ=${JSON.stringify(config.scheduleTz)} is not a known time zone`,
      {
        hint: 'Use an IANA zone name such as Europe/Berlin or UTC, or leave SCHEDULE_TZ unset for the system zone.',
      },
    );
  }
  return { timeZone: config.scheduleTz ?? undefined, editionWeek: config.editionWeek };
}

/** The ISO week `now` falls in, Monday to Sunday in the settings' zone. */
export function currentWeek(now: Date, settings: WeekSettings): string {
  return weekOfDay(dayIn(now, settings.timeZone));
}

/** The week whose edition is due at `now` by EDITION_WEEK: the last complete week, the current one, or the fixed one. */
export function dueWeek(now: Date, settings: WeekSettings): string {
  const current = currentWeek(now, settings);
  if (settings.editionWeek === 'current') return current;
  if (settings.editionWeek === 'previous') return addWeeks(current, -1);
  return settings.editionWeek;
}

/**
 * The week `paperwire ingest` fetches from live sources without --week: the due week while its
 * edition is not frozen (Monday's `ingest` then `send` sends last week with its papers), else the
 * current week, which the next edition will hold.
 */
export function ingestWeek(store: Store, now: Date, settings: WeekSettings): string {
  const due = dueWeek(now, settings);
  return store.editions.find(due) ? currentWeek(now, settings) : due;
}

/**
 * The week an edition of `query` covers: the explicit one, else the due one. E_USAGE (E_CONFIG for
 * a fixed EDITION_WEEK) when it is more than one week after the current week.
 */
export function targetWeek(query: TargetQuery): string {
  const week = query.week ?? dueWeek(query.now, query.settings);
  const current = currentWeek(query.now, query.settings);
  const latest = addWeeks(current, 1);
  if (week > latest) {
    const named = query.week !== undefined ? `--week ${week}` : `EDITION_WEEK=${week}`;
    const { from } = weekDays(week);
    throw new PaperwireError(
      query.week !== undefined ? 'E_USAGE' : 'E_CONFIG',
      `${named} is in the future: it starts on ${from}, and this is week ${current} (by this machine's clock)`,
      {
        hint: `An edition can be made for a week up to ${latest}; its papers are only known once the week has come. If the clock is wrong, fix it first.`,
      },
    );
  }
  return week;
}

/** The edition `send` acts on now; see the rules at the top of this file. Writes nothing. */
export function resolveTarget(store: Store, query: TargetQuery): Target {
  const explicit = query.week !== undefined;
  const week = targetWeek(query);
  const stored = (edition: Edition): Target => ({
    kind: 'edition',
    edition,
    why: store.ledger.counts(edition.id).pending > 0 ? 'resumed' : 'existing',
    explicit,
  });

  const plan = planEdition(store, week, query.now);
  if (plan.status === 'existing') return stored(plan.edition);
  if (plan.status === 'new') return { kind: 'edition', edition: plan.edition, why: 'would-create', explicit };

  // Nothing for the due week: finish the latest edition if a run of it stopped early.
  const latest = store.editions.latest();
  if (!explicit && latest && store.ledger.counts(latest.id).pending > 0) {
    const edition = store.editions.find(latest.id);
    if (edition) return { kind: 'edition', edition, why: 'resumed', explicit };
  }
  const nothing = (reason: string, hint: string): Target => ({
    kind: 'nothing',
    week,
    latestId: latest?.id ?? null,
    reason,
    hint,
  });
  if (store.papers.lastSeq() === 0) {
    return nothing(
      'no papers in the store yet',
      'Run `paperwire ingest` first: with no argument it reads SOURCES (hf by default) and INBOX_DIR.',
    );
  }
  const { from, to } = weekDays(week);
  const next = editionBacklog(store, week).waiting[0];
  if (next) {
    return nothing(
      `no new papers for ${week} (${from} – ${to}); ${next.papers} wait for the edition of ${next.week}`,
      `The edition of ${next.week} is due once that week is over; \`paperwire status\` lists what waits.`,
    );
  }
  if (latest) {
    return nothing(
      `no new papers since edition ${latest.id}, which is delivered`,
      `Run \`paperwire ingest\` to add papers, or look at the last edition with \`paperwire preview --week ${latest.id}\`.`,
    );
  }
  return nothing(
    `no papers featured in ${week} (${from} – ${to})`,
    'Ingest the papers of that week (`paperwire ingest hf --week W`), or name another week with --week.',
  );
}

/** The edition `send --retry-failed` acts on: `week`'s stored edition, else the latest; see the rules above. */
export function resolveStoredTarget(store: Store, week: string | undefined): Target {
  const latest = store.editions.latest();
  const id = week ?? latest?.id;
  const edition = id === undefined ? null : store.editions.find(id);
  if (edition) {
    const why = store.ledger.counts(edition.id).pending > 0 ? 'resumed' : 'existing';
    return { kind: 'edition', edition, why, explicit: week !== undefined };
  }
  return {
    kind: 'nothing',
    week: id ?? '',
    latestId: latest?.id ?? null,
    reason: id === undefined ? 'no edition has been made yet' : `there is no edition ${id}`,
    hint: latest
      ? `The latest edition is ${latest.id} (\`paperwire editions\` lists them all).`
      : 'Nothing was sent yet, so nothing failed: run `paperwire send`.',
  };
}
