// Editions: the papers first seen since the previous edition, ranked and frozen
// under an ISO week id. Selection goes by the store's insertion sequence, not by
// dates, so a wrong clock can neither skip a paper nor send one twice.
import { PaperwireError } from '../errors.ts';
import {
  type EditionRow,
  type EditionSummary,
  editionPapers,
  editionSummaries,
  findEditionRow,
  insertEdition,
  latestEditionRow,
} from '../store/editions.ts';
import type { Store } from '../store/index.ts';
import { listPapers } from '../store/papers.ts';
import type { Edition, EditionPaper, StoredPaper } from '../types.ts';
import { isoWeekOf, parseWeek } from './week.ts';

export type { EditionSummary } from '../store/editions.ts';
export { isoWeekOf, parseWeek, weekRange } from './week.ts';

/** What freezeEdition did: made a new edition, found the week's existing one, or found nothing new. */
export type FreezeResult =
  | { status: 'created' | 'existing'; edition: Edition }
  | { status: 'nothing-new'; previousId: string | null };

/** Options for freezeEdition and previewEdition. */
export interface EditionOptions {
  /** The edition's ISO week (`2026-W48`); defaults to the week of `now`. */
  week?: string;
  now?: Date;
}

/** Orders papers for an edition: most upvotes first (unknown last), then source order. */
export function rankPapers(papers: readonly StoredPaper[]): EditionPaper[] {
  return [...papers]
    .sort((a, b) => (b.upvotes ?? -1) - (a.upvotes ?? -1) || a.seq - b.seq)
    .map((paper, index) => ({ rank: index + 1, paper }));
}

function editionFromRow(store: Store, row: EditionRow): Edition {
  return {
    id: row.id,
    createdAt: row.created_at,
    previousId: row.previous_id,
    papers: editionPapers(store, row.id),
  };
}

/** The stored edition with this id, or null. */
export function getEdition(store: Store, id: string): Edition | null {
  const row = findEditionRow(store, id);
  return row ? editionFromRow(store, row) : null;
}

/** The most recently created edition, or null when there is none. */
export function latestEdition(store: Store): Edition | null {
  const row = latestEditionRow(store);
  return row ? editionFromRow(store, row) : null;
}

/** Every edition, newest first, with its paper count and delivery status counts. */
export function listEditions(store: Store): EditionSummary[] {
  return editionSummaries(store);
}

/**
 * Works out the edition for a week without writing: the week's stored edition if
 * it exists, else the papers stored since the previous edition, ranked.
 */
function planEdition(
  store: Store,
  options: EditionOptions,
): FreezeResult | { status: 'new'; edition: Edition; throughSeq: number } {
  const now = options.now ?? new Date();
  const id = options.week === undefined ? isoWeekOf(now) : options.week.trim();
  if (options.week !== undefined) parseWeek(id);
  const existing = getEdition(store, id);
  if (existing) return { status: 'existing', edition: existing };

  const previous = latestEditionRow(store);
  if (previous && id < previous.id) {
    throw new PaperwireError('E_USAGE', `week ${id} is before the latest edition, ${previous.id}`, {
      hint:
        options.week === undefined
          ? `The clock says ${id}: check the system clock, or pass --week ${previous.id} or a later week.`
          : `Editions follow each other in time: use ${previous.id} or a later week.`,
    });
  }
  const papers = listPapers(store, { afterSeq: previous?.through_seq ?? 0 });
  if (papers.length === 0) return { status: 'nothing-new', previousId: previous?.id ?? null };
  return {
    status: 'new',
    edition: {
      id,
      createdAt: now.toISOString(),
      previousId: previous?.id ?? null,
      papers: rankPapers(papers),
    },
    throughSeq: Math.max(...papers.map((paper) => paper.seq)),
  };
}

/**
 * Creates the edition for a week (or returns the week's existing one): every paper
 * stored since the previous edition, ranked, with a frozen snapshot of each. Runs in
 * one IMMEDIATE transaction, so two processes at once make one edition.
 */
export function freezeEdition(store: Store, options: EditionOptions = {}): FreezeResult {
  const freeze = store.db.transaction((): FreezeResult => {
    const plan = planEdition(store, options);
    if (plan.status !== 'new') return plan;
    insertEdition(store, plan.edition, plan.throughSeq);
    return { status: 'created', edition: plan.edition };
  });
  return freeze.immediate();
}

/** The edition freezeEdition would return now (existing or to be made), without storing it; null when nothing is new. */
export function previewEdition(store: Store, options: EditionOptions = {}): Edition | null {
  const plan = planEdition(store, options);
  return plan.status === 'nothing-new' ? null : plan.edition;
}
