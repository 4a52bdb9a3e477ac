// Editions: the papers first seen since the previous edition, ranked and frozen
// under an ISO week id. Selection goes by the store's insertion sequence, not by
// dates, so a wrong clock can neither skip a paper nor send one twice.
import { PaperwireError } from '../errors.ts';
import type { Edition, EditionPaper, StoredPaper } from '../types.ts';

export { isoWeekOf, parseWeek, weekRange } from '../week.ts';

/** Where the latest edition stands: its id and the last paper (by store sequence) it covers. */
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
  /** Writes an edition and its papers; call inside a transaction. */
  insert(edition: Edition, throughSeq: number): void;
  /** Every edition, newest first, with its paper count and delivery status counts. */
  summaries(): EditionSummary[];
}

/** What the edition rules need from the store: its editions, its papers, and one write transaction. */
export interface EditionStore {
  editions: EditionRepository;
  papers: { list(query: { afterSeq: number }): StoredPaper[] };
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

/**
 * Works out the edition of `week` (a checked ISO week id) without writing: the week's
 * stored edition if it exists, else the papers stored since the previous edition, ranked.
 * `explicit` says whether the week was asked for (it only changes the hint of an error).
 */
export function planEdition(store: EditionStore, week: string, now: Date, explicit = false): EditionPlan {
  const existing = store.editions.find(week);
  if (existing) return { status: 'existing', edition: existing };

  const previous = store.editions.latest();
  if (previous && week < previous.id) {
    throw new PaperwireError('E_USAGE', `week ${week} is before the latest edition, ${previous.id}`, {
      hint: explicit
        ? `Editions follow each other in time: use ${previous.id} or a later week.`
        : `The clock says ${week}: check the system clock, or pass --week ${previous.id} or a later week.`,
    });
  }
  const papers = store.papers.list({ afterSeq: previous?.throughSeq ?? 0 });
  if (papers.length === 0) return { status: 'nothing-new', previousId: previous?.id ?? null };
  return {
    status: 'new',
    edition: {
      id: week,
      createdAt: now.toISOString(),
      previousId: previous?.id ?? null,
      papers: rankPapers(papers),
    },
    throughSeq: Math.max(...papers.map((paper) => paper.seq)),
  };
}

/**
 * Creates the edition of `week` (or returns the week's existing one): every paper stored
 * since the previous edition, ranked, with a frozen snapshot of each. Plans and writes in
 * one IMMEDIATE transaction, so two processes at once make one edition.
 */
export function freezeEdition(store: EditionStore, week: string, now: Date, explicit = false): FreezeResult {
  return store.transaction((): FreezeResult => {
    const plan = planEdition(store, week, now, explicit);
    if (plan.status !== 'new') return plan;
    store.editions.insert(plan.edition, plan.throughSeq);
    return { status: 'created', edition: plan.edition };
  });
}
