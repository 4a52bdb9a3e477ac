// Test helpers for rendering: the fixture edition, built without a store.
import { rankPapers } from '../../src/edition/index.ts';
import type { Edition, Paper, StoredPaper, Subscriber } from '../../src/types.ts';
import { fixturePapers } from '../edition/helpers.ts';

/** The repository's default templates. */
export const TEMPLATES_DIR = new URL('../../templates/', import.meta.url).pathname;

/** Papers as the store would hold them (seq in the given order). */
export function stored(papers: Paper[]): StoredPaper[] {
  return papers.map((paper, index) => ({
    ...paper,
    seq: index + 1,
    firstSeenAt: '2026-11-24T10:00:00.000Z',
    updatedAt: '2026-11-24T10:00:00.000Z',
    featuredOn: paper.featuredOn ?? null,
    upvotesObservedAt: null,
  }));
}

/** An edition of `papers` (default: the fixture papers), as freezeEdition would make it. */
export function fixtureEdition(papers: Paper[] = fixturePapers(), id = '2026-W48'): Edition {
  return {
    id,
    createdAt: '2026-11-23T08:00:00.000Z',
    previousId: '2026-W47',
    papers: rankPapers(stored(papers)),
  };
}

/** The golden tests' subscriber. */
export const ADA: Subscriber = { email: 'ada@example.org', name: 'Ada', topics: ['diffusion', 'agent'] };

/** A realistic unsubscribe link. */
export const UNSUBSCRIBE_URL = 'https://news.example.org/unsubscribe?t=ada%40example.org.Zm9vYmFy&l=weekly';
