import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CycleSummary } from '../../src/app/cycle.ts';
import { type Scheduler, startScheduler } from '../../src/app/scheduler.ts';
import { type Clock, fixedClock } from '../../src/clock.ts';
import { type Config, loadConfig } from '../../src/config/index.ts';
import type { LogFields, Logger } from '../../src/log.ts';
import type { RunKind, RunStatus } from '../../src/schedule/runs.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { type CliChild, startPaperwire } from '../helpers/cli.ts';
import { withStore } from '../helpers/store.ts';
import { tempDir } from '../helpers/temp.ts';

/** The repository's CLI entry and default templates. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A temp workspace. */
export interface Workspace {
  dir: string;
  inbox: string;
  stateDir: string;
  emails: string[];
  /** The environment a child `paperwire` process gets (PATH plus the paths here plus `extra`). */
  env(extra?: Record<string, string>): Record<string, string>;
  /** The config the CLI would build from env(extra). */
  config(extra?: Record<string, string>): Config;
}

/** Makes a workspace with `subscribers` addresses (s1@example.org …), removed after the test. */
export function workspace(t: { after: (fn: () => void) => void }, subscribers = 4): Workspace {
  const dir = tempDir(t);
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const emails = Array.from({ length: subscribers }, (_, i) => `s${i + 1}@example.org`);
  writeFileSync(
    join(dir, 'subscribers.yaml'),
    `subscribers:\n${emails.map((email) => `  - email: ${email}\n    topics: [agents]\n`).join('')}`,
  );
  const stateDir = join(dir, 'var');
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    INBOX_DIR: inbox,
    SUBSCRIBERS_FILE: join(dir, 'subscribers.yaml'),
    TEMPLATES_DIR: join(repoRoot, 'templates'),
    STATE_DIR: stateDir,
    SCHEDULE_TZ: 'UTC',
    ...extra,
  });
  return { dir, inbox, stateDir, emails, env, config: (extra) => loadConfig(env(extra), dir) };
}

let serial = 0;

/** Writes a paperwire entries file with `count` new papers into `dir`; returns its path. */
export function addEntries(dir: string, count: number): string {
  const batch = ++serial;
  const papers = Array.from({ length: count }, (_, i) => ({
    id: `2611.${String(batch * 100 + i).padStart(5, '0')}`,
    title: `Scheduled paper ${batch}.${i}: agents that wait their turn`,
    abstract: `Batch ${batch}, paper ${i}: an abstract long enough to read like one.`,
    authors: ['A. Tester'],
    upvotes: count - i,
    keywords: ['agents'],
  }));
  const name = `batch-${process.pid}-${batch}.json`;
  const path = join(dir, name);
  // Written under a dotfile name (ingest skips those) and renamed: a tick never reads half a file.
  writeFileSync(join(dir, `.${name}`), JSON.stringify({ format: 'paperwire-entries/1', papers }, null, 2));
  renameSync(join(dir, `.${name}`), path);
  return path;
}

/** A logger that keeps every line (message plus fields) for assertions. */
export function memoryLog(): Logger & { lines: { level: string; message: string; fields: LogFields }[] } {
  const lines: { level: string; message: string; fields: LogFields }[] = [];
  const add =
    (level: string) =>
    (message: string, fields: LogFields = {}) => {
      lines.push({ level, message, fields });
    };
  return { lines, info: add('info'), warn: add('warn'), error: add('error') };
}

/** Resolves when `check` is true, polling; rejects after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A `paperwire` child process with its output so far. */
export type Child = CliChild;

/** Starts `node scripts/paperwire.mjs ARGS` in `cwd` with exactly `env`. */
export function paperwire(args: string[], env: Record<string, string>, cwd: string): Child {
  return startPaperwire(args, { cwd, env });
}

/** The JSON log lines (LOG_FORMAT=json) in `text`. */
export function jsonLines(text: string): { msg: string; [key: string]: unknown }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** Ledger counts of `editionId` in the database at `dbPath`. */
export function ledgerCounts(dbPath: string, editionId: string) {
  return withStore(dbPath, (store) => store.ledger.counts(editionId));
}

/** The newest edition's id in the database at `dbPath`. */
export function latestEditionId(dbPath: string): string {
  const latest = withStore(dbPath, (store) => store.editions.latest());
  if (!latest) throw new Error(`no edition in ${dbPath}`);
  return latest.id;
}

/** Records a finished run of `kind` that started (and ended) at `startedAt`, through a store whose clock says so. */
export function seedRun(
  dbPath: string,
  kind: RunKind,
  startedAt: Date | string,
  status: Exclude<RunStatus, 'running'> = 'ok',
): void {
  const then = openStore(dbPath, { clock: fixedClock(startedAt) });
  try {
    then.runs.finish(then.runs.start(kind), { status });
  } finally {
    then.close();
  }
}

/** A scheduler started on `config` with its own store (both stopped and closed after the test). */
export async function schedulerOn(
  t: { after: (fn: () => unknown) => void },
  config: Config,
  options: { log?: Logger; clock?: Clock; onCycle?: (summary: CycleSummary) => void } = {},
): Promise<{ scheduler: Scheduler; store: Store }> {
  const store = openStore(config.dbPath);
  const scheduler = await startScheduler(
    { config, store, log: options.log ?? memoryLog(), clock: options.clock ?? (() => new Date()) },
    { onCycle: options.onCycle },
  ).catch((error: unknown) => {
    store.close();
    throw error;
  });
  t.after(async () => {
    await scheduler.stop();
    store.close();
  });
  return { scheduler, store };
}
