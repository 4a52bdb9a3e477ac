// A sign-up setup for tests: a temp folder with a subscriber list, a real SMTP sink,
// the config, the store on a clock the test moves, and the public site started in-process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { simpleParser } from 'mailparser';
import type { AppContext } from '../../src/app/context.ts';
import { startPublicSite } from '../../src/app/serve.ts';
import type { Config } from '../../src/config/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { Site } from '../../src/web/site.ts';
import { tempDir, testConfig } from '../deliver/helpers.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { memoryLog } from '../schedule/helpers.ts';

export const SECRET = 'a-test-secret-of-sufficient-length';
export const LIST_ID = 'weekly.papers.example.org';
export const PUBLIC_URL = 'https://papers.example.org/news';

/** A running sign-up setup. */
export interface SignupSetup {
  dir: string;
  config: Config;
  store: Store;
  sink: SmtpSink;
  site: Site;
  log: ReturnType<typeof memoryLog>;
  /** The site's own URL, base path included (`http://127.0.0.1:PORT/news`). */
  base: string;
  /** Moves the clock on. */
  advance(ms: number): void;
  ctx: AppContext;
}

/** Starts the site on a list holding `listed` (YAML), with `env` on top of the usual settings. */
export async function startSignupSite(
  t: TestContext,
  options: { env?: Record<string, string>; list?: string; start?: string } = {},
): Promise<SignupSetup> {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, 'subscribers.yaml'),
    options.list ??
      'subscribers:\n  - email: grace@example.org\n    name: Grace Hopper\n    topics: [compilers]\n',
  );
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const config = testConfig(dir, {
    SUBSCRIBERS_FILE: 'subscribers.yaml',
    PUBLIC_URL,
    UNSUBSCRIBE_SECRET: SECRET,
    LIST_ID,
    LIST_NAME: 'Paper Digest',
    POSTAL_ADDRESS: '1 Research Way, Springfield',
    TOPICS: 'diffusion,quantization,robotics',
    MAIL_FROM: 'Paper Digest <digest@papers.example.org>',
    SMTP_URL: sink.url,
    ...options.env,
  });
  let now = new Date(options.start ?? '2026-11-23T09:00:00Z');
  const clock = () => new Date(now);
  const store = openStore(config.dbPath, { clock });
  const log = memoryLog();
  const ctx: AppContext = { config, store, clock, log };
  const site = await startPublicSite(ctx, { port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await site.close();
    store.close();
  });
  return {
    dir,
    config,
    store,
    sink,
    site,
    log,
    base: `${site.url}/news`,
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
    ctx,
  };
}

/** POSTs a urlencoded form. */
export function postForm(
  url: string,
  fields: [string, string][],
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The confirmation link in a message the sink received. */
export async function confirmationLink(raw: Buffer): Promise<string> {
  const mail = await simpleParser(raw);
  const link = /https?:\/\/\S+\/subscribe\/confirm\?token=\S+/.exec(mail.text ?? '')?.[0];
  if (!link) throw new Error(`no confirmation link in:\n${mail.text}`);
  return link;
}

/** `link` (under PUBLIC_URL) on the test's own server. */
export function local(setup: SignupSetup, link: string): string {
  return link.replace(PUBLIC_URL, setup.base);
}
