// The demo (`npm start` runs `paperwire --demo run`): the bundled sample papers and
// subscribers, in a state folder of its own, delivered to the outbox only. Whatever .env
// or the environment say about sources, the list, SMTP or the mailbox, the demo never
// reads or mails anything else, and no real setup ever reads its papers.
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.ts';
import type { Env } from './index.ts';

/** The week the bundled sample papers (data/inbox) are featured in: the demo's edition, whatever today is. */
export const DEMO_WEEK = '2026-W47';

/** The demo's state folder, relative to the working directory. */
export const DEMO_STATE_DIR = join('var', 'demo');

/** The bundled sample inbox and subscriber list. */
export const DEMO_INBOX = join(PACKAGE_ROOT, 'data', 'inbox');
export const DEMO_SUBSCRIBERS = join(PACKAGE_ROOT, 'data', 'subscribers.yaml');

/** `env` with the demo's settings over it: its state folder, inbox, list and week; no sources, SMTP or mailbox. */
export function demoEnv(env: Env): Env {
  return {
    ...env,
    STATE_DIR: DEMO_STATE_DIR,
    INBOX_DIR: DEMO_INBOX,
    SUBSCRIBERS_FILE: DEMO_SUBSCRIBERS,
    EDITION_WEEK: DEMO_WEEK,
    SOURCES: undefined,
    SOURCE_URLS: undefined,
    SMTP_URL: undefined,
    MAILBOX_URL: undefined,
  };
}
