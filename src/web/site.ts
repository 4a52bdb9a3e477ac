// The public site behind PUBLIC_URL (`paperwire serve`): one node:http server that
// hands each request to a list of handlers (unsubscribe, and whatever else the
// newsletter serves), under the path PUBLIC_URL has (`https://example.org/newsletter`
// answers at /newsletter/…). Bodies are capped, every answer carries the same
// security headers, and an error in a handler is a 500, never a crash.
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { type Logger, silentLogger } from '../log.ts';
import { html } from './html.ts';
import { listen } from './listen.ts';
import { htmlDocument } from './page.ts';

/** Request bodies above this size are refused with 413 (a one-click body is 26 bytes, a form a few hundred). */
export const MAX_BODY_BYTES = 8 * 1024;

/** A request as a handler sees it. */
export interface WebRequest {
  method: string;
  /** The path below the site's base path, starting with `/`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /**
   * The client's address (for rate limits): as the socket has it, or, when the request comes
   * from a reverse proxy on this machine, the address it appended to X-Forwarded-For.
   */
  clientAddress: string;
  /** The body as text, at most MAX_BODY_BYTES (BodyTooLarge past that, which the site answers with 413). */
  body(): Promise<string>;
}

/** What a handler answers. */
export interface WebResponse {
  status: number;
  type: 'html' | 'text' | 'xml' | 'json' | 'css';
  body: string | Buffer;
  /** Extra or overriding headers (e.g. Cache-Control for static pages). */
  headers?: Record<string, string>;
}

/** Answers the requests it knows, and null for the rest (the next handler is asked). */
export type WebHandler = (request: WebRequest) => Promise<WebResponse | null> | WebResponse | null;

/** Thrown by `body()` past MAX_BODY_BYTES. */
export class BodyTooLarge extends Error {}

const CONTENT_TYPES: Record<WebResponse['type'], string> = {
  html: 'text/html; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  xml: 'application/atom+xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

// No scripts unless a handler allows its own; no framing (a framed button could be clicked by trickery).
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
} as const;

/** The site's Content-Security-Policy allowing exactly the inline `script` (by its SHA-256), and no other. */
export function policyAllowingScript(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return `${CONTENT_SECURITY_POLICY}; script-src 'sha256-${hash}'`;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The client of `req`: the socket's peer, or the last X-Forwarded-For hop when that peer is a proxy on this machine. */
function clientAddressOf(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  if (!isLoopback(peer) || typeof forwarded !== 'string') return peer;
  // The proxy appends the address it saw; anything before it is what the client claimed.
  const last = forwarded.split(',').at(-1)?.trim() ?? '';
  return isIP(last) ? last : peer;
}

/** A small HTML page for the site's own answers (404, 405, 500). */
function notice(title: string, text: string): string {
  return htmlDocument({ title, head: html``, body: html`<main><h1>${title}</h1><p>${text}</p></main>` });
}

/** The path part of PUBLIC_URL without a trailing slash (`''` for a site at the root). */
export function basePathOf(publicUrl: string | null): string {
  if (!publicUrl) return '';
  return new URL(publicUrl).pathname.replace(/\/+$/, '');
}

/** Where and what the site serves. */
export interface SiteOptions {
  port: number;
  host: string;
  /** The path the site lives under (basePathOf(PUBLIC_URL)). */
  basePath: string;
  handlers: WebHandler[];
  log?: Logger;
}

/** A running site. */
export interface Site {
  /** Where it listens, e.g. `http://127.0.0.1:8080` (the base path is not included). */
  url: string;
  /** Stops accepting connections, lets requests in flight finish, and resolves when closed. */
  close(): Promise<void>;
}

function send(res: ServerResponse, response: WebResponse): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  res.writeHead(response.status, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[response.type],
    'Content-Length': body.length,
    ...response.headers,
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the site on `host:port` (port 0: any free port). */
export async function startSite(options: SiteOptions): Promise<Site> {
  const log = options.log ?? silentLogger;
  const base = options.basePath;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    // A health check may come through the proxy (under the base path) or straight to the port.
    if (
      (url.pathname === '/healthz' || url.pathname === `${base}/healthz`) &&
      (method === 'GET' || method === 'HEAD')
    ) {
      return send(res, { status: 200, type: 'text', body: 'ok\n' });
    }
    if (base && url.pathname !== base && !url.pathname.startsWith(`${base}/`)) {
      return send(res, { status: 404, type: 'html', body: notice('Not found', 'There is nothing here.') });
    }
    const request: WebRequest = {
      method,
      path: url.pathname.slice(base.length) || '/',
      query: url.searchParams,
      headers: req.headers,
      clientAddress: clientAddressOf(req),
      body: () => readBody(req),
    };
    try {
      for (const handler of options.handlers) {
        const response = await handler(request);
        if (response) return send(res, response);
      }
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      // Drain what the client still sends, so it reads the 413 instead of a reset connection.
      req.resume();
      return send(res, {
        status: 413,
        type: 'text',
        body: 'request body too large\n',
        headers: { Connection: 'close' },
      });
    }
    return send(res, { status: 404, type: 'html', body: notice('Not found', 'There is nothing here.') });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('request failed', {
        path: req.url?.split('?')[0],
        error: (error as Error)?.message ?? String(error),
      });
      if (!res.headersSent)
        send(res, { status: 500, type: 'text', body: 'internal error, please try again later\n' });
      else res.destroy();
    });
  });
  // Slow or idle clients must not hold the server open.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  const url = await listen(server, options.port, options.host);
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        // A keep-alive client that never goes idle must not keep the process up.
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  };
}

/** A response for a method a path does not allow. */
export function methodNotAllowed(allow: string): WebResponse {
  return {
    status: 405,
    type: 'html',
    body: notice('Method not allowed', 'Use the link in the email.'),
    headers: { Allow: allow },
  };
}
