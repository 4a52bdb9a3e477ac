// Reading a URL source: a timeout on every attempt, retries with exponential
// backoff on 429, 5xx and network errors (honouring Retry-After and the RateLimit
// reset headers), a size cap counted while reading — on the wire and again after
// decompression, so neither an endless answer nor a gzip bomb can fill the memory —
// and a clear error naming the URL and status for anything else.

import { STATUS_CODES } from 'node:http';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { PaperwireError } from '../errors.ts';
import { type Logger, silentLogger } from '../log.ts';
import { VERSION } from '../paths.ts';
import { atomErrorText } from './formats/arxiv-atom.ts';
import { DEFAULT_FETCH_MAX_BYTES } from './limits.ts';

/** How fetchText waits, retries and limits. */
export interface FetchOptions {
  /** Timeout of one attempt (connect, headers and body), in milliseconds. */
  timeoutMs: number;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Delay before the first retry; doubled on each further one (default 1000 ms). */
  baseDelayMs?: number;
  /** The longest wait between attempts, Retry-After included (default 60 s). */
  maxDelayMs?: number;
  /** The most bytes one response may have, counted on the wire and again decompressed (FETCH_MAX_BYTES). */
  maxBytes?: number;
  /** Extra request headers, e.g. `authorization` for HF_TOKEN. */
  headers?: Record<string, string>;
  /** Runs each HTTP attempt, retries included: the arXiv spacing passes one that waits its turn. */
  throttle?: <T>(attempt: () => Promise<T>) => Promise<T>;
  /** Where the URL comes from, for hints (default `on the command line or in SOURCES`). */
  configuredIn?: string;
  log?: Logger;
  /** How to wait; tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
}

/** The User-Agent of every request: arXiv's terms ask for one that names the client. */
export const USER_AGENT = `paperwire/${VERSION} (weekly research-paper newsletter; Node.js ${process.version})`;

/** How much of an error answer is read to find the server's own explanation. */
const ERROR_BODY_MAX_BYTES = 64 * 1024;

// undici (some fifty modules) is loaded on the first request, not at start: many runs read
// files only.
let client: Promise<{ request: typeof import('undici').request; dispatcher: Dispatcher }> | null = null;

function httpClient(): NonNullable<typeof client> {
  client ??= import('undici').then(({ Agent, interceptors, request }) => ({
    request,
    // Redirects are followed like fetch() does; sockets of idle connections do not keep the process alive.
    dispatcher: new Agent().compose(interceptors.redirect({ maxRedirections: 5 })),
  }));
  return client;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Headers = Record<string, string | string[] | undefined>;
type Body = Dispatcher.ResponseData['body'];

function header(headers: Headers, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The wait a `Retry-After` header asks for (seconds or an HTTP date), in ms, or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date = new Date()): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : Math.max(0, time - now.getTime());
}

/**
 * The wait until a rate-limit window resets, in ms, from the IETF RateLimit headers: `RateLimit:
 * "api";r=0;t=55` (draft 9, what Hugging Face sends; the exhausted policy's `t` wins), the older
 * `RateLimit: limit=100, remaining=0, reset=55`, or `RateLimit-Reset: 55`; null when none says.
 */
export function rateLimitResetMs(headers: Headers, now: Date = new Date()): number | null {
  const combined = header(headers, 'ratelimit');
  if (combined !== null) {
    const policies = combined.split(',').map((part) => ({
      remaining: /(?:^|;)\s*r=(\d+)/.exec(part)?.[1],
      reset: /(?:^|;)\s*t=(\d+)/.exec(part)?.[1],
    }));
    const exhausted = policies.filter((policy) => policy.remaining === '0' && policy.reset !== undefined);
    const resets = (exhausted.length > 0 ? exhausted : policies)
      .map((policy) => policy.reset)
      .filter((reset) => reset !== undefined)
      .map(Number);
    if (resets.length > 0) return Math.max(...resets) * 1000;
    const older = /(?:^|[,;\s])reset=(\d+)/.exec(combined)?.[1];
    if (older !== undefined) return Number(older) * 1000;
  }
  const reset = header(headers, 'ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) {
    const seconds = Number(reset);
    // Some servers send the reset as a Unix time rather than the draft's delta seconds.
    return seconds > 1e9 ? Math.max(0, seconds * 1000 - now.getTime()) : seconds * 1000;
  }
  return null;
}

function hintFor(status: number, where: string): string {
  if (status === 404 || status === 410) return `Check the URL (${where}): nothing is there.`;
  if (status === 401 || status === 403)
    return 'The server refuses access: use a public URL (for Hugging Face, check HF_TOKEN).';
  return `Check the URL (${where}).`;
}

function networkProblem(error: unknown, timeoutMs: number): string {
  const err = error as Error & { code?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return `no complete answer within ${timeoutMs} ms`;
  const cause = err.cause?.code ?? err.cause?.message ?? err.code;
  return `network error: ${cause ?? err.message}`;
}

/** What to do once a URL gave no answer in every attempt: a name that does not resolve is not a busy server. */
function giveUpHint(problem: string): string {
  if (/\b(ENOTFOUND|EAI_AGAIN)\b/.test(problem)) {
    return 'The host name did not resolve: check the URL (HF_API_URL, ARXIV_API_URL, SOURCES) and that this machine can reach the network and DNS.';
  }
  if (/\bECONNREFUSED\b/.test(problem)) {
    return 'Nothing listens there: check the host and port of the URL, and that the server is running.';
  }
  return 'The server is busy, down or slow: try again later, or raise FETCH_MAX_ATTEMPTS / FETCH_TIMEOUT_MS.';
}

const megabytes = (bytes: number): string =>
  `${(bytes / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;

function tooLarge(url: string, maxBytes: number, how: string): PaperwireError {
  return new PaperwireError(
    'E_SOURCE_READ',
    `${url}: the answer is larger than ${megabytes(maxBytes)} ${how}: stopped reading (FETCH_MAX_BYTES=${maxBytes})`,
    {
      hint: 'Check that the URL is the API or feed you meant; if the source really is that large, raise FETCH_MAX_BYTES.',
    },
  );
}

/** The decoders for a Content-Encoding list, in the order they undo it. */
function decodersFor(url: string, encoding: string | null): Transform[] {
  const codings = (encoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  // Lenient like browsers: a stream cut short at its end still yields what it holds.
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  return codings.reverse().map((coding) => {
    if (coding === 'gzip' || coding === 'x-gzip') return createGunzip(flush);
    if (coding === 'deflate') return createInflate(flush);
    if (coding === 'br') return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH });
    throw new PaperwireError('E_SOURCE_READ', `${url}: the answer is in an unknown encoding "${coding}"`, {
      hint: 'paperwire reads gzip, deflate and br answers; ask the server for another.',
    });
  });
}

/** Lets go of a body not worth reading: a little of it is drained so the connection can be reused, then it is closed. */
async function discard(body: Body): Promise<void> {
  await body.dump({ limit: ERROR_BODY_MAX_BYTES }).catch(() => undefined);
}

/** Reads a response body as UTF-8, counting bytes as they arrive; throws past `maxBytes`. */
async function readCapped(url: string, headers: Headers, body: Body, maxBytes: number): Promise<string> {
  const declared = Number(header(headers, 'content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await discard(body);
    throw tooLarge(url, maxBytes, 'by its Content-Length');
  }
  const decoders = decodersFor(url, header(headers, 'content-encoding'));
  let onWire = 0;
  const countWire = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onWire += chunk.length;
      done(onWire > maxBytes ? tooLarge(url, maxBytes, 'on the wire') : null, chunk);
    },
  });
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge(url, maxBytes, decoders.length ? 'decompressed' : 'in all'));
      chunks.push(chunk);
      done();
    },
  });
  try {
    await pipeline([body, countWire, ...decoders, collect]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new PaperwireError('E_SOURCE_READ', `${url}: the compressed answer is damaged (${code})`, {
        hint: 'Try again later; if it persists, the server sends broken data.',
        cause: error,
      });
    }
    throw error;
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** The server's own words in an error answer: an arXiv error feed's summary, or a JSON `error`/`message`. */
function errorDetail(text: string): string | null {
  const body = text.trim();
  if (body.startsWith('<')) return atomErrorText(body);
  if (!body.startsWith('{')) return null;
  try {
    const value = JSON.parse(body) as { error?: unknown; message?: unknown };
    const said = typeof value.error === 'string' ? value.error : value.message;
    return typeof said === 'string' && said.trim() !== '' ? said.trim().slice(0, 500) : null;
  } catch {
    return null;
  }
}

/** One GET: the body of a 2xx answer, or the status, headers and any explanation of another. */
async function attempt(
  url: string,
  options: FetchOptions,
): Promise<
  { ok: true; text: string } | { ok: false; status: number; headers: Headers; detail: string | null }
> {
  const { request, dispatcher } = await httpClient();
  const response = await request(url, {
    method: 'GET',
    dispatcher,
    signal: AbortSignal.timeout(options.timeoutMs),
    headers: {
      accept: 'application/json, application/atom+xml, text/plain;q=0.9, */*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
      'user-agent': USER_AGENT,
      ...options.headers,
    },
  });
  const { statusCode: status, headers, body } = response;
  if (status >= 200 && status < 300) {
    return {
      ok: true,
      text: await readCapped(url, headers, body, options.maxBytes ?? DEFAULT_FETCH_MAX_BYTES),
    };
  }
  let detail: string | null = null;
  if (status >= 400 && status < 500 && status !== 429) {
    detail = await readCapped(url, headers, body, ERROR_BODY_MAX_BYTES).then(errorDetail, () => null);
  } else {
    await discard(body);
  }
  return { ok: false, status, headers, detail };
}

/** GETs `url` and returns its body as text, retrying what may pass; throws E_SOURCE_READ otherwise. */
export async function fetchText(url: string, options: FetchOptions): Promise<string> {
  const { timeoutMs, maxAttempts, baseDelayMs = 1000, maxDelayMs = 60_000 } = options;
  const log = options.log ?? silentLogger;
  const sleep = options.sleep ?? wait;
  const throttle = options.throttle ?? (<T>(run: () => Promise<T>) => run());
  const where = options.configuredIn ?? 'on the command line or in SOURCES';
  if (!URL.canParse(url)) {
    throw new PaperwireError('E_SOURCE_READ', `${url} is not a valid URL`, {
      hint: 'Write it as https://host/path.',
    });
  }
  for (let attemptNo = 1; ; attemptNo++) {
    let problem: string;
    let asked: number | null = null;
    try {
      const answer = await throttle(() => attempt(url, options));
      if (answer.ok) return answer.text;
      const { status, headers, detail } = answer;
      const statusText = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
      if (status !== 429 && status < 500) {
        throw new PaperwireError(
          'E_SOURCE_READ',
          `${url} answered ${statusText}${detail ? `: ${detail}` : ''}`,
          {
            hint:
              detail && status === 400
                ? `The server says what is wrong: fix the query (${where}).`
                : hintFor(status, where),
          },
        );
      }
      problem = statusText;
      asked = retryAfterMs(header(headers, 'retry-after')) ?? rateLimitResetMs(headers);
    } catch (error) {
      if (error instanceof PaperwireError) throw error;
      problem = networkProblem(error, timeoutMs);
    }
    if (attemptNo >= maxAttempts) {
      throw new PaperwireError(
        'E_SOURCE_READ',
        `${url}: ${problem} (gave up after ${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'})`,
        { hint: giveUpHint(problem) },
      );
    }
    const delay = Math.min(asked ?? baseDelayMs * 2 ** (attemptNo - 1), maxDelayMs);
    log.warn(`${url}: ${problem}; retrying in ${delay} ms (attempt ${attemptNo + 1} of ${maxAttempts})`);
    await sleep(delay);
  }
}
