// The store's papers: the same paper stored once, refreshed not duplicated, and a
// title-only paper merged with its arXiv twin; plus upgrading an older database.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { titleKey } from '../../src/identity.ts';
import { titleId } from '../../src/ingest/normalise.ts';
import { openStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import type { Paper } from '../../src/types.ts';
import { tempStore } from '../helpers/store.ts';
import { databaseAtVersion } from './helpers.ts';

const T1 = new Date('2026-11-16T08:00:00Z');
const T2 = new Date('2026-11-18T08:00:00Z');

function arxivPaper(id: string, title: string, overrides: Partial<Paper> = {}): Paper {
  return {
    id,
    arxivId: id,
    title,
    abstract: `Abstract of ${title}.`,
    authors: ['Ada Lovelace'],
    links: { page: `https://huggingface.co/papers/${id}`, arxiv: `https://arxiv.org/abs/${id}` },
    upvotes: 10,
    keywords: [],
    aiSummary: null,
    publishedAt: '2026-11-15T00:00:00.000Z',
    source: 'hf-daily-papers',
    origin: 'daily.json',
    ...overrides,
  };
}

function titleOnlyPaper(title: string, overrides: Partial<Paper> = {}): Paper {
  return {
    id: titleId(titleKey(title)),
    arxivId: null,
    title,
    abstract: `Page abstract of ${title}.`,
    authors: [],
    links: {},
    upvotes: null,
    keywords: [],
    aiSummary: null,
    publishedAt: '2026-11-14T00:00:00.000Z',
    source: 'papers-page-text',
    origin: 'page.txt',
    ...overrides,
  };
}

test('new papers are inserted in order with first-seen = now; the same batch again changes nothing', (t) => {
  const { store } = tempStore(t);
  const papers = [arxivPaper('2611.00001', 'One'), arxivPaper('2611.00002', 'Two')];
  assert.deepEqual(store.papers.upsert(papers, T1), { new: 2, updated: 0 });
  assert.deepEqual(store.papers.upsert(papers, T2), { new: 0, updated: 0 });
  const stored = store.papers.list();
  assert.deepEqual(
    stored.map((paper) => [paper.id, paper.seq, paper.firstSeenAt, paper.updatedAt]),
    [
      ['2611.00001', 1, T1.toISOString(), T1.toISOString()],
      ['2611.00002', 2, T1.toISOString(), T1.toISOString()],
    ],
  );
});

test('re-ingesting refreshes upvotes and fills empty fields, keeping first-seen, seq and what was there', (t) => {
  const { store } = tempStore(t);
  store.papers.upsert([arxivPaper('2611.00001', 'One', { authors: [], keywords: [], aiSummary: null })], T1);
  const later = arxivPaper('2611.00001', 'One, retitled', {
    upvotes: 42,
    authors: ['Grace Hopper'],
    keywords: ['agents'],
    aiSummary: 'A summary.',
    abstract: 'Another abstract.',
    links: { page: 'https://elsewhere.example.org/', code: 'https://github.com/a/b' },
  });
  assert.deepEqual(store.papers.upsert([later], T2), { new: 0, updated: 1 });
  const [paper] = store.papers.list();
  assert.equal(paper?.seq, 1);
  assert.equal(paper?.firstSeenAt, T1.toISOString());
  assert.equal(paper?.updatedAt, T2.toISOString());
  assert.equal(paper?.upvotes, 42);
  assert.equal(paper?.title, 'One');
  assert.equal(paper?.abstract, 'Abstract of One.');
  assert.deepEqual(paper?.authors, ['Grace Hopper']);
  assert.deepEqual(paper?.keywords, ['agents']);
  assert.equal(paper?.aiSummary, 'A summary.');
  assert.deepEqual(paper?.links, {
    page: 'https://huggingface.co/papers/2611.00001',
    arxiv: 'https://arxiv.org/abs/2611.00001',
    code: 'https://github.com/a/b',
  });
  // A source without upvotes (arXiv) does not erase them.
  assert.deepEqual(store.papers.upsert([arxivPaper('2611.00001', 'One', { upvotes: null })], T2), {
    new: 0,
    updated: 0,
  });
  assert.equal(store.papers.list()[0]?.upvotes, 42);
});

test('a title-only paper, then the same paper with an arXiv id: one row that takes the id and its links', (t) => {
  const { store } = tempStore(t);
  store.papers.upsert([titleOnlyPaper('Sparse Ledger: Auditing the Tool Calls of Language Agents')], T1);
  store.papers.upsert([arxivPaper('2611.00009', 'Other paper')], T1);
  const counts = store.papers.upsert(
    [
      arxivPaper('2611.00010', 'SPARSE LEDGER — Auditing the Tool-Calls of\n Language Agents', {
        upvotes: 12,
      }),
    ],
    T2,
  );
  assert.deepEqual(counts, { new: 0, updated: 1 });
  const papers = store.papers.list();
  assert.equal(papers.length, 2);
  const merged = papers[0]!;
  assert.equal(merged.seq, 1);
  assert.equal(merged.id, '2611.00010');
  assert.equal(merged.arxivId, '2611.00010');
  assert.equal(merged.firstSeenAt, T1.toISOString());
  assert.equal(merged.upvotes, 12);
  assert.equal(merged.title, 'Sparse Ledger: Auditing the Tool Calls of Language Agents');
  assert.deepEqual(merged.links, {
    page: 'https://huggingface.co/papers/2611.00010',
    arxiv: 'https://arxiv.org/abs/2611.00010',
  });
  assert.deepEqual(merged.authors, ['Ada Lovelace']);
  // The title-only source again: still one row, nothing new.
  assert.deepEqual(
    store.papers.upsert([titleOnlyPaper('Sparse Ledger: Auditing the Tool Calls of Language Agents')], T2),
    {
      new: 0,
      updated: 0,
    },
  );
  assert.equal(store.papers.list().length, 2);
});

test('an arXiv paper first, then the same title without id: merged into the arXiv row', (t) => {
  const { store } = tempStore(t);
  store.papers.upsert([arxivPaper('2611.00010', 'Glass Diffusion', { abstract: '' })], T1);
  const counts = store.papers.upsert([titleOnlyPaper('glass diffusion')], T2);
  assert.deepEqual(counts, { new: 0, updated: 1 });
  const papers = store.papers.list();
  assert.equal(papers.length, 1);
  assert.equal(papers[0]?.id, '2611.00010');
  assert.equal(papers[0]?.abstract, 'Page abstract of glass diffusion.');
});

test('two arXiv papers with the same title stay two papers', (t) => {
  const { store } = tempStore(t);
  store.papers.upsert(
    [arxivPaper('2611.00001', 'Introduction'), arxivPaper('2611.00002', 'Introduction')],
    T1,
  );
  assert.equal(store.papers.list().length, 2);
});

test('a database at schema version 1 is upgraded in place: rows intact, new columns present', (t) => {
  const { store: fresh, path } = tempStore(t);
  fresh.close();
  rmSync(path);
  // A database at the first schema with a row as paperwire wrote it then, made straight in the file.
  const old = databaseAtVersion(path, 1);
  old
    .prepare(
      `INSERT INTO papers (id, arxiv_id, title, title_key, abstract, authors, links, upvotes, published_at,
         source, origin, first_seen_at, updated_at)
       VALUES ('2401.05117', '2401.05117', 'Lattice Distillation', 'lattice distillation', 'Old abstract.',
         '["Ilse Vandermeer"]', '{"arxiv":"https://arxiv.org/abs/2401.05117"}', 7, NULL,
         'arxiv-atom', 'old.xml', '2024-01-11T00:00:00.000Z', '2024-01-11T00:00:00.000Z')`,
    )
    .run();
  old.close();

  const upgraded = openStore(path);
  t.after(() => upgraded.close());
  assert.equal(upgraded.schemaVersion(), MIGRATIONS.at(-1)?.version);
  const [paper] = upgraded.papers.list();
  assert.equal(paper?.title, 'Lattice Distillation');
  assert.equal(paper?.upvotes, 7);
  assert.deepEqual(paper?.keywords, []);
  assert.equal(paper?.aiSummary, null);
  assert.equal(paper?.firstSeenAt, '2024-01-11T00:00:00.000Z');
  // The upgraded row takes part in upserts like any other.
  const counts = upgraded.papers.upsert(
    [arxivPaper('2401.05117', 'Lattice Distillation', { keywords: ['diffusion'] })],
    T2,
  );
  assert.deepEqual(counts, { new: 0, updated: 1 });
  assert.deepEqual(upgraded.papers.list()[0]?.keywords, ['diffusion']);
});
