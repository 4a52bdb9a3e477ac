// Helpers for running `paperwire send` as a child process against a real SMTP
// server living in the test process (so never spawnSync while the sink must answer).
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { cleanEnv, startPaperwire } from '../helpers/cli.ts';
import type { SmtpSink } from '../helpers/smtp-sink.ts';
import { withStore as withStoreAt } from '../helpers/store.ts';
import { makePapers, makeSubscribers, tempDir } from './helpers.ts';

/** Subscribers in each project. */
export const COUNT = 120;

/** A child process and its end. */
export interface Running {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** A temp project with papers in its store and COUNT subscribers, sending to `sink`. */
export function project(
  t: TestContext,
  sink: SmtpSink | null,
  port?: number,
): { cwd: string; env: Record<string, string> } {
  const cwd = tempDir(t);
  writeFileSync(
    join(cwd, 'subscribers.yaml'),
    `subscribers:\n${makeSubscribers(COUNT)
      .map((s) => `  - ${s.email}\n`)
      .join('')}`,
  );
  const env = {
    STATE_DIR: 'var',
    SUBSCRIBERS_FILE: 'subscribers.yaml',
    TEMPLATES_DIR: DEFAULT_TEMPLATES_DIR,
    SMTP_URL: `smtp://127.0.0.1:${sink?.port ?? port}`,
    MAIL_FROM: 'Digest <digest@news.example.org>',
    SMTP_MAX_CONNECTIONS: '2',
    SEND_MAX_ATTEMPTS: '2',
  };
  const store = openStore(loadConfig(env, cwd).dbPath);
  store.papers.upsert(makePapers(10), new Date());
  store.close();
  return { cwd, env };
}

/** Starts `paperwire ARGS` in the background. */
export function start(args: string[], cwd: string, env: Record<string, string>): Running {
  const child = startPaperwire(args, { cwd, env: cleanEnv(env) });
  return { child: child.process, exited: child.exited };
}

/** Runs the CLI to the end without blocking this process (the sink lives here: spawnSync would starve it). */
export async function run(args: string[], cwd: string, env: Record<string, string>) {
  const { code, stdout, stderr } = await start(args, cwd, env).exited;
  return { status: code, stdout, stderr };
}

/** Opens the project's store for a look, closing it after. */
export function withStore<T>(cwd: string, env: Record<string, string>, read: (store: Store) => T): T {
  return withStoreAt(loadConfig(env, cwd).dbPath, read);
}

/** The edition id the child froze (the current ISO week). */
export function editionOf(store: Store): string {
  const latest = store.editions.latest();
  if (!latest) throw new Error('no edition was frozen');
  return latest.id;
}
