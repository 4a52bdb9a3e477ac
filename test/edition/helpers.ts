// Test helpers for editions: a temp store, and papers written into it by ingest's upsertPapers.
import { readFileSync } from 'node:fs';
import type { Store } from '../../src/store/index.ts';
import type { Paper } from '../../src/types.ts';

/** The fixture papers in test/fixtures/render/papers.json. */
export function fixturePapers(): Paper[] {
  return JSON.parse(
    readFileSync(new URL('../fixtures/render/papers.json', import.meta.url), 'utf8'),
  ) as Paper[];
}

export { tempStore } from '../helpers/store.ts';

/** Stores papers the way ingest does (new ones inserted, known ones refreshed). */
export function storePapers(
  store: Store,
  papers: Paper[],
  now = new Date('2026-11-24T10:00:00Z'),
): { new: number; updated: number } {
  return store.papers.upsert(papers, now);
}

/** A minimal paper with the given id, title and upvotes. */
export function paper(id: string, upvotes: number | null, title = `Paper ${id}`): Paper {
  return {
    id,
    arxivId: id,
    title,
    abstract: `Abstract of ${id}.`,
    authors: ['A. Author'],
    links: { arxiv: `https://arxiv.org/abs/${id}` },
    upvotes,
    keywords: [],
    aiSummary: null,
    publishedAt: null,
    source: 'hf-daily-papers',
    origin: 'test',
  };
}

/** A paper featured on `day` (`YYYY-MM-DD`) by its source, as a Daily Papers item is. */
export function dated(id: string, upvotes: number | null, day: string, title = `Paper ${id}`): Paper {
  return { ...paper(id, upvotes, title), featuredOn: day };
}
