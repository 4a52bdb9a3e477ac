// Loopback servers for tests: a TCP port nobody holds, and an HTTP server on a free port.
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { after, before } from 'node:test';
import { listen } from '../../src/web/listen.ts';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** An HTTP server listening on loopback: where it answers, and how to stop it. */
export interface LocalServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Closes the server and every connection still open (keep-alive ones too). */
  close(): Promise<void>;
}

/** Starts `server` on 127.0.0.1 at a free port; with `t`, it is closed after the test. */
export async function listenLocal(
  server: Server,
  t?: { after(fn: () => Promise<void> | void): void },
): Promise<LocalServer> {
  const url = await listen(server, 0, '127.0.0.1');
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  t?.after(close);
  return { url, close };
}

/** Listens with `server` (listenLocal) before the tests of this file and closes it after them. */
export function listenDuringFile(server: Server): { readonly url: string } {
  let local: LocalServer | undefined;
  before(async () => {
    local = await listenLocal(server);
  });
  after(() => local?.close());
  return {
    get url(): string {
      if (!local) throw new Error('the test server listens only once the tests of the file run');
      return local.url;
    },
  };
}
