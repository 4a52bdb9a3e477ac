// Running the `paperwire` command as a child process, the way a user or a service
// manager does. Every CLI test goes through these two functions.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `paperwire` executable (scripts/paperwire.mjs). */
export const PAPERWIRE_BIN = fileURLToPath(new URL('../../scripts/paperwire.mjs', import.meta.url));

/** How the child runs: its folder and its whole environment (nothing is inherited but what `env` holds). */
export interface CliOptions {
  cwd: string;
  env: Record<string, string | undefined>;
}

/** A running `paperwire` child: its output so far, and its end. */
export interface CliChild {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Starts `paperwire ARGS` without waiting (use it whenever the test process itself must keep
 * answering, e.g. an in-process SMTP sink, which spawnSync would starve). Stdin is closed.
 */
export function startPaperwire(args: string[], options: CliOptions): CliChild {
  const child = spawn(process.execPath, [PAPERWIRE_BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs `paperwire ARGS` to the end, blocking this process (only when nothing in-process must answer it). */
export function runPaperwire(
  args: string[],
  options: CliOptions,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [PAPERWIRE_BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** An environment holding only PATH plus `extra`: children never see the developer's own settings. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { PATH: process.env.PATH ?? '', ...extra };
}
