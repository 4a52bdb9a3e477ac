// Which edition `send` acts on now — the one rule that `send`, `send --dry-run`,
// `send --to`, `preview` and the preview server all follow, so that they always
// name the same edition:
//
// - `--week W` given: W's stored edition (resumed when rows are pending); else, for
//   this week or a later one, what freezing W would make now; a past week that has
//   no edition is not made afterwards (nothing).
// - no week: this week's stored edition; else what freezing this week would make
//   (when anything is new); else the latest edition when a run of it stopped with
//   rows pending (resumed); else nothing.
// - `send --retry-failed` (resolveStoredTarget): W's stored edition, or without a week
//   the latest one — only an edition that exists has failed rows; nothing is frozen.
import { isoWeekOf, planEdition } from '../edition/index.ts';
import type { Store } from '../store/index.ts';
import type { Edition } from '../types.ts';

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

/** What resolveTarget is asked: an explicit (checked) week or none, at time `now`. */
export interface TargetQuery {
  week?: string;
  now: Date;
}

/** The edition `send` acts on now; see the rules at the top of this file. Writes nothing. */
export function resolveTarget(store: Store, query: TargetQuery): Target {
  const explicit = query.week !== undefined;
  const thisWeek = isoWeekOf(query.now);
  const week = query.week ?? thisWeek;
  const stored = (edition: Edition): Target => ({
    kind: 'edition',
    edition,
    why: store.ledger.counts(edition.id).pending > 0 ? 'resumed' : 'existing',
    explicit,
  });
  const latest = store.editions.latest();

  if (explicit && week < thisWeek) {
    const edition = store.editions.find(week);
    if (edition) return stored(edition);
    return {
      kind: 'nothing',
      week,
      latestId: latest?.id ?? null,
      reason: `there is no edition ${week}`,
      hint: latest
        ? `The latest edition is ${latest.id} (\`paperwire editions\` lists them all); leave out --week for the one due now.`
        : 'No edition has been made yet; leave out --week for the one due now.',
    };
  }

  const plan = planEdition(store, week, query.now, explicit);
  if (plan.status === 'existing') return stored(plan.edition);
  if (plan.status === 'new') return { kind: 'edition', edition: plan.edition, why: 'would-create', explicit };

  // Nothing new this week: finish the latest edition if a run of it stopped early.
  if (!explicit && latest && store.ledger.counts(latest.id).pending > 0) {
    const edition = store.editions.find(latest.id);
    if (edition) return { kind: 'edition', edition, why: 'resumed', explicit };
  }
  if (!latest) {
    return {
      kind: 'nothing',
      week,
      latestId: null,
      reason: 'no papers in the store yet',
      hint: 'Run `paperwire ingest` first: with no argument it reads every file in INBOX_DIR (data/inbox/).',
    };
  }
  return {
    kind: 'nothing',
    week,
    latestId: latest.id,
    reason: `no new papers since edition ${latest.id}, which is delivered`,
    hint: `Run \`paperwire ingest\` to add papers, or look at the last edition with \`paperwire preview --week ${latest.id}\`.`,
  };
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
