// docs/entries.schema.json is the entries format's one description: the same documents,
// fed to the schema on its own (a fresh Ajv) and to ingest's reader, get the same verdicts,
// entry by entry; and the bundled sample inbox ingests cleanly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { isPaperwireError } from '../../src/errors.ts';
import { ENTRIES_FORMAT, ENTRY_FORMATS } from '../../src/ingest/formats/paperwire-json.ts';
import { folderEntries, ingestSources } from '../../src/ingest/index.ts';
import { parseSource } from '../../src/ingest/parse.ts';
import { repoRoot, tempStore, testOptions } from './helpers.ts';

const schema = JSON.parse(readFileSync(join(repoRoot, 'docs', 'entries.schema.json'), 'utf8')) as object;
// The schema alone, with the two formats it names; strict, so a typo in the schema fails here.
const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true, formats: ENTRY_FORMATS }).compile(
  schema,
);
const now = new Date('2026-11-20T12:00:00Z');

/** The indexes of the entries the schema finds invalid. */
function schemaRejects(document: object): number[] {
  if (validate(document)) return [];
  const indexes = (validate.errors ?? []).map((error) => /^\/papers\/(\d+)/.exec(error.instancePath)?.[1]);
  assert.ok(
    indexes.every((index) => index !== undefined),
    JSON.stringify(validate.errors),
  );
  return [...new Set(indexes.map(Number))].sort((a, b) => a - b);
}

/** The indexes of the entries ingest's reader rejects, and its warnings. */
function readerRejects(document: object): { rejected: number[]; warnings: string[] } {
  const result = parseSource(JSON.stringify(document), { origin: 'entries.json', now });
  assert.equal(result.format, 'paperwire-json');
  const rejected = result.rejections.map((rejection) =>
    Number(/^papers\[(\d+)\]/.exec(rejection.place)?.[1]),
  );
  return { rejected, warnings: result.warnings };
}

const good = { title: 'Fine', abstract: 'Fine abstract.', authors: ['A'] };
/** Entries and whether the format accepts them (true) or rejects them (false). */
const ENTRIES: [unknown, boolean][] = [
  [good, true],
  [{ ...good, title: undefined }, false],
  [{ ...good, title: '   ' }, false],
  [{ ...good, title: 7 }, false],
  [{ ...good, abstract: undefined }, false],
  [{ ...good, abstract: null }, false],
  [{ ...good, abstract: '' }, true],
  [{ ...good, authors: undefined }, false],
  [{ ...good, authors: 'A' }, false],
  [{ ...good, authors: ['A', 7] }, false],
  [{ ...good, authors: [] }, true],
  [{ ...good, id: 'paper-one' }, false],
  [{ ...good, id: '2611.031' }, false],
  [{ ...good, id: 2611.03141 }, false],
  [{ ...good, id: 'arXiv:2611.03141v3' }, true],
  [{ ...good, id: 'hep-th/9901001' }, true],
  [{ ...good, id: 'https://arxiv.org/abs/2611.03141v2' }, true],
  [{ ...good, id: null }, true],
  [{ ...good, url: 'javascript:alert(1)' }, true], // kept, the link dropped with a warning
  [{ ...good, url: 7 }, false],
  [{ ...good, links: { homepage: 'https://example.org' } }, false],
  [{ ...good, links: { code: 'owner/name', pdf: null } }, true],
  [{ ...good, links: { pdf: 5 } }, false],
  [{ ...good, links: 'https://example.org' }, false],
  [{ ...good, links: null }, true],
  [{ ...good, upvotes: -3 }, false],
  [{ ...good, upvotes: 1.5 }, false],
  [{ ...good, upvotes: '7' }, false],
  [{ ...good, upvotes: null }, true],
  [{ ...good, upvotes: 7 }, true],
  [{ ...good, keywords: 'reasoning' }, false],
  [{ ...good, keywords: [1] }, false],
  [{ ...good, keywords: null }, true],
  [{ ...good, aiSummary: 5 }, false],
  [{ ...good, publishedAt: 'last Tuesday' }, false],
  [{ ...good, publishedAt: '2026-13-01' }, false],
  [{ ...good, publishedAt: '2026-11-12T25:00:00Z' }, false],
  [{ ...good, publishedAt: 20261112 }, false],
  [{ ...good, publishedAt: '2026-11-12T17:59:58Z' }, true],
  [{ ...good, publishedAt: null }, true],
  [{ ...good, upvote: 3 }, true], // an unknown field: ignored with a warning
  [42, false],
  [null, false],
  [[good], false],
];

test('the schema on its own and the ingest reader agree on every entry, good or bad', () => {
  const document = { format: ENTRIES_FORMAT, papers: ENTRIES.map(([entry]) => entry) };
  const expected = ENTRIES.flatMap(([, ok], index) => (ok ? [] : [index]));
  assert.deepEqual(schemaRejects(document), expected, 'the schema');
  const reader = readerRejects(document);
  assert.deepEqual(reader.rejected, expected, 'the reader');
  // What both accept but the reader notes: the unknown field and the dropped link.
  const unknown = ENTRIES.findIndex(([entry]) => (entry as { upvote?: number } | null)?.upvote === 3);
  assert.ok(
    reader.warnings.includes(`papers[${unknown}]: unknown field "upvote" ignored`),
    reader.warnings.join('\n'),
  );
  assert.ok(reader.warnings.some((warning) => /page link "javascript:alert\(1\)" dropped/.test(warning)));
});

test('the schema and the reader agree on whole files: the format marker and the papers array', () => {
  const files: [object, boolean][] = [
    [{ format: ENTRIES_FORMAT, papers: [] }, true],
    [{ format: ENTRIES_FORMAT, papers: [good], note: 'fields around the papers are allowed' }, true],
    [{ $schema: '../docs/entries.schema.json', format: ENTRIES_FORMAT, papers: [good] }, true],
    [{ format: 'paperwire-entries/2', papers: [] }, false],
    [{ format: ENTRIES_FORMAT, papers: { title: 'x' } }, false],
    [{ format: ENTRIES_FORMAT }, false],
    [{ $schema: 'https://paperwire.invalid/schemas/entries.schema.json', papers: [good] }, false],
  ];
  for (const [file, ok] of files) {
    assert.equal(validate(file), ok, `the schema: ${JSON.stringify(file)}`);
    let readerOk = true;
    try {
      parseSource(JSON.stringify(file), { origin: 'entries.json', now });
    } catch (error) {
      assert.ok(isPaperwireError(error, 'E_SOURCE_FORMAT'), String(error));
      assert.match(error.message, /^entries\.json: /);
      readerOk = false;
    }
    assert.equal(readerOk, ok, `the reader: ${JSON.stringify(file)}`);
  }
});

test('the bundled sample inbox ingests with nothing rejected, merging the overlapping paper', async (t) => {
  const { store } = tempStore(t);
  const files = folderEntries(join(repoRoot, 'data', 'inbox'))
    .filter((entry) => entry.skipped === null)
    .map((entry) => entry.path);
  assert.ok(files.length >= 2, files.join(', '));
  const report = await ingestSources(store, files, testOptions());
  assert.equal(report.failedSources, 0);
  assert.equal(report.totals.rejected, 0);
  for (const source of report.sources) assert.deepEqual(source.warnings, [], source.source);
  assert.ok(report.totals.updated >= 1, 'a paper of the entries file should merge with a daily-papers one');
  const papers = store.papers.list();
  const text = (topic: string) =>
    papers.filter((paper) =>
      `${paper.title} ${paper.abstract} ${paper.keywords.join(' ')}`.toLowerCase().includes(topic),
    );
  for (const topic of ['diffusion', 'quantization', 'agents', 'reasoning']) {
    assert.ok(text(topic).length >= 2, `fewer than two sample papers about ${topic}`);
  }
  for (const paper of papers) {
    if (paper.publishedAt) assert.match(paper.publishedAt, /^2026-11-/, paper.title);
  }
});
