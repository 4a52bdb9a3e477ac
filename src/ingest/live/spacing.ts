// Spacing the requests to one service: one at a time, each starting a set time after the previous
// one ended. Elapsed time is real time (performance.now), not the injectable clock: the gap is
// owed to the server, whatever date a test or a catch-up run pretends it is.

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A queue that runs requests one by one, at least a given gap apart (end of one to start of the next). */
export class RequestSpacing {
  private queue: Promise<unknown> = Promise.resolve();
  private lastEnded = Number.NEGATIVE_INFINITY;

  /** Runs `request` when every earlier one has ended and `gapMs` more have passed. */
  run<T>(gapMs: number, request: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      const wait = this.lastEnded + gapMs - performance.now();
      if (wait > 0) await sleep(wait);
      try {
        return await request();
      } finally {
        this.lastEnded = performance.now();
      }
    });
    // The next request waits for this one whether it succeeded or not.
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/** Every request this process sends to arXiv, from any source, goes through this queue (their terms). */
export const arxivRequests = new RequestSpacing();

/** arXiv's terms: no more than one request every 3 seconds, one connection at a time. */
export const ARXIV_SPACING_MS = 3000;

/** True when `url` is on one of arXiv's own hosts (arxiv.org and its subdomains). */
function onArxivHost(url: string): boolean {
  const host = URL.canParse(url) ? new URL(url).hostname.toLowerCase() : '';
  return host === 'arxiv.org' || host.endsWith('.arxiv.org');
}

/** The spacing to keep before a request to `url`: never under arXiv's 3 s for arXiv's own hosts, whatever was asked. */
export function arxivSpacingFor(url: string, requestedMs: number): number {
  return onArxivHost(url) ? Math.max(requestedMs, ARXIV_SPACING_MS) : requestedMs;
}

/** True when `url` is on arXiv: an arxiv.org host, or the host of the configured ARXIV_API_URL. */
export function isArxivUrl(url: string, arxivApiUrl: string): boolean {
  if (onArxivHost(url)) return true;
  const host = (of: string) => (URL.canParse(of) ? new URL(of).host.toLowerCase() : null);
  return host(url) !== null && host(url) === host(arxivApiUrl);
}
