// The live preview server (`paperwire preview --serve`): node:http, no framework.
// Pages render on request from a cache that a template, subscriber-list or store
// change throws away; open pages reload themselves over Server-Sent Events.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { PaperwireError } from '../errors.ts';
import { addressKey } from '../identity.ts';
import { type Logger, silentLogger } from '../log.ts';
import { html, type SafeHtml } from '../web/html.ts';
import { listen } from '../web/listen.ts';
import { describeVariant } from './email.ts';
import {
  errorBox,
  errorPage,
  frameErrorDocument,
  indexPage,
  type SubscriberView,
  subscriberPage,
} from './pages.ts';
import type { PreviewEditionChoice } from './select.ts';
import { PreviewSession, type PreviewSource } from './session.ts';
import { watchPreviewInputs } from './watch.ts';

/** Where the preview server listens. */
export interface PreviewServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1: the pages show subscriber addresses, so keep them on this machine. */
  host?: string;
  /** What to watch for changes: the templates folder and the subscriber list. */
  watch: { templatesDir: string; subscribersFile: string };
  /** Told about reloads and watch errors. */
  log?: Logger;
}

/** A running preview server. */
export interface PreviewServer {
  /** The address it answers on, e.g. `http://127.0.0.1:4000/`. */
  url: string;
  /** Stops watching, ends open event streams and closes the server. */
  close(): Promise<void>;
}

/** How often the store is checked for commits by other processes (an ingest while previewing). */
const STORE_POLL_MS = 1000;
/** A comment line on open event streams so proxies and browsers keep them open. */
const HEARTBEAT_MS = 20_000;

// The email frames (srcdoc) inherit this policy: their styles, fonts and images load, scripts
// cannot run anyway (sandboxed without allow-scripts).
const PAGE_POLICY =
  "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline' *; font-src *; img-src * data:; frame-ancestors 'none'";
// The email itself may load images and use its own styles, never run a script.
const EMAIL_POLICY =
  "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; font-src *; frame-ancestors 'self'";

/** Starts the preview server on `source`; resolves once it listens. */
export async function startPreviewServer(
  source: PreviewSource,
  options: PreviewServerOptions,
): Promise<PreviewServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? silentLogger;
  const session = new PreviewSession(source);
  const streams = new Set<ServerResponse>();

  const reload = (what: string): void => {
    session.invalidate();
    log.info('changed: reloading open preview pages', { what, pages: streams.size });
    for (const stream of streams) stream.write(`event: reload\ndata: ${JSON.stringify(what)}\n\n`);
    session.warm();
  };
  const watching = watchPreviewInputs(
    options.watch.templatesDir,
    options.watch.subscribersFile,
    reload,
    (error) => log.warn('cannot watch for changes', { error: error.message }),
  );
  let storeVersion = session.storeVersion();
  const storePoll = setInterval(() => {
    const version = session.storeVersion();
    if (version !== storeVersion) {
      storeVersion = version;
      reload('store');
    }
  }, STORE_POLL_MS);
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': ping\n\n');
  }, HEARTBEAT_MS);

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        send(response, 500, 'text/html', errorPage('Error', null, [errorBox('The preview failed', error)]));
      else response.end();
    });
  });

  const allowedHosts = new Set(['localhost', '127.0.0.1', '[::1]', host.includes(':') ? `[${host}]` : host]);
  // Bound to all interfaces on purpose (--host 0.0.0.0), the operator reaches it by any name.
  const checkHost = /^(127\.|localhost$|::1$)/.test(host);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://preview.invalid');
    // A web page elsewhere cannot read these pages through a DNS name pointed at 127.0.0.1.
    const hostname = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (checkHost && !allowedHosts.has(hostname))
      return send(response, 403, 'text/plain', `unknown Host ${hostname}\n`);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(response, 405, 'text/plain', 'the preview is read-only\n');
    }
    if (url.pathname === '/') return send(response, 200, 'text/html', await renderIndex());
    if (url.pathname === '/events') return openStream(request, response);
    if (url.pathname === '/favicon.ico') return send(response, 204, 'text/plain', '');
    const match = /^\/s\/([^/]+)(\/html|\/text)?\/?$/.exec(url.pathname);
    if (match) {
      let email: string;
      try {
        email = decodeURIComponent(match[1]!);
      } catch {
        return send(response, 400, 'text/plain', 'malformed address in the URL\n');
      }
      return renderSubscriber(response, email, match[2]);
    }
    return send(
      response,
      404,
      'text/html',
      errorPage('Not found', null, [
        html`<section class="card"><h2>Nothing at ${url.pathname}</h2></section>`,
      ]),
    );
  }

  /** Each reader's content variant, numbered in list order so readers who get the same email share a number. */
  async function variantLabels(): Promise<Map<string, string>> {
    const labels = new Map<string, string>();
    const readers = session.readers();
    const prepared = await session.prepared();
    if (!readers.ok || !prepared.ok) return labels;
    const numbers = new Map<string, number>();
    for (const { subscriber } of readers.value.readers) {
      const variant = describeVariant(prepared.value, subscriber.topics);
      const number = numbers.get(variant.key) ?? numbers.size + 1;
      numbers.set(variant.key, number);
      labels.set(subscriber.email, `variant ${number}: ${variant.label}`);
    }
    return labels;
  }

  async function renderIndex(): Promise<string> {
    const readers = session.readers();
    const edition = session.edition();
    const prepared = edition.ok ? await session.prepared() : null;
    const variants = await variantLabels();
    return indexPage({
      newsletter: source.newsletter(),
      templateWarnings: prepared?.ok ? prepared.value.context.templates.warnings : [],
      edition: edition.ok ? edition.value : null,
      editionError: edition.ok ? null : edition.error,
      readers: readers.ok ? readers.value : null,
      readersError: readers.ok ? null : readers.error,
      renderError: prepared && !prepared.ok ? prepared.error : null,
      variants,
    });
  }

  /** Everything one subscriber's page needs, or the status and error box to show instead. */
  async function lookUp(
    email: string,
  ): Promise<{ ok: true; view: SubscriberView } | { ok: false; status: number; view: ErrorView }> {
    const fail = (
      status: number,
      title: string,
      error: unknown,
      edition: PreviewEditionChoice | null = null,
    ) => ({ ok: false, status, view: { edition, error, box: errorBox(title, error) } }) as const;
    const readers = session.readers();
    if (!readers.ok) return fail(500, 'The subscriber list cannot be read', readers.error);
    const edition = session.edition();
    if (!edition.ok) return fail(500, 'No edition to preview', edition.error);
    const reader = readers.value.readers.find(
      (candidate) => addressKey(candidate.subscriber.email) === addressKey(email),
    );
    if (!reader) {
      const error = new PaperwireError(
        'E_USAGE',
        `${email} is not on the subscriber list ${readers.value.file}`,
        {
          hint: 'Pick someone from the list on the start page.',
        },
      );
      return fail(404, 'Not on the subscriber list', error, edition.value);
    }
    const rendered = await session.email(reader.subscriber.email);
    if (!rendered.ok) return fail(500, 'The templates cannot be rendered', rendered.error, edition.value);
    return {
      ok: true,
      view: {
        edition: edition.value,
        readers: readers.value.readers,
        reader,
        email: rendered.value,
        variant: (await variantLabels()).get(reader.subscriber.email),
      },
    };
  }

  async function renderSubscriber(
    response: ServerResponse,
    email: string,
    part: string | undefined,
  ): Promise<void> {
    const found = await lookUp(email);
    if (part === '/html') {
      return found.ok
        ? send(response, 200, 'text/html', found.view.email.rendered.html, EMAIL_POLICY)
        : send(response, found.status, 'text/html', frameErrorDocument(found.view.box), EMAIL_POLICY);
    }
    if (part === '/text') {
      return found.ok
        ? send(response, 200, 'text/plain', found.view.email.rendered.text)
        : send(response, found.status, 'text/plain', `${errorText(found.view.error)}\n`);
    }
    return found.ok
      ? send(response, 200, 'text/html', subscriberPage(found.view))
      : send(response, found.status, 'text/html', errorPage(email, found.view.edition, [found.view.box]));
  }

  function openStream(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    // Reconnect quickly after a restart of the server.
    response.write('retry: 1000\n\n');
    streams.add(response);
    request.on('close', () => streams.delete(response));
  }

  let url: string;
  try {
    url = `${await listen(server, options.port, host)}/`;
  } catch (error) {
    clearInterval(storePoll);
    clearInterval(heartbeat);
    watching.close();
    throw error;
  }

  return {
    url,
    close: async () => {
      clearInterval(storePoll);
      clearInterval(heartbeat);
      watching.close();
      for (const stream of streams) stream.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Why a subscriber's page cannot be shown: the error and its box. */
interface ErrorView {
  edition: PreviewEditionChoice | null;
  error: unknown;
  box: SafeHtml;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const hint = (error as { hint?: unknown }).hint;
  return typeof hint === 'string' ? `${error.message}\nhint: ${hint}` : error.message;
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  policy = PAGE_POLICY,
): void {
  response.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': policy,
  });
  response.end(body);
}
