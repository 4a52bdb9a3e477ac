// Editions: an edition is an ISO week. It holds the papers its sources feature in that
// week (by featuredOn: the Daily Papers day, the arXiv submission day, the papers page's
// date line, an entry's publishedAt), plus — when it is the newest edition — the late
// arrivals: papers with no featured day, and papers of weeks already covered that were
// first stored after the previous edition was frozen (by the store's insertion
// sequence, not by the clock). A paper is in one edition at most, and a paper featured
// after the week waits for its own.
import type { Edition, EditionPaper, StoredPaper } from '../types.ts';
import { addWeeks, isoWeekOf, weekDays, weekOfDay } from '../week.ts';

/** An edition's week and how far the store went when it was frozen (the last paper sequence number then). */
export interface EditionMark {
  id: string;
  throughSeq: number;
}

/** One line of `paperwire editions`: an edition with its delivery counts from the ledger. */
export interface EditionSummary {
  id: string;
  createdAt: string;
  paperCount: number;
  sent: number;
  failed: number;
  pending: number;
}

/** What the edition rules need from the store's editions. */
export interface EditionRepository {
  /** The stored edition with this id, or null. */
  find(id: string): Edition | null;
  /** The most recently created edition (creation order, not week order), or null. */
  latest(): EditionMark | null;
  /** Every edition, in week order. */
  marks(): EditionMark[];
  /** Writes an edition and its papers, and marks those papers as taken; call inside a transaction. */
  insert(edition: Edition, throughSeq: number): void;
  /** Deletes an edition (its ledger rows must be gone); its papers wait again. False when there is none. */
  remove(id: string): boolean;
  /** Every edition, newest first, with its paper count and delivery status counts. */
  summaries(): EditionSummary[];
}

/** Which waiting papers (in no edition yet) an edition of the week `monday`–`sunday` takes. */
export interface EditionPaperQuery {
  /** The week's first and last day, `YYYY-MM-DD`: papers featured on these days and between. */
  monday: string;
  sunday: string;
  /**
   * Also the late arrivals: papers with no featured day, and papers featured on or before `through`
   * (the previous edition's Sunday; null: none) stored after `afterSeq`. Null: the week's papers only.
   */
  late: { afterSeq: number; through: string | null } | null;
}

/** How many waiting papers (in no edition yet) are featured on one day (null: no day given). */
export interface WaitingDay {
  day: string | null;
  papers: number;
}

/** What the edition rules need from the store: its editions, its papers, and one write transaction. */
export interface EditionStore {
  editions: EditionRepository;
  papers: {
    forEdition(query: EditionPaperQuery): StoredPaper[];
    waitingDays(): WaitingDay[];
    lastSeq(): number;
  };
  /** Runs `body` in one IMMEDIATE transaction. */
  transaction<T>(body: () => T): T;
}

/** What the papers of a week would make: the week's stored edition, a new one, or nothing new. */
export type EditionPlan =
  | { status: 'existing'; edition: Edition }
  | { status: 'new'; edition: Edition; throughSeq: number }
  | { status: 'nothing-new'; previousId: string | null };

/** What freezeEdition did: made a new edition, found the week's existing one, or found nothing new. */
export type FreezeResult =
  | { status: 'created' | 'existing'; edition: Edition }
  | { status: 'nothing-new'; previousId: string | null };

/** Orders papers for an edition: most upvotes first (unknown last), then source order. */
export function rankPapers(papers: readonly StoredPaper[]): EditionPaper[] {
  return [...papers]
    .sort((a, b) => (b.upvotes ?? -1) - (a.upvotes ?? -1) || a.seq - b.seq)
    .map((paper, index) => ({ rank: index + 1, paper }));
}

/** The edition before week `week` (in week order), or null. */
function previousOf(marks: readonly EditionMark[], week: string): EditionMark | null {
  return marks.filter((mark) => mark.id < week).at(-1) ?? null;
}

/**
 * The editions of weeks more than one week after `now`'s: made with a clock that was ahead (or
 * by an older paperwire, which let `--week` name any week). They do not count as later editions.
 */
export function futureEditions(marks: readonly EditionMark[], now: Date): EditionMark[] {
  const horizon = addWeeks(isoWeekOf(now), 1);
  return marks.filter((mark) => mark.id > horizon);
}

/**
 * Works out the edition of `week` (a checked ISO week id) without writing: the week's stored
 * edition if it exists, else the waiting papers featured in the week, plus the late arrivals when
 * no edition of a later week exists (a past week made afterwards holds its own week's papers only;
 * an edition of a future week, see futureEditions, does not count), ranked.
 */
export function planEdition(store: EditionStore, week: string, now: Date): EditionPlan {
  const existing = store.editions.find(week);
  if (existing) return { status: 'existing', edition: existing };
  const marks = store.editions.marks();
  const previous = previousOf(marks, week);
  const future = new Set(futureEditions(marks, now).map((mark) => mark.id));
  const newest = marks.every((mark) => mark.id < week || future.has(mark.id));
  const { from, to } = weekDays(week);
  const papers = store.papers.forEdition({
    monday: from,
    sunday: to,
    late: newest
      ? { afterSeq: previous?.throughSeq ?? 0, through: previous ? weekDays(previous.id).to : null }
      : null,
  });
  if (papers.length === 0) return { status: 'nothing-new', previousId: previous?.id ?? null };
  return {
    status: 'new',
    edition: {
      id: week,
      createdAt: now.toISOString(),
      previousId: previous?.id ?? null,
      papers: rankPapers(papers),
    },
    throughSeq: store.papers.lastSeq(),
  };
}

/**
 * Creates the edition of `week` (or returns the week's existing one), as planEdition works it
 * out, with a frozen snapshot of each paper. Plans and writes in one IMMEDIATE transaction, so two
 * processes at once make one edition and no paper is in two.
 */
export function freezeEdition(store: EditionStore, week: string, now: Date): FreezeResult {
  return store.transaction((): FreezeResult => {
    const plan = planEdition(store, week, now);
    if (plan.status !== 'new') return plan;
    store.editions.insert(plan.edition, plan.throughSeq);
    return { status: 'created', edition: plan.edition };
  });
}

/** A week and how many waiting papers are featured in it. */
export interface WeekPapers {
  week: string;
  papers: number;
}

/** How many weeks back from the due one `missed` looks. */
export const MISSED_WEEKS_LOOKBACK = 8;

/** What is left over around the edition due now (`dueWeek`). */
export interface Backlog {
  /** Waiting papers featured after the due week, by week: their editions are not due yet. */
  waiting: WeekPapers[];
  /**
   * Weeks of the last MISSED_WEEKS_LOOKBACK before the due one, after the first edition, that have
   * no edition (the job was off): not sent by themselves, only with `send --week W`. Oldest first.
   */
  missed: WeekPapers[];
}

/**
 * The papers waiting for a week that is not due yet, and the weeks skipped: those with waiting
 * papers, and with `emptyWeeks` (live sources, which can still fetch a past week) those with none
 * stored too.
 */
export function editionBacklog(store: EditionStore, dueWeek: string, emptyWeeks = false): Backlog {
  const byWeek = new Map<string, number>();
  for (const { day, papers } of store.papers.waitingDays()) {
    if (day === null) continue;
    const week = weekOfDay(day);
    byWeek.set(week, (byWeek.get(week) ?? 0) + papers);
  }
  const waiting = [...byWeek]
    .filter(([week]) => week > dueWeek)
    .map(([week, papers]) => ({ week, papers }))
    .sort((a, b) => (a.week < b.week ? -1 : 1));
  const marks = store.editions.marks();
  const made = new Set(marks.map((mark) => mark.id));
  const first = marks[0]?.id;
  const missed: WeekPapers[] = [];
  for (let back = MISSED_WEEKS_LOOKBACK; back >= 1 && first !== undefined; back--) {
    const week = addWeeks(dueWeek, -back);
    const papers = byWeek.get(week) ?? 0;
    if (week > first && !made.has(week) && (papers > 0 || emptyWeeks)) missed.push({ week, papers });
  }
  return { waiting, missed };
}
