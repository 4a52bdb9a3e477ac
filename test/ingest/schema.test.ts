// The documented JSON Schema and the validator in code describe the same format,
// and the bundled sample inbox ingests cleanly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ENTRIES_FORMAT,
  ENTRY_FIELDS,
  REQUIRED_ENTRY_FIELDS,
} from '../../src/ingest/formats/paperwire-json.ts';
import { folderFiles, ingestSources } from '../../src/ingest/index.ts';
import { repoRoot, tempStore, testOptions } from './helpers.ts';

interface Schema {
  required: string[];
  properties: { format: { const: string } };
  $defs: {
    paper: {
      required: string[];
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
  };
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'docs', 'entries.schema.json'), 'utf8')) as Schema;

test('docs/entries.schema.json lists exactly the fields, required fields and marker the validator uses', () => {
  assert.equal(schema.properties.format.const, ENTRIES_FORMAT);
  assert.deepEqual(schema.required, ['format', 'papers']);
  const paper = schema.$defs.paper;
  assert.deepEqual(Object.keys(paper.properties).sort(), [...ENTRY_FIELDS].sort());
  assert.deepEqual([...paper.required].sort(), [...REQUIRED_ENTRY_FIELDS].sort());
  assert.deepEqual(Object.keys(paper.properties.links?.properties ?? {}), [
    'page',
    'arxiv',
    'pdf',
    'code',
    'project',
  ]);
});

test('the bundled sample inbox ingests with nothing rejected, merging the overlapping paper', async (t) => {
  const { store } = tempStore(t);
  const files = folderFiles(join(repoRoot, 'data', 'inbox'));
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
