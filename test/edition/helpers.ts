// Test helpers for editions: a temp store, and papers written into it the way
// ingest writes them (the `papers` row layout of migrations 1 and 2).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.ts';
import type { Paper } from '../../src/types.ts';

/** The fixture papers in test/fixtures/render/papers.json. */
export function fixturePapers(): Paper[] {
  return JSON.parse(
    readFileSync(new URL('../fixtures/render/papers.json', import.meta.url), 'utf8'),
  ) as Paper[];
}

/** A fresh store in a temp dir, closed and removed after the test. */
export function tempStore(t: { after: (fn: () => void) => void }): { store: Store; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  const store = openStore(join(dir, 'paperwire.db'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, dir };
}

/** Inserts papers (or refreshes upvotes and title of known ids, keeping seq), like a re-ingest. */
export function storePapers(store: Store, papers: Paper[], now = new Date('2026-11-24T10:00:00Z')): void {
  const upsert = store.db.prepare(
    `INSERT INTO papers (id, arxiv_id, title, title_key, abstract, authors, links, upvotes, published_at,
       source, origin, first_seen_at, updated_at, keywords, ai_summary)
     VALUES (@id, @arxivId, @title, lower(@title), @abstract, @authors, @links, @upvotes, @publishedAt,
       @source, @origin, @now, @now, @keywords, @aiSummary)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, upvotes = excluded.upvotes,
       updated_at = excluded.updated_at`,
  );
  store.db.transaction(() => {
    for (const paper of papers) {
      upsert.run({
        ...paper,
        authors: JSON.stringify(paper.authors),
        links: JSON.stringify(paper.links),
        keywords: JSON.stringify(paper.keywords),
        now: now.toISOString(),
      });
    }
  })();
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
