// Running the `paperwire` command: in this process (runCli, most tests), or as a child
// process the way a user or a service manager does (startPaperwire, runPaperwire) where
// the process boundary itself is under test: signals, kill -9, locks, `npm start`, servers.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runMain } from '../../src/cli/main.ts';
import type { Clock } from '../../src/clock.ts';

/** The `paperwire` executable (scripts/paperwire.mjs). */
export const PAPERWIRE_BIN = fileURLToPath(new URL('../../scripts/paperwire.mjs', import.meta.url));

/** How the child runs: its folder and its whole environment (nothing is inherited but what `env` holds). */
export interface CliOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** A command the child runs under, e.g. `['faketime', '-f', '@2026-11-30 08:00:00']`. */
  under?: string[];
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
  const [command, ...before] = [...(options.under ?? []), process.execPath];
  const child = spawn(command!, [...before, PAPERWIRE_BIN, ...args], {
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

/** What one in-process run of the CLI printed and returned. */
export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `paperwire ARGS` inside this process (runMain), with only `env` plus PATH as its
 * environment and `cwd` as its folder: the way most CLI tests run, with no process to start.
 */
export async function runCli(
  args: string[],
  options: {
    cwd: string;
    env?: Record<string, string | undefined>;
    clock?: Clock;
    ask?: (q: string) => Promise<boolean>;
  },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runMain(['node', 'paperwire', ...args], {
    env: cleanEnv(options.env),
    cwd: options.cwd,
    out: (line) => {
      stdout += `${line}\n`;
    },
    err: (line) => {
      stderr += `${line}\n`;
    },
    write: (text) => {
      stdout += text;
    },
    isTTY: false,
    ask: options.ask,
    clock: options.clock,
  });
  return { status, stdout, stderr };
}
