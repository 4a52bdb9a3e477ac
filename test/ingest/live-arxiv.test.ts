// The `arxiv:QUERY` sources against a local server answering like the arXiv API
// (test/helpers/arxiv-api.ts): the week's submissions, paged; an empty page asked again; a 400's
// error text shown; and, measured by the server, at least 3 s between any two requests to arXiv
// over one connection. Every other test lowers the spacing through the ingest option meant for it;
// the spacing test runs first, so that its first request has no earlier one to wait for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestSources } from '../../src/ingest/index.ts';
import { startArxivApi } from '../helpers/arxiv-api.ts';
import { tempStore, testOptions } from './helpers.ts';

const WEEK = '2026-W48';
const fast = (url: string) => testOptions({ week: WEEK, arxivApiUrl: url, arxivSpacingMs: 5 });

test('any two requests to arXiv are 3 s apart, over one connection, across all arxiv sources and URLs', async (t) => {
  const api = await startArxivApi(t);
  const { store } = tempStore(t);
  const report = await ingestSources(
    store,
    ['arxiv:cat:cs.CL', 'arxiv:cat:cs.LG AND abs:diffusion', `${api.url}/api/query?search_query=cat:cs.LG`],
    testOptions({ week: WEEK, arxivApiUrl: api.url }),
  );
  assert.deepEqual(
    report.sources.map((source) => [source.problem?.message ?? null, source.new]),
    [
      [null, 5],
      [null, 2],
      // The URL asks cs.LG at any date: the three papers it finds are stored already.
      [null, 0],
    ],
  );
  assert.equal(api.requests.length, 3);
  const gaps = api.requests.slice(1).map((request, index) => request.at - api.requests[index]!.at);
  t.diagnostic(`gaps between requests: ${gaps.join(', ')} ms`);
  assert.ok(
    gaps.every((gap) => gap >= 3000),
    `gaps ${gaps.join(', ')} ms`,
  );
  assert.equal(api.maxConnections, 1);
});

test('arxiv:cat:cs.CL fetches the week (GMT) page by page, each paper dated by its submission', async (t) => {
  const api = await startArxivApi(t, { pageCap: 2 });
  const { store } = tempStore(t);
  const report = await ingestSources(store, ['arxiv:cat:cs.CL'], fast(api.url));
  const source = report.sources[0]!;
  assert.equal(source.problem, null);
  assert.equal(source.source, 'arxiv:cat:cs.CL');
  assert.deepEqual(source.live, { week: WEEK, pages: 3, items: 5, otherWeeks: 0 });
  // Not the Sunday-night paper of the week before, nor the one five minutes into the next Monday.
  assert.deepEqual(
    store.papers.list().map((paper) => [paper.id, paper.featuredOn]),
    [
      ['2611.16620', '2026-11-23'],
      ['2611.17733', '2026-11-24'],
      ['2611.18821', '2026-11-25'],
      ['2611.20117', '2026-11-27'],
      ['2611.20950', '2026-11-29'],
    ],
  );
  const queries = api.requests.map((request) => request.query);
  assert.deepEqual(
    queries.map((query) => query.start),
    ['0', '2', '4'],
  );
  assert.equal(queries[0]?.search_query, '(cat:cs.CL) AND submittedDate:[202611230000 TO 202611292359]');
  assert.equal(queries[0]?.sortBy, 'submittedDate');
  assert.match(api.requests[0]?.userAgent ?? '', /^paperwire\/\d+\.\d+\.\d+ /);
  assert.equal(store.liveFetches.find('arxiv:cat:cs.CL', WEEK)?.pages, 3);
});

test('an empty page while totalResults says more is asked again; three in a row fail the source', async (t) => {
  const api = await startArxivApi(t);
  api.emptyPages(1);
  const { store } = tempStore(t);
  const report = await ingestSources(store, ['arxiv:cat:cs.LG'], fast(api.url));
  assert.equal(report.sources[0]?.problem, null);
  assert.equal(report.sources[0]?.new, 3);
  assert.equal(api.requests.length, 2);

  api.emptyPages(3);
  const failed = await ingestSources(store, ['arxiv:cat:cs.CL'], fast(api.url));
  assert.equal(failed.sources[0]?.problem?.code, 'E_SOURCE_READ');
  assert.match(failed.sources[0]?.problem?.message ?? '', /empty page at result 0 of 5, 3 times/);
  assert.equal(api.requests.length, 5);
  assert.match(store.liveFetches.find('arxiv:cat:cs.CL', WEEK)?.error ?? '', /empty page/);
});

test("a query arXiv refuses (HTTP 400) fails with the error feed's own words", async (t) => {
  const api = await startArxivApi(t);
  const { store } = tempStore(t);
  const report = await ingestSources(
    store,
    ['arxiv:cat:cs.CL AND foo:bar', 'arxiv:cat:cs.LG'],
    fast(api.url),
  );
  const [bad, good] = report.sources;
  assert.equal(bad?.problem?.code, 'E_SOURCE_READ');
  assert.match(
    bad?.problem?.message ?? '',
    /answered HTTP 400 Bad Request: unknown field in search_query: foo:bar$/,
  );
  assert.match(bad?.problem?.hint ?? '', /arxiv:cat:cs.CL AND foo:bar/);
  // The bad query is not retried, and the next source still runs.
  assert.equal(api.requests.filter((request) => request.query.search_query?.includes('foo:bar')).length, 1);
  assert.equal(good?.new, 3);
});
