// URL sources against a real local HTTP server: success, retries on 429/503
// (Retry-After honoured), a clear error on 404, and a timeout.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { test } from 'node:test';
import { isPaperwireError } from '../../src/errors.ts';
import { fetchText, rateLimitResetMs, retryAfterMs } from '../../src/ingest/fetch.ts';
import { ingestSources } from '../../src/ingest/index.ts';
import { freePort, listenDuringFile } from '../helpers/net.ts';
import { fixtureText, tempStore, testOptions } from './helpers.ts';

type Handler = (request: IncomingMessage, response: ServerResponse, hit: number) => void;

const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
const server = createServer((request, response) => {
  const path = request.url ?? '/';
  const hit = (hits.get(path) ?? 0) + 1;
  hits.set(path, hit);
  const handler = routes.get(path);
  if (handler) handler(request, response, hit);
  else response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
});
const api = listenDuringFile(server);

const daily = fixtureText('hf-daily-new.json');
const sendDaily = (response: ServerResponse): void => {
  response.writeHead(200, { 'content-type': 'application/json' }).end(daily);
};

/** A sleep that records what it was asked to wait and waits only 1 ms. */
function recordingSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    delays.push(ms);
    return new Promise((resolve) => setTimeout(resolve, 1));
  };
  return { delays, sleep };
}

test('a URL answering 200 is ingested like a file, its URL stored as origin', async (t) => {
  routes.set('/ok', (_request, response) => sendDaily(response));
  const { store } = tempStore(t);
  const report = await ingestSources(store, [`${api.url}/ok`], testOptions());
  assert.equal(report.sources[0]?.format, 'hf-daily-papers');
  assert.equal(report.sources[0]?.new, 2);
  assert.equal(store.papers.list()[0]?.origin, `${api.url}/ok`);
});

test('429 with Retry-After in seconds, then 200: waits as asked and succeeds', async () => {
  routes.set('/busy', (_request, response, hit) => {
    if (hit === 1) response.writeHead(429, { 'retry-after': '2' }).end('slow down');
    else sendDaily(response);
  });
  const { delays, sleep } = recordingSleep();
  const text = await fetchText(`${api.url}/busy`, {
    timeoutMs: 2000,
    maxAttempts: 3,
    baseDelayMs: 10,
    sleep,
  });
  assert.equal(text, daily);
  assert.deepEqual(delays, [2000]);
  assert.equal(hits.get('/busy'), 2);
});

test('Retry-After as an HTTP date is honoured, capped by the longest wait', async () => {
  const inFiveMinutes = new Date(Date.now() + 300_000).toUTCString();
  routes.set('/dated', (_request, response, hit) => {
    if (hit === 1) response.writeHead(503, { 'retry-after': inFiveMinutes }).end();
    else sendDaily(response);
  });
  const { delays, sleep } = recordingSleep();
  await fetchText(`${api.url}/dated`, { timeoutMs: 2000, maxAttempts: 2, maxDelayMs: 1500, sleep });
  assert.deepEqual(delays, [1500]);
  const asked = retryAfterMs(
    new Date(Date.UTC(2026, 10, 20, 12, 0, 30)).toUTCString(),
    new Date('2026-11-20T12:00:00Z'),
  );
  assert.equal(asked, 30_000);
  assert.equal(retryAfterMs('soon'), null);
});

test('503 twice, then 200: exponential backoff, and the real ingest goes through', async (t) => {
  routes.set('/flaky', (_request, response, hit) => {
    if (hit <= 2) response.writeHead(503).end('maintenance');
    else sendDaily(response);
  });
  const { delays, sleep } = recordingSleep();
  await fetchText(`${api.url}/flaky`, { timeoutMs: 2000, maxAttempts: 3, baseDelayMs: 100, sleep });
  assert.deepEqual(delays, [100, 200]);

  routes.set('/flaky2', (_request, response, hit) => {
    if (hit === 1) response.writeHead(503).end();
    else sendDaily(response);
  });
  const { store } = tempStore(t);
  const report = await ingestSources(store, [`${api.url}/flaky2`], testOptions());
  assert.equal(report.sources[0]?.new, 2);
});

test('5xx on every attempt: the source fails after maxAttempts with E_SOURCE_READ', async (t) => {
  routes.set('/down', (_request, response) => response.writeHead(502).end());
  const { store } = tempStore(t);
  const report = await ingestSources(store, [`${api.url}/down`], testOptions({ fetchMaxAttempts: 3 }));
  assert.equal(report.sources[0]?.problem?.code, 'E_SOURCE_READ');
  assert.match(report.sources[0]?.problem?.message ?? '', /HTTP 502.*gave up after 3 attempts/);
  assert.equal(hits.get('/down'), 3);
});

test('404 is not retried: a clear error naming the URL and the status', async () => {
  const { delays, sleep } = recordingSleep();
  await assert.rejects(
    fetchText(`${api.url}/missing`, { timeoutMs: 2000, maxAttempts: 4, sleep }),
    (error: unknown) =>
      isPaperwireError(error, 'E_SOURCE_READ') &&
      error.message === `${api.url}/missing answered HTTP 404 Not Found` &&
      Boolean(error.hint),
  );
  assert.deepEqual(delays, []);
  assert.equal(hits.get('/missing'), 1);
});

test('a server that never answers times out, is retried, then fails; other sources still run', async (t) => {
  routes.set('/hang', () => {
    // never answers
  });
  const { store } = tempStore(t);
  routes.set('/ok-after-hang', (_request, response) => sendDaily(response));
  const report = await ingestSources(
    store,
    [`${api.url}/hang`, `${api.url}/ok-after-hang`],
    testOptions({ fetchTimeoutMs: 200, fetchMaxAttempts: 2 }),
  );
  assert.equal(report.sources[0]?.problem?.code, 'E_SOURCE_READ');
  assert.match(report.sources[0]?.problem?.message ?? '', /no complete answer within 200 ms.*2 attempts/);
  assert.equal(hits.get('/hang'), 2);
  assert.equal(report.sources[1]?.new, 2);
});

test('a refused connection is a network error, retried, then E_SOURCE_READ', async () => {
  const port = await freePort();
  const { delays, sleep } = recordingSleep();
  await assert.rejects(
    fetchText(`http://127.0.0.1:${port}/`, { timeoutMs: 1000, maxAttempts: 2, baseDelayMs: 7, sleep }),
    (error: unknown) =>
      isPaperwireError(error, 'E_SOURCE_READ') &&
      /network error: ECONNREFUSED/.test(error.message) &&
      /Nothing listens there/.test(error.hint ?? ''),
  );
  assert.deepEqual(delays, [7]);
});

test('a host name that does not resolve says to check the URL and the network, not that the server is busy', async () => {
  const { sleep } = recordingSleep();
  // .invalid never resolves (RFC 2606), so no query leaves this machine's resolver.
  await assert.rejects(
    fetchText('http://papers.invalid/', { timeoutMs: 2000, maxAttempts: 1, baseDelayMs: 1, sleep }),
    (error: unknown) =>
      isPaperwireError(error, 'E_SOURCE_READ') &&
      /network error: (ENOTFOUND|EAI_AGAIN)/.test(error.message) &&
      /host name did not resolve/.test(error.hint ?? ''),
  );
});

test('a body that stalls half-way also times out', async () => {
  routes.set('/stall', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('[{"paper": ');
  });
  await assert.rejects(
    fetchText(`${api.url}/stall`, { timeoutMs: 200, maxAttempts: 1 }),
    (error: unknown) =>
      isPaperwireError(error, 'E_SOURCE_READ') && /no complete answer within 200 ms/.test(error.message),
  );
});

test('429 without Retry-After waits for the IETF RateLimit reset (t=, RateLimit-Reset)', async () => {
  routes.set('/rate-limited', (_request, response, hit) => {
    if (hit === 1) response.writeHead(429, { ratelimit: '"api";r=0;t=3' }).end();
    else if (hit === 2) response.writeHead(429, { 'ratelimit-reset': '2' }).end();
    else sendDaily(response);
  });
  const { delays, sleep } = recordingSleep();
  await fetchText(`${api.url}/rate-limited`, { timeoutMs: 2000, maxAttempts: 3, baseDelayMs: 10, sleep });
  assert.deepEqual(delays, [3000, 2000]);
  // Of several policies the exhausted one counts; the older draft's `reset=` is read too.
  assert.equal(rateLimitResetMs({ ratelimit: '"pages";r=40;t=200, "api";r=0;t=55' }), 55_000);
  assert.equal(rateLimitResetMs({ ratelimit: 'limit=100, remaining=0, reset=30' }), 30_000);
  assert.equal(rateLimitResetMs({ 'ratelimit-policy': '"fixed window";"api";q=500;w=300' }), null);
});

test("a 400 answer carrying arXiv's error feed shows what the feed says is wrong", async () => {
  routes.set('/bad-query', (_request, response) => {
    response.writeHead(400, { 'content-type': 'application/atom+xml' }).end(fixtureText('arxiv-error.xml'));
  });
  await assert.rejects(
    fetchText(`${api.url}/bad-query`, { timeoutMs: 2000, maxAttempts: 3 }),
    (error: unknown) =>
      isPaperwireError(error, 'E_SOURCE_READ') &&
      error.message.includes('HTTP 400 Bad Request: incorrect id format for 2611.9'),
  );
  assert.equal(hits.get('/bad-query'), 1);
});

test('every request names paperwire and its version in the User-Agent', async () => {
  let agent = '';
  routes.set('/who', (request, response) => {
    agent = request.headers['user-agent'] ?? '';
    sendDaily(response);
  });
  await fetchText(`${api.url}/who`, { timeoutMs: 2000, maxAttempts: 1 });
  assert.match(agent, /^paperwire\/\d+\.\d+\.\d+ /);
});
