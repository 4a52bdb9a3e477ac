// Every source format, read from fixtures written in that format: detection,
// the papers it yields and their normalised fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPaperwireError } from '../../src/errors.ts';
import { parseSource } from '../../src/ingest/parse.ts';
import type { Paper } from '../../src/types.ts';
import { fixtureText } from './helpers.ts';

const now = new Date('2026-11-20T12:00:00Z');
const parse = (name: string) => parseSource(fixtureText(name), { origin: name, now });
const byId = (papers: Paper[], id: string): Paper => {
  const found = papers.find((paper) => paper.id === id);
  assert.ok(found, `no paper ${id} among ${papers.map((paper) => paper.id).join(', ')}`);
  return found;
};

const cases = [
  { file: 'hf-daily-old.json', format: 'hf-daily-papers', ids: ['2401.05117', '2401.05230', '2401.04998'] },
  { file: 'hf-daily-new.json', format: 'hf-daily-papers', ids: ['2611.01234', '2611.01377'] },
  { file: 'hf-paper.json', format: 'hf-paper', ids: ['2611.01234'] },
  { file: 'arxiv-current.xml', format: 'arxiv-atom', ids: ['2611.01234', '2611.02002', 'cs/0112017'] },
  { file: 'arxiv-legacy.xml', format: 'arxiv-atom', ids: ['2401.05117', '2401.04998'] },
  { file: 'arxiv-prefixed.xml', format: 'arxiv-atom', ids: ['2611.01377'] },
  { file: 'papers-page.txt', format: 'papers-page-text', ids: null },
  { file: 'paperwire-entries.json', format: 'paperwire-json', ids: ['2611.03141', null, '2611.03200'] },
] as const;

for (const { file, format, ids } of cases) {
  test(`${file} is detected as ${format} and every entry is stored clean`, () => {
    const result = parse(file);
    assert.equal(result.format, format);
    assert.deepEqual(result.rejections, []);
    if (ids) {
      assert.deepEqual(
        result.papers.map((paper) => paper.arxivId),
        ids,
      );
    }
    for (const paper of result.papers) {
      assert.equal(paper.source, format);
      assert.equal(paper.origin, file);
      assert.doesNotMatch(paper.title, /[\n\r\t]| {2}/, `title of ${paper.id} keeps a line wrap`);
      assert.doesNotMatch(paper.abstract, /[\n\r\t]| {2}/, `abstract of ${paper.id} keeps a line wrap`);
      assert.ok(paper.id === paper.arxivId || /^title:[0-9a-f]{16}$/.test(paper.id), paper.id);
      for (const url of Object.values(paper.links)) assert.match(url, /^https?:\/\//);
    }
  });
}

test('HF daily papers (old style): wraps collapsed, owner/name repo, trimmed project page, upvotes', () => {
  const { papers } = parse('hf-daily-old.json');
  const lattice = byId(papers, '2401.05117');
  assert.equal(lattice.title, 'Lattice Distillation: Compressing Diffusion Samplers into Four Steps');
  assert.match(
    lattice.abstract,
    /^Few-step diffusion samplers trade image quality for speed\. We introduce Lattice/,
  );
  assert.deepEqual(lattice.authors, ['Ilse Vandermeer', 'Kwame Asante', 'Lucía Ferreyra']);
  assert.equal(lattice.upvotes, 31);
  assert.deepEqual(lattice.links, {
    page: 'https://huggingface.co/papers/2401.05117',
    code: 'https://github.com/lattice-lab/lattice-distill',
    arxiv: 'https://arxiv.org/abs/2401.05117',
    pdf: 'https://arxiv.org/pdf/2401.05117',
  });
  assert.equal(lattice.publishedAt, '2024-01-10T18:20:01.000Z');
  assert.equal(byId(papers, '2401.05230').links.project, 'https://sparse-ledger.example.org/');
  // The paper's own summary wins over the item's shortened copy.
  assert.match(byId(papers, '2401.05230').abstract, /stated plan\.$/);
  assert.equal(byId(papers, '2401.04998').upvotes, 0);
});

test('HF daily papers (new style): ai summary, keywords, repo URL, optional fields ignored', () => {
  const { papers } = parse('hf-daily-new.json');
  const quiet = byId(papers, '2611.01234');
  assert.equal(quiet.title, 'Quiet Weights: Four-Bit Quantization Without Calibration Data');
  assert.equal(quiet.aiSummary, 'Four-bit weight quantization that needs no calibration data.');
  assert.deepEqual(quiet.keywords, [
    'quantization',
    'post-training quantization',
    'four-bit',
    'language models',
  ]);
  assert.equal(quiet.links.code, 'https://github.com/quiet-weights/qw4');
  assert.equal(quiet.upvotes, 88);
  assert.equal(byId(papers, '2611.01377').links.project, 'https://planner-in-the-loop.example.org/');
});

test('HF single paper object: fields read straight off the object', () => {
  const { papers } = parse('hf-paper.json');
  assert.equal(papers.length, 1);
  assert.equal(papers[0]?.upvotes, 95);
  assert.deepEqual(papers[0]?.authors, ['Mira Okonkwo', 'Tomasz Wielgosz']);
  assert.equal(papers[0]?.links.page, 'https://huggingface.co/papers/2611.01234');
});

test('arXiv Atom (namespaces on the root): versionless ids, wrapped text, authors, comment links, entities', () => {
  const { papers } = parse('arxiv-current.xml');
  const quiet = byId(papers, '2611.01234');
  assert.equal(quiet.title, 'Quiet Weights: Four-Bit Quantization Without Calibration Data');
  assert.match(
    quiet.abstract,
    /^Post-training quantization usually needs a calibration set drawn from the training/,
  );
  assert.deepEqual(quiet.authors, ['Mira Okonkwo', 'Tomasz Wielgosz']);
  assert.equal(quiet.links.arxiv, 'https://arxiv.org/abs/2611.01234');
  assert.equal(quiet.links.pdf, 'https://arxiv.org/pdf/2611.01234');
  assert.equal(quiet.links.code, 'https://github.com/quiet-weights/qw4');
  assert.equal(quiet.upvotes, null);
  assert.equal(quiet.publishedAt, '2026-11-03T17:59:58.000Z');
  const kv = byId(papers, '2611.02002');
  assert.equal(kv.title, 'R&D at Four Bits: What Breaks When You Quantize the KV Cache');
  assert.equal(kv.links.project, 'https://kv-four.example.org/');
  assert.equal(byId(papers, 'cs/0112017').links.arxiv, 'https://arxiv.org/abs/cs/0112017');
});

test('arXiv Atom (namespaces per element, old style): the same fields as the current style', () => {
  const { papers } = parse('arxiv-legacy.xml');
  const lattice = byId(papers, '2401.05117');
  assert.equal(lattice.title, 'Lattice Distillation: Compressing Diffusion Samplers into Four Steps');
  assert.deepEqual(lattice.authors, ['Ilse Vandermeer', 'Kwame Asante']);
  assert.equal(lattice.links.project, 'https://lattice-distill.example.org/');
  // A single <author> is still a list of one.
  assert.deepEqual(byId(papers, '2401.04998').authors, ['Hana Kobayashi']);
  assert.equal(byId(papers, '2401.04998').publishedAt, '2024-01-08T12:00:00.000Z');
});

test('arXiv Atom with the Atom namespace prefixed (atom:entry)', () => {
  const { papers } = parse('arxiv-prefixed.xml');
  assert.equal(papers[0]?.title, 'Planner-in-the-Loop: Agents That Revise Their Own Tool Graphs');
  assert.deepEqual(papers[0]?.authors, ['Sione Tupou']);
  assert.equal(papers[0]?.links.code, 'https://github.com/sione-t/planner-loop');
});

test('the arXiv error feed is a source error carrying the error text, not a paper', () => {
  assert.throws(
    () => parse('arxiv-error.xml'),
    (error: unknown) =>
      isPaperwireError(error, 'E_SOURCE_READ') && error.message.includes('incorrect id format for 2611.9'),
  );
});

test('papers page text: header skipped, title/abstract pairs, date line gives the publication date', () => {
  const { papers } = parse('papers-page.txt');
  assert.deepEqual(
    papers.map((paper) => paper.title),
    [
      'Sparse Ledger: Auditing the Tool Calls of Language Agents',
      'Tidemark: Reasoning Traces as Training Signal for Small Models',
      'Glass Diffusion: Transparent Objects from a Single Photograph',
      'Slow Clocks: Energy-Aware Scheduling for Edge Inference',
    ],
  );
  for (const paper of papers) {
    assert.match(paper.id, /^title:[0-9a-f]{16}$/);
    assert.equal(paper.arxivId, null);
    assert.deepEqual(paper.links, {});
    assert.equal(paper.publishedAt, '2026-11-18T00:00:00.000Z');
  }
  assert.match(papers[2]?.abstract ?? '', /^Transparent and refractive objects .* 4,000 captured scenes\.$/);
});

test('paperwire entries JSON: ids in any spelling, links, upvotes, keywords, dates', () => {
  const { papers, warnings } = parse('paperwire-entries.json');
  assert.deepEqual(warnings, []);
  const tidemark = byId(papers, '2611.03141');
  assert.deepEqual(tidemark.links, {
    code: 'https://github.com/tidal-lab/tidemark',
    project: 'https://tidemark.example.org/',
    arxiv: 'https://arxiv.org/abs/2611.03141',
    pdf: 'https://arxiv.org/pdf/2611.03141',
  });
  assert.equal(tidemark.upvotes, 7);
  assert.deepEqual(tidemark.keywords, ['reasoning', 'distillation']);
  assert.equal(tidemark.publishedAt, '2026-11-12T00:00:00.000Z');
  const notes = papers[1];
  assert.match(notes?.id ?? '', /^title:[0-9a-f]{16}$/);
  assert.equal(notes?.links.page, 'https://reading-group.example.org/notes');
  assert.equal(notes?.upvotes, null);
  assert.equal(
    byId(papers, '2611.03200').aiSummary,
    'Web agents with capped memory fail gracefully until a sharp threshold.',
  );
});

test('a BOM before JSON does not hide its format', () => {
  const result = parseSource(`\uFEFF${fixtureText('hf-paper.json')}`, { origin: 'bom.json', now });
  assert.equal(result.format, 'hf-paper');
});
