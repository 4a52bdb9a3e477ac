// Reading a URL source: a timeout on every attempt, retries with exponential
// backoff on 429, 5xx and network errors (honouring Retry-After), and a clear
// error naming the URL and status for anything else.
import { PaperwireError } from '../errors.ts';
import { type Logger, silentLogger } from '../log.ts';

/** How fetchText waits and retries. */
export interface FetchOptions {
  /** Timeout of one attempt (connect, headers and body), in milliseconds. */
  timeoutMs: number;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Delay before the first retry; doubled on each further one (default 1000 ms). */
  baseDelayMs?: number;
  /** The longest wait between attempts, Retry-After included (default 60 s). */
  maxDelayMs?: number;
  log?: Logger;
  /** How to wait; tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait a `Retry-After` header asks for (seconds or an HTTP date), in ms, or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date = new Date()): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : Math.max(0, time - now.getTime());
}

function hintFor(status: number): string {
  if (status === 404 || status === 410)
    return 'Check the URL (on the command line or in SOURCE_URLS): nothing is there.';
  if (status === 401 || status === 403)
    return 'The server refuses access; paperwire sends no credentials, so use a public URL.';
  return 'Check the URL (on the command line or in SOURCE_URLS).';
}

function networkProblem(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return `no complete answer within ${timeoutMs} ms`;
  const cause = err.cause?.code ?? err.cause?.message;
  return `network error: ${cause ?? err.message}`;
}

/** GETs `url` and returns its body as text, retrying what may pass; throws E_SOURCE_READ otherwise. */
export async function fetchText(url: string, options: FetchOptions): Promise<string> {
  const { timeoutMs, maxAttempts, baseDelayMs = 1000, maxDelayMs = 60_000 } = options;
  const log = options.log ?? silentLogger;
  const sleep = options.sleep ?? wait;
  if (!URL.canParse(url)) {
    throw new PaperwireError('E_SOURCE_READ', `${url} is not a valid URL`, {
      hint: 'Write it as https://host/path.',
    });
  }
  for (let attempt = 1; ; attempt++) {
    let problem: string;
    let asked: number | null = null;
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/json, application/atom+xml, text/plain;q=0.9, */*;q=0.5' },
      });
      if (response.ok) return await response.text();
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      await response.body?.cancel();
      if (response.status !== 429 && response.status < 500) {
        throw new PaperwireError('E_SOURCE_READ', `${url} answered ${status}`, {
          hint: hintFor(response.status),
        });
      }
      problem = status;
      asked = retryAfterMs(response.headers.get('retry-after'));
    } catch (error) {
      if (error instanceof PaperwireError) throw error;
      problem = networkProblem(error, timeoutMs);
    }
    if (attempt >= maxAttempts) {
      throw new PaperwireError(
        'E_SOURCE_READ',
        `${url}: ${problem} (gave up after ${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'})`,
        {
          hint: 'The server is busy, down or slow: try again later, or raise FETCH_MAX_ATTEMPTS / FETCH_TIMEOUT_MS.',
        },
      );
    }
    const delay = Math.min(asked ?? baseDelayMs * 2 ** (attempt - 1), maxDelayMs);
    log.warn(`${url}: ${problem}; retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts})`);
    await sleep(delay);
  }
}
