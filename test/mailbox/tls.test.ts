// TLS to the mailbox: imap:// upgrades with STARTTLS when the server offers it, imaps://
// is TLS from the first byte, and a certificate that does not verify is refused unless
// MAILBOX_TLS_REJECT_UNAUTHORIZED=false.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readMailbox } from '../../src/app/mailbox.ts';
import { loadConfig } from '../../src/config/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';
import { DOVECOT_PASSWORD, startDovecot } from '../helpers/dovecot.ts';
import { tempDir } from '../helpers/temp.ts';

test('STARTTLS on imap://, TLS on imaps://, and an unverified certificate refused by default', async (t) => {
  const dovecot = await startDovecot(t, { users: ['papers'], tls: true });
  if (!dovecot) return;
  const dir = tempDir(t);
  writeFileSync(join(dir, 'subscribers.yaml'), 'subscribers:\n  - ada@example.org\n');
  const store = openStore(join(dir, 'var', 'paperwire.db'));
  t.after(() => store.close());
  /** The app context reading `url`, with MAILBOX_TLS_REJECT_UNAUTHORIZED=`reject` when given. */
  const contextFor = (url: string, reject?: string) => ({
    store,
    config: loadConfig(
      {
        STATE_DIR: join(dir, 'var'),
        SUBSCRIBERS_FILE: join(dir, 'subscribers.yaml'),
        MAILBOX_URL: url,
        ...(reject ? { MAILBOX_TLS_REJECT_UNAUTHORIZED: reject } : {}),
      },
      dir,
    ),
    log: silentLogger,
    clock: () => new Date(),
  });
  const plainUrl = dovecot.url('papers');
  const tlsUrl = `imaps://papers:${DOVECOT_PASSWORD}@127.0.0.1:${dovecot.imapsPort}/INBOX`;

  await assert.rejects(
    readMailbox(contextFor(plainUrl)),
    (error: unknown) =>
      isPaperwireError(error, 'E_MAILBOX') && /MAILBOX_TLS_REJECT_UNAUTHORIZED=false/.test(error.hint ?? ''),
    'the self-signed certificate is refused during STARTTLS',
  );
  const starttls = await readMailbox(contextFor(plainUrl, 'false'));
  assert.equal(starttls.seen, 0);
  const imaps = await readMailbox(contextFor(tlsUrl, 'false'));
  assert.equal(imaps.seen, 0);
  // Dovecot marks a login over TLS with ", TLS," (a plain one on loopback says only "secured").
  const logins = dovecot
    .log()
    .split('\n')
    .filter((line) => /imap-login: Info: Login: user=<papers>/.test(line));
  assert.ok(logins.length >= 2, dovecot.log());
  for (const line of logins.slice(-2)) assert.match(line, /, TLS,/);
});
