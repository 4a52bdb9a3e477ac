import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngestOptions } from '../../src/ingest/index.ts';
import { type CliRun, cleanEnv, runCli, startPaperwire } from '../helpers/cli.ts';
import { tempStore } from '../helpers/store.ts';
import { tempDir } from '../helpers/temp.ts';

export { tempDir, tempStore };

/** The path of a fixture in test/fixtures/ingest. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/ingest/${name}`, import.meta.url));
}

/** The text of a fixture in test/fixtures/ingest. */
export function fixtureText(name: string): string {
  return readFileSync(fixture(name), 'utf8');
}

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A path under ../shared (the mission's shared folder beside the repo), or null when it is absent. */
export function sharedPath(relativePath: string): string | null {
  const path = join(repoRoot, '..', 'shared', relativePath);
  return existsSync(path) ? path : null;
}

/** Why a test that needs ../shared is skipped. */
export const NO_SHARED = "…not found: this test needs ../shared (the mission's shared folder)";

/** Ingest options for tests: short timeouts, tiny retry delays, a fixed clock. */
export function testOptions(overrides: Partial<IngestOptions> = {}): IngestOptions {
  return {
    fetchTimeoutMs: 2000,
    fetchMaxAttempts: 3,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    clock: () => new Date('2026-11-20T12:00:00Z'),
    ...overrides,
  };
}

const _bin = join(repoRoot, 'scripts', 'paperwire.mjs');

/** The environment a CLI child process gets: only PATH and the given settings. */
/** Runs `paperwire ARGS` in `cwd` and waits for it. */
export function paperwire(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { cwd, env });
}

/** Starts `paperwire ARGS` in `cwd` without waiting; resolves with its exit code and output. */
export async function paperwireAsync(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await startPaperwire(args, { cwd, env: cleanEnv(env) }).exited;
  return { status: code, stdout, stderr };
}
