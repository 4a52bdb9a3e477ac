// Test helpers for ingest: temp dirs and stores, fixture paths, the shared
// folder beside the repo, and the CLI as a child process.
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngestOptions } from '../../src/ingest/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { tempDir } from '../helpers/temp.ts';

export { tempDir };

type TestContext = { after: (fn: () => void) => void };

/** A fresh store in a temp dir, closed and removed after the test. */
export function tempStore(t: TestContext): { store: Store; dir: string } {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'paperwire.db'));
  t.after(() => store.close());
  return { store, dir };
}

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
    now: () => new Date('2026-11-20T12:00:00Z'),
    ...overrides,
  };
}

const bin = join(repoRoot, 'scripts', 'paperwire.mjs');

/** The environment a CLI child process gets: only PATH and the given settings. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', ...env };
}

/** Runs `paperwire ARGS` in `cwd` and waits for it. */
export function paperwire(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { cwd, env: childEnv(env), encoding: 'utf8' });
}

/** Starts `paperwire ARGS` in `cwd` without waiting; resolves with its exit code and output. */
export function paperwireAsync(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
