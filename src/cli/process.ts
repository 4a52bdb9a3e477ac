// The CLI's ties to the real process: its streams, terminal and signals. Kept
// apart so runMain itself can run inside a test with other surroundings.
import { createInterface } from 'node:readline/promises';
import type { CliIO } from './cli.ts';

/** The surroundings of the `paperwire` process itself. */
export function processIO(): CliIO {
  const interactive = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  return {
    env: process.env,
    cwd: process.cwd(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    ask: interactive ? askOnTerminal : undefined,
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
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

/**
 * Turns the first SIGINT/SIGTERM into an abort (in-flight messages finish and are
 * recorded); a second one ends the process the default way. Returns the uninstaller.
 */
export function stopOnSignals(controller: AbortController, say: (line: string) => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      uninstall();
      process.kill(process.pid, signal);
      return;
    }
    say(`${signal}: finishing the messages in flight, then stopping (send ${signal} again to quit at once)`);
    controller.abort();
  };
  const uninstall = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return uninstall;
}
