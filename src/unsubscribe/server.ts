// The unsubscribe endpoint (node:http, no framework), safe against link scanners:
//   GET  /unsubscribe?token=…  a page with a confirm button; changes nothing
//   POST /unsubscribe?token=…  `List-Unsubscribe=One-Click` (RFC 8058) or the page's
//                              `confirm=yes` → the address is suppressed ('link')
//   GET  /healthz              200 ok
// A bad token is a 400 and changes nothing; a repeated POST is a 200 and one suppression.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { SuppressionList } from '../subscribers/suppressions.ts';
import { listen } from '../web/listen.ts';
import { UNSUBSCRIBE_PATH, verifyUnsubscribeToken } from './index.ts';
import { confirmPage, donePage, invalidPage, messagePage } from './pages.ts';

/** Request bodies above this size are refused with 413; a one-click body is 26 bytes. */
export const MAX_BODY_BYTES = 8 * 1024;

/** A running unsubscribe server. */
export interface UnsubscribeServer {
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Stops accepting connections, lets requests in flight finish, and resolves when closed. */
  close(): Promise<void>;
}

/** Where to listen, plus an optional logger for each unsubscribe. */
export interface UnsubscribeServerOptions {
  port: number;
  host: string;
  log?: Logger;
}

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // No scripts, no framing (a framed confirm button could be clicked by trickery).
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
} as const;

function reply(res: ServerResponse, status: number, body: string, type: 'html' | 'text'): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

class BodyTooLarge extends Error {}

/** Reads a request body of at most MAX_BODY_BYTES. */
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

/** The form fields of a urlencoded or multipart/form-data body (RFC 8058 allows either). */
export function formFields(contentType: string, body: string): Map<string, string> {
  const fields = new Map<string, string>();
  const boundary = /^multipart\/form-data\b.*;\s*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary) {
    for (const part of body.split(`--${boundary}`)) {
      const split = part.indexOf('\r\n\r\n');
      if (split < 0) continue;
      const name = /\bname="([^"]*)"/i.exec(part.slice(0, split))?.[1];
      if (name !== undefined && !fields.has(name))
        fields.set(name, part.slice(split + 4).replace(/\r\n$/, ''));
    }
    return fields;
  }
  for (const [name, value] of new URLSearchParams(body)) if (!fields.has(name)) fields.set(name, value);
  return fields;
}

/** What an unsubscribe POST asked for: RFC 8058 one-click, the confirm page's form, or neither. */
function postKind(fields: Map<string, string>): 'one-click' | 'form' | null {
  if (fields.get('List-Unsubscribe')?.trim() === 'One-Click') return 'one-click';
  if (fields.get('confirm') === 'yes') return 'form';
  return null;
}

/** Starts the unsubscribe endpoint on `host:port` (port 0: any free port); needs UNSUBSCRIBE_SECRET. */
export async function startUnsubscribeServer(
  suppressions: Pick<SuppressionList, 'suppress'>,
  config: Pick<Config, 'unsubscribeSecret' | 'listId'>,
  options: UnsubscribeServerOptions,
): Promise<UnsubscribeServer> {
  const secret = config.unsubscribeSecret;
  if (!secret) {
    throw new PaperwireError('E_CONFIG', 'the unsubscribe endpoint needs UNSUBSCRIBE_SECRET', {
      hint: 'Set UNSUBSCRIBE_SECRET (e.g. `openssl rand -hex 32`) and PUBLIC_URL to the address this server is reached at.',
    });
  }
  const log = options.log ?? silentLogger;
  const listName = config.listId;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      return reply(res, 200, 'ok\n', 'text');
    }
    if (url.pathname !== UNSUBSCRIBE_PATH && url.pathname !== `${UNSUBSCRIBE_PATH}/`) {
      return reply(res, 404, messagePage('Not found', 'There is nothing here.'), 'html');
    }
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      res.setHeader('Allow', 'GET, HEAD, POST');
      return reply(res, 405, messagePage('Method not allowed', 'Use the link in the email.'), 'html');
    }
    const token = url.searchParams.get('token') ?? '';
    const email = verifyUnsubscribeToken(secret, config.listId, token);
    if (method !== 'POST') {
      if (!email) return reply(res, 400, invalidPage(), 'html');
      return reply(res, 200, confirmPage(email, token, listName), 'html');
    }
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      // Drain what the client still sends, so it reads the 413 instead of a reset connection.
      req.resume();
      res.setHeader('Connection', 'close');
      return reply(res, 413, 'request body too large\n', 'text');
    }
    if (!email) return reply(res, 400, invalidPage(), 'html');
    const kind = postKind(formFields(String(req.headers['content-type'] ?? ''), body));
    if (!kind) {
      return reply(res, 400, 'expected List-Unsubscribe=One-Click or confirm=yes\n', 'text');
    }
    const reason = kind === 'one-click' ? 'one-click unsubscribe (RFC 8058)' : 'unsubscribe page';
    const isNew = suppressions.suppress(email, 'link', reason);
    if (isNew) log.info('unsubscribed', { email, via: kind });
    if (kind === 'one-click') return reply(res, 200, 'unsubscribed\n', 'text');
    return reply(res, 200, donePage(email, listName), 'html');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('unsubscribe request failed', { error: (error as Error)?.message ?? String(error) });
      if (!res.headersSent) reply(res, 500, 'internal error, please try again later\n', 'text');
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
