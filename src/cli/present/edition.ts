// What `paperwire edition` prints (a summary line and the top papers, or the JSON object)
// and what `paperwire editions` prints (a line or a JSON object per edition).
import type { EditionView } from '../../app/editions.ts';
import type { EditionSummary } from '../../edition/index.ts';

/** One edition as `paperwire editions` lists it (listEditions): its summary and its week's days. */
type EditionRow = EditionSummary & { from: string; to: string };

/** How many papers `paperwire edition` lists under its summary line. */
const LISTED_PAPERS = 10;

/** The `--json` object of an edition: `{id, from, to, frozen, createdAt, papers: [{rank, id, arxivId, title, upvotes}]}`. */
export function editionJson(view: EditionView) {
  return {
    id: view.id,
    from: view.from,
    to: view.to,
    frozen: view.frozen,
    createdAt: view.createdAt,
    papers: view.papers.map(({ rank, paper }) => ({
      rank,
      id: paper.id,
      arxivId: paper.arxivId,
      title: paper.title,
      upvotes: paper.upvotes,
    })),
  };
}

/** The lines of `paperwire edition`; `status` says what `--freeze` did (null: only shown). */
export function editionLines(
  view: EditionView,
  status: 'created' | 'existing' | 'nothing-new' | null,
): string[] {
  const week = `${view.id} (${view.from} – ${view.to})`;
  const count = `${view.papers.length} paper${view.papers.length === 1 ? '' : 's'}`;
  if (view.papers.length === 0) {
    return [
      `edition ${week}: nothing to put in it — no waiting paper is featured in that week` +
        (view.previousId ? ` or arrived since ${view.previousId}` : ''),
    ];
  }
  const lines = [
    view.frozen
      ? `edition ${week} ${status === 'created' ? 'created' : `exists (created ${view.createdAt})`}: ${count}`
      : `edition ${week} is not frozen yet; it would hold ${count} now (\`paperwire send\` freezes and sends it)`,
  ];
  for (const { rank, paper } of view.papers.slice(0, LISTED_PAPERS)) {
    const votes = paper.upvotes === null ? '' : `▲${paper.upvotes}`;
    lines.push(`  ${String(rank).padStart(3)}. ${votes.padEnd(6)} ${paper.title}`);
  }
  const rest = view.papers.length - LISTED_PAPERS;
  if (rest > 0) lines.push(`       … and ${rest} more`);
  return lines;
}

/** An edition as one `editions --json` object: `{id, from, to, createdAt, papers, sent, failed, pending}`. */
export function editionListing(edition: EditionRow) {
  return {
    id: edition.id,
    from: edition.from,
    to: edition.to,
    createdAt: edition.createdAt,
    papers: edition.paperCount,
    sent: edition.sent,
    failed: edition.failed,
    pending: edition.pending,
  };
}

/** The lines of `paperwire editions`: one per edition, or what makes the first. */
export function editionsLines(editions: readonly EditionRow[]): string[] {
  if (editions.length === 0) return ['no editions yet (`paperwire send` or `run` makes one)'];
  return editions.map(
    (e) =>
      `${e.id} (${e.from} – ${e.to})  created ${e.createdAt}  ${e.paperCount} papers  sent ${e.sent}  failed ${e.failed}  pending ${e.pending}`,
  );
}
