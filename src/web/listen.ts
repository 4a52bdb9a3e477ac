// Starting an HTTP server, for both of paperwire's servers (`serve` and
// `preview --serve`): one way to listen, one error for a port that is taken.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PaperwireError } from '../errors.ts';

/** Listens on `host:port` (0: any free port) and resolves with the URL it answers on, e.g. `http://127.0.0.1:4000`. */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new PaperwireError('E_USAGE', `cannot listen on ${host}:${port}: ${error.code ?? error.message}`, {
          hint:
            error.code === 'EADDRINUSE'
              ? 'Another program uses that port: pick another with --port (0 picks a free one), or stop it.'
              : 'Check --host and --port.',
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
}
