// The edition use cases of `paperwire edition` and `paperwire editions`: what the week's
// edition holds (or would hold now), freezing it by hand, deleting one that nothing was
// sent from, and the list. The week comes from the one rule in target.ts.
import { type EditionSummary, freezeEdition, planEdition } from '../edition/index.ts';
import { PaperwireError } from '../errors.ts';
import { acquireLease, SEND_LOCK } from '../schedule/leases.ts';
import type { Edition } from '../types.ts';
import { weekDays } from '../week.ts';
import type { AppContext } from './context.ts';
import { targetWeek, weekSettings } from './target.ts';

/** A week's edition as `paperwire edition` shows it: frozen, or what freezing it now would make. */
export interface EditionView {
  id: string;
  /** The week's Monday and Sunday, `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** True when the edition is stored (frozen); false for what it would hold now. */
  frozen: boolean;
  /** When it was frozen, or null. */
  createdAt: string | null;
  /** Its papers, ranked; empty when the week has nothing (yet). */
  papers: Edition['papers'];
  /** The edition before it, or null. */
  previousId: string | null;
}

function viewOf(
  week: string,
  edition: Edition | null,
  frozen: boolean,
  previousId: string | null,
): EditionView {
  return {
    id: week,
    ...weekDays(week),
    frozen,
    createdAt: frozen ? (edition?.createdAt ?? null) : null,
    papers: edition?.papers ?? [],
    previousId: edition?.previousId ?? previousId,
  };
}

/** The edition of `week` (default: the one due now), or what it would hold if frozen now. Writes nothing. */
export function viewEdition(ctx: AppContext, input: { week?: string } = {}): EditionView {
  const now = ctx.clock();
  const week = targetWeek({ week: input.week, now, settings: weekSettings(ctx.config) });
  const plan = planEdition(ctx.store, week, now);
  if (plan.status === 'nothing-new') return viewOf(week, null, false, plan.previousId);
  return viewOf(week, plan.edition, plan.status === 'existing', null);
}

/** Freezes the edition of `week` (default: the one due now) without sending it; a rerun returns the same edition. */
export function freezeWeek(
  ctx: AppContext,
  input: { week?: string } = {},
): { status: 'created' | 'existing' | 'nothing-new'; view: EditionView } {
  const now = ctx.clock();
  const week = targetWeek({ week: input.week, now, settings: weekSettings(ctx.config) });
  const result = freezeEdition(ctx.store, week, now);
  if (result.status === 'nothing-new') {
    return { status: result.status, view: viewOf(week, null, false, result.previousId) };
  }
  return { status: result.status, view: viewOf(week, result.edition, true, null) };
}

/** What deleteEdition removed. */
export interface DeletedEdition {
  id: string;
  /** Its papers, which wait for an edition again. */
  papers: number;
  /** Ledger rows dropped with it (pending, or refused by the server). */
  ledgerRows: number;
}

/**
 * Deletes edition `week` when nothing was sent from it: no message accepted, none in flight when a
 * run stopped (it may have arrived). Its papers wait again for their own week's edition. Holds the
 * send lease (E_LOCKED while a send runs); E_NO_EDITION when there is no such edition; E_USAGE,
 * with the counts, once a message went out.
 */
export function deleteEdition(ctx: AppContext, week: string): DeletedEdition {
  const { store } = ctx;
  const lease = acquireLease(store.leases, SEND_LOCK, 'a delivery (paperwire send, run or schedule)');
  try {
    return store.transaction((): DeletedEdition => {
      const edition = store.editions.find(week);
      if (!edition) {
        throw new PaperwireError('E_NO_EDITION', `there is no edition ${week} to delete`, {
          hint: '`paperwire editions` lists the editions there are.',
        });
      }
      const rows = store.ledger.records(week);
      const sent = rows.filter((row) => row.status === 'sent').length;
      const inFlight = rows.filter((row) => row.status === 'pending' && row.attempts > 0).length;
      if (sent > 0 || inFlight > 0) {
        const counts = [`${sent} sent`];
        if (inFlight > 0) counts.push(`${inFlight} in flight when a run stopped (they may have arrived)`);
        const pending = rows.filter((row) => row.status === 'pending').length;
        throw new PaperwireError(
          'E_USAGE',
          `edition ${week} went out (${counts.join(', ')} of ${rows.length}): it is not deleted`,
          {
            hint: `An edition that reached anyone stays, so nobody gets its papers twice.${pending > 0 ? ` \`paperwire send --week ${week}\` finishes it.` : ' Its papers are not featured again; the next edition takes the new ones.'}`,
          },
        );
      }
      const ledgerRows = store.ledger.forget(week);
      store.editions.remove(week);
      return { id: week, papers: edition.papers.length, ledgerRows };
    });
  } finally {
    lease.release();
  }
}

/** Every edition with its week's days and delivery counts, newest first. */
export function listEditions(ctx: AppContext): (EditionSummary & { from: string; to: string })[] {
  return ctx.store.editions.summaries().map((summary) => ({ ...summary, ...weekDays(summary.id) }));
}
