// A newsletter that has sent two editions (2026-W47, 2026-W48) to its list, with a
// mailbox (a real Dovecot) that the reports and requests come back to.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { deliveryMessageId } from '../../src/deliver/message-id.ts';
import { envelopeSender } from '../../src/deliver/verp.ts';
import type { DnsResolver } from '../../src/mailbox/dmarc.ts';
import type { Store } from '../../src/store/index.ts';
import { addEdition } from '../deliver/helpers.ts';
import { type Dovecot, startDovecot } from '../helpers/dovecot.ts';
import { testStore } from '../helpers/store.ts';
import { tempDir } from '../helpers/temp.ts';
import { type Delivered, LIST } from './messages.ts';

export const SECRET = 'mailbox-tests-secret-0123456789abcdef';

/** Everyone on the list, and what the tests have them send or suffer. */
export const PEOPLE = {
  ghost: 'ghost@example.net', // Postfix: 5.1.1 no such user → suppressed at once
  full: 'full@example.net', // Exim (W47) and Gmail-style (W48): 5.2.2 twice → suppressed
  slow: 'slow@slow.example', // delayed 4.4.7 → recorded only
  angry: 'angry@example.com', // ARF complaint → suppressed
  ada: 'ada@aligned.test', // mailto: by Apple Mail, SPF aligned → suppressed
  grace: 'grace@strict.test', // mailto: forged (DMARC p=reject, fails) → held
  hedy: 'hedy@nodmarc.test', // mailto:, her domain publishes no DMARC → suppressed
  reader: 'reader@example.org', // a thank-you reply quoting the footer → left alone
  vacation: 'vacation@example.com', // an auto-reply → left alone
};

/** DNS for the DMARC checks (TXT records only; every other name does not exist). */
export const TEST_DNS: Record<string, string> = {
  'aligned.test': 'v=spf1 ip4:192.0.2.10 -all',
  '_dmarc.aligned.test': 'v=DMARC1; p=reject',
  'strict.test': 'v=spf1 ip4:192.0.2.20 -all',
  '_dmarc.strict.test': 'v=DMARC1; p=reject; adkim=s; aspf=s',
};

/** A resolver answering TXT lookups from `records` and ENOTFOUND for everything else: no network. */
export function fakeDns(records: Record<string, string> = TEST_DNS): DnsResolver {
  return async (name, rrtype) => {
    const record = records[name.toLowerCase().replace(/\.$/, '')];
    if (rrtype === 'TXT' && record) return [[record]];
    throw Object.assign(new Error(`query${rrtype} ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
}

/** A resolver for a machine without DNS: every lookup fails. */
export const noDns: DnsResolver = async (name) => {
  throw Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:53 (${name})`), { code: 'ECONNREFUSED' });
};

/** The set-up of one test. */
export interface Newsletter {
  dovecot: Dovecot;
  dir: string;
  config: Config;
  store: Store;
  env: Record<string, string>;
  /** The Message-ID of `edition` to `email`. */
  messageId(edition: string, email: string): string;
  /** The VERP envelope sender of `edition` to `email`. */
  returnPath(edition: string, email: string): string;
  /** What a message about `edition` to `email` needs. */
  about(edition: string, email: string): Delivered;
}

/** Starts Dovecot (user `papers`), writes the list, and records both editions as sent; null when skipped. */
export async function setUpNewsletter(
  t: TestContext,
  extraEnv: Record<string, string> = {},
): Promise<Newsletter | null> {
  const dovecot = await startDovecot(t, { users: ['papers'] });
  if (!dovecot) return null;
  const dir = tempDir(t);
  const subscribersFile = join(dir, 'subscribers.yaml');
  writeFileSync(
    subscribersFile,
    `subscribers:\n${Object.values(PEOPLE)
      .map((email) => `  - ${email}\n`)
      .join('')}`,
  );
  const env = {
    STATE_DIR: join(dir, 'var'),
    SUBSCRIBERS_FILE: subscribersFile,
    MAIL_FROM: LIST.from,
    BOUNCE_ADDRESS: LIST.bounceAddress,
    UNSUBSCRIBE_SECRET: SECRET,
    MAILBOX_URL: dovecot.url('papers'),
    ...extraEnv,
  };
  const config = loadConfig(env, dir);
  const store = testStore(t, config);
  const messageId = (edition: string, email: string) => deliveryMessageId(edition, email, 'news.example.org');
  const returnPath = (edition: string, email: string) =>
    envelopeSender({ bounceAddress: LIST.bounceAddress, secret: SECRET }, LIST.from, edition, email);
  const ledger = store.ledger;
  addEdition(store, '2026-W47');
  addEdition(store, '2026-W48', '2026-W47');
  for (const edition of ['2026-W47', '2026-W48']) {
    const emails = Object.values(PEOPLE);
    ledger.admit(
      edition,
      emails.map((email) => ({ email, messageId: messageId(edition, email) })),
    );
    for (const email of emails) ledger.recordSent(edition, email, '250 2.0.0 Ok: queued');
  }
  return {
    dovecot,
    dir,
    config,
    store,
    env,
    messageId,
    returnPath,
    about: (edition, email) => ({
      messageId: messageId(edition, email),
      to: email,
      returnPath: returnPath(edition, email),
      edition,
    }),
  };
}
