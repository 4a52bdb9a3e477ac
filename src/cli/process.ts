// What the long-running commands (serve, preview --serve, schedule) share: a
// checked --port and the wait for a stop signal.
import { PaperwireError } from '../errors.ts';

/** Parses a `--port` value: a whole number from 0 (any free port) to 65535, else E_USAGE. */
export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535) {
    throw new PaperwireError('E_USAGE', `--port ${JSON.stringify(raw)} is not a port number`, {
      hint: 'Pass a whole number from 1 to 65535, or 0 to pick a free port.',
    });
  }
  return port;
}

/** Resolves with the first SIGINT or SIGTERM (Ctrl+C, a service manager's stop), then stops listening for both. */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
