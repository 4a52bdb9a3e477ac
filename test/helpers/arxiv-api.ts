// A local HTTP server on port 0 that answers like the arXiv API (export.arxiv.org/api/query), for
// tests of the `arxiv:QUERY` sources and of the weekly job (set ARXIV_API_URL to `api.url`).
//
//   const api = await startArxivApi(t);                 // the papers of test/fixtures/arxiv-api/papers.json
//   const api = await startArxivApi(t, { papers, pageCap: 2 });
//
// GET /api/query?search_query=…&start=N&max_results=N&sortBy=submittedDate&sortOrder=ascending|descending
//   search_query: terms joined by AND, in parentheses or not — `cat:cs.CL`, `ti:word`, `abs:word`,
//   `au:name`, `all:word` (a word matches case-insensitively inside the field; `"two words"` as one)
//   — and `submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]` (GMT, both ends included).
//   The answer is an Atom feed as arXiv writes it: opensearch:totalResults/startIndex/itemsPerPage,
//   then one <entry> per paper (id with version, title and summary with arXiv's line wraps,
//   published, updated, authors, categories, links, arxiv:comment).
//   `pageCap` (option) caps the entries per answer below max_results, as a server may.
//   A bad request is HTTP 400 with arXiv's error feed (one <entry> titled "Error" whose <summary>
//   says what is wrong): an unclosed parenthesis, an unknown field, OR/ANDNOT (not read here), a
//   start or max_results that is not a whole number, max_results over 2000. Anything else: 404.
//
// Controls and records:
//   api.url             the base URL (ARXIV_API_URL), `http://127.0.0.1:PORT`
//   api.emptyPages(n)   the next n answers are valid feeds with the true totalResults and no entries
//                       (arXiv's known quirk)
//   api.requests        every request: { at (Date.now() ms when it arrived), query, userAgent }; the
//                       gaps between `at`s are what arXiv's "one request every 3 seconds" is about
//   api.maxConnections  the most connections that were open at once (arXiv asks for one)
//   api.close()         stops the server (done by itself after the test when `t` is given)
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { listenLocal } from './net.ts';

/** One paper the server knows. */
export interface ArxivPaper {
  /** Without version, e.g. `2611.16620`. */
  id: string;
  version?: number;
  /** The submission time of the first version, `2026-11-23T09:15:27Z`. */
  published: string;
  updated?: string;
  /** The first is the primary category. */
  categories: string[];
  title: string;
  summary: string;
  authors: string[];
  comment?: string;
}

/** A request the server got. */
export interface ArxivRequest {
  /** When it arrived, in ms since the epoch. */
  at: number;
  query: Record<string, string>;
  userAgent: string | null;
}

/** A running fake arXiv API. */
export interface ArxivApi {
  url: string;
  requests: ArxivRequest[];
  readonly maxConnections: number;
  emptyPages(count: number): void;
  close(): Promise<void>;
}

const FIXTURE = fileURLToPath(new URL('../fixtures/arxiv-api/papers.json', import.meta.url));

/** The fixture papers: the week 2026-W48 (23–29 November 2026) in cs.CL and cs.LG, and one each side of it. */
export function loadFixturePapers(): ArxivPaper[] {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as ArxivPaper[];
}

const xmlText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function entryXml(paper: ArxivPaper): string {
  const id = `${paper.id}v${paper.version ?? 1}`;
  const lines = [
    '  <entry>',
    `    <id>http://arxiv.org/abs/${id}</id>`,
    `    <updated>${paper.updated ?? paper.published}</updated>`,
    `    <published>${paper.published}</published>`,
    `    <title>${xmlText(paper.title)}</title>`,
    // arXiv indents the abstract and ends it with a line break.
    `    <summary>  ${xmlText(paper.summary)}\n</summary>`,
    ...paper.authors.map((name) => `    <author>\n      <name>${xmlText(name)}</name>\n    </author>`),
    ...(paper.comment ? [`    <arxiv:comment>${xmlText(paper.comment)}</arxiv:comment>`] : []),
    `    <link href="http://arxiv.org/abs/${id}" rel="alternate" type="text/html"/>`,
    `    <link title="pdf" href="http://arxiv.org/pdf/${id}" rel="related" type="application/pdf"/>`,
    `    <arxiv:primary_category term="${paper.categories[0]}" scheme="http://arxiv.org/schemas/atom"/>`,
    ...paper.categories.map(
      (term) => `    <category term="${term}" scheme="http://arxiv.org/schemas/atom"/>`,
    ),
    '  </entry>',
  ];
  return lines.join('\n');
}

function feedXml(query: string, total: number, start: number, entries: ArxivPaper[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">',
    `  <link href="http://arxiv.org/api/query?${xmlText(query)}" rel="self" type="application/atom+xml"/>`,
    `  <title type="html">ArXiv Query: ${xmlText(query)}</title>`,
    '  <id>http://arxiv.org/api/test-server</id>',
    '  <updated>2026-11-30T00:00:00-05:00</updated>',
    `  <opensearch:totalResults>${total}</opensearch:totalResults>`,
    `  <opensearch:startIndex>${start}</opensearch:startIndex>`,
    `  <opensearch:itemsPerPage>${entries.length}</opensearch:itemsPerPage>`,
    ...entries.map(entryXml),
    '</feed>',
    '',
  ].join('\n');
}

function errorXml(message: string): string {
  const anchor = message.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">',
    '  <title type="html">ArXiv Query: error</title>',
    '  <id>http://arxiv.org/api/test-server-error</id>',
    '  <opensearch:totalResults>1</opensearch:totalResults>',
    '  <opensearch:startIndex>0</opensearch:startIndex>',
    '  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>',
    '  <entry>',
    `    <id>http://arxiv.org/api/errors#${anchor}</id>`,
    '    <title>Error</title>',
    `    <summary>${xmlText(message)}</summary>`,
    '    <updated>2026-11-30T00:00:00-05:00</updated>',
    '    <author>\n      <name>arXiv api core</name>\n    </author>',
    '  </entry>',
    '</feed>',
    '',
  ].join('\n');
}

/** Thrown while reading a query: the text of the error feed. */
class BadQuery extends Error {}

type Filter = (paper: ArxivPaper) => boolean;

/** The filter a search_query stands for; throws BadQuery for what this server cannot read. */
function parseQuery(raw: string): Filter {
  let depth = 0;
  for (const char of raw.replace(/"[^"]*"/g, '')) {
    if (char === '(') depth++;
    if (char === ')' && --depth < 0) break;
  }
  if (depth !== 0) throw new BadQuery('malformed query: unbalanced parentheses');
  const terms = raw
    .replace(/[()]/g, ' ')
    .split(/\s+AND\s+/)
    .map((term) => term.trim())
    .filter(Boolean);
  const filters = terms.map((term): Filter => {
    if (/\s(?:OR|ANDNOT)\s/.test(term)) throw new BadQuery(`unsupported operator in ${term}`);
    const range = /^submittedDate:\[(\d{12}) TO (\d{12})\]$/.exec(term);
    if (range) {
      const stamp = (paper: ArxivPaper): string => paper.published.replace(/\D/g, '').slice(0, 12);
      return (paper) => stamp(paper) >= range[1]! && stamp(paper) <= range[2]!;
    }
    const field = /^(cat|ti|abs|au|all):"?([^"]+)"?$/.exec(term);
    if (!field) throw new BadQuery(`unknown field in search_query: ${term}`);
    const [, prefix, value] = field;
    const word = value!.toLowerCase();
    const has = (text: string): boolean => text.toLowerCase().includes(word);
    if (prefix === 'cat')
      return (paper) => paper.categories.some((category) => category.toLowerCase() === word);
    if (prefix === 'ti') return (paper) => has(paper.title);
    if (prefix === 'abs') return (paper) => has(paper.summary);
    if (prefix === 'au') return (paper) => paper.authors.some(has);
    return (paper) => has(paper.title) || has(paper.summary) || paper.authors.some(has);
  });
  return (paper) => filters.every((filter) => filter(paper));
}

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new BadQuery(`${name} must be an integer`);
  return Number(value);
}

function atom(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/atom+xml; charset=utf-8' }).end(body);
}

/** Starts the server on 127.0.0.1, port 0; with `t`, it is closed after the test. */
export async function startArxivApi(
  t?: { after(fn: () => Promise<void> | void): void },
  options: { papers?: ArxivPaper[]; pageCap?: number } = {},
): Promise<ArxivApi> {
  const papers = options.papers ?? loadFixturePapers();
  const requests: ArxivRequest[] = [];
  let empty = 0;
  let open = 0;
  let maxConnections = 0;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    requests.push({ at: Date.now(), query, userAgent: request.headers['user-agent'] ?? null });
    if (url.pathname !== '/api/query') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      const start = wholeNumber(query.start, 'start', 0);
      const maxResults = wholeNumber(query.max_results, 'max_results', 10);
      if (maxResults > 2000) throw new BadQuery('max_results must be less than or equal to 2000');
      const filter = parseQuery(query.search_query ?? '');
      const direction = query.sortOrder === 'ascending' ? 1 : -1;
      const matches = papers
        .filter(filter)
        .sort((a, b) => direction * (a.published < b.published ? -1 : a.published > b.published ? 1 : 0));
      const size = Math.min(maxResults, options.pageCap ?? maxResults);
      const page = empty > 0 ? [] : matches.slice(start, start + size);
      if (empty > 0) empty--;
      atom(response, 200, feedXml(url.search.slice(1), matches.length, start, page));
    } catch (error) {
      if (!(error instanceof BadQuery)) throw error;
      atom(response, 400, errorXml(error.message));
    }
  });
  server.on('connection', (socket) => {
    open++;
    maxConnections = Math.max(maxConnections, open);
    socket.on('close', () => open--);
  });
  const { url, close } = await listenLocal(server, t);
  return {
    url,
    requests,
    get maxConnections() {
      return maxConnections;
    },
    emptyPages: (count) => {
      empty += count;
    },
    close,
  };
}
