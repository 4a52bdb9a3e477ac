// The mailbox settings: BOUNCE_ADDRESS (VERP), MAILBOX_URL and the MAILBOX_* that go with it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { isPaperwireError } from '../../src/errors.ts';

const cwd = '/srv/paperwire';
const SECRET = 's'.repeat(32);

test('without MAILBOX_URL and BOUNCE_ADDRESS there is no mailbox and the envelope follows MAIL_FROM', () => {
  const config = loadConfig({}, cwd);
  assert.equal(config.mailbox, null);
  assert.equal(config.bounceAddress, null);
});

test('MAILBOX_URL gives host, port, TLS, user, folder; the done folder and interval have defaults', () => {
  const plain = loadConfig({ MAILBOX_URL: 'imap://bounces:p%40ss@mail.example.org/INBOX' }, cwd).mailbox;
  assert.deepEqual(
    { ...plain, url: undefined },
    {
      url: undefined,
      host: 'mail.example.org',
      port: 143,
      secure: false,
      user: 'bounces',
      password: 'p@ss',
      folder: 'INBOX',
      tlsRejectUnauthorized: true,
      doneFolder: 'paperwire/processed',
      everyMs: 3_600_000,
    },
  );
  const tls = loadConfig(
    {
      MAILBOX_URL: 'imaps://u:p@imap.example.org',
      MAILBOX_TLS_REJECT_UNAUTHORIZED: 'false',
      MAILBOX_DONE_FOLDER: 'Archive/paperwire/',
      MAILBOX_EVERY: '15m',
    },
    cwd,
  ).mailbox;
  assert.equal(tls?.secure, true);
  assert.equal(tls?.port, 993);
  assert.equal(tls?.folder, 'INBOX');
  assert.equal(tls?.tlsRejectUnauthorized, false);
  assert.equal(tls?.doneFolder, 'Archive/paperwire');
  assert.equal(tls?.everyMs, 15 * 60_000);
});

test('BOUNCE_ADDRESS may hold {token} once in its local part, with UNSUBSCRIBE_SECRET set', () => {
  const config = loadConfig(
    { BOUNCE_ADDRESS: 'bounces+{token}@example.org', UNSUBSCRIBE_SECRET: SECRET },
    cwd,
  );
  assert.equal(config.bounceAddress, 'bounces+{token}@example.org');
  assert.equal(
    loadConfig({ BOUNCE_ADDRESS: 'bounces@example.org' }, cwd).bounceAddress,
    'bounces@example.org',
  );
});

const invalid: [string, Record<string, string>][] = [
  ['MAILBOX_URL', { MAILBOX_URL: 'pop3://u:p@mail.example.org' }],
  ['MAILBOX_URL', { MAILBOX_URL: 'imap://mail.example.org/INBOX' }],
  ['MAILBOX_URL', { MAILBOX_URL: 'imap://user@mail.example.org/INBOX' }],
  [
    'MAILBOX_TLS_REJECT_UNAUTHORIZED',
    { MAILBOX_URL: 'imaps://u:p@h', MAILBOX_TLS_REJECT_UNAUTHORIZED: 'no way' },
  ],
  ['MAILBOX_EVERY', { MAILBOX_URL: 'imaps://u:p@h', MAILBOX_EVERY: 'hourly' }],
  ['MAILBOX_EVERY', { MAILBOX_URL: 'imaps://u:p@h', MAILBOX_EVERY: '0s' }],
  ['MAILBOX_EVERY', { MAILBOX_URL: 'imaps://u:p@h', MAILBOX_EVERY: '30d' }],
  ['MAILBOX_DONE_FOLDER', { MAILBOX_URL: 'imaps://u:p@h/INBOX', MAILBOX_DONE_FOLDER: 'inbox' }],
  ['BOUNCE_ADDRESS', { BOUNCE_ADDRESS: 'Bounces <bounces@example.org>' }],
  ['BOUNCE_ADDRESS', { BOUNCE_ADDRESS: 'bounces@{token}.example.org', UNSUBSCRIBE_SECRET: SECRET }],
  ['BOUNCE_ADDRESS', { BOUNCE_ADDRESS: 'b+{token}{token}@example.org', UNSUBSCRIBE_SECRET: SECRET }],
  ['UNSUBSCRIBE_SECRET', { BOUNCE_ADDRESS: 'bounces+{token}@example.org' }],
  ['BOUNCE_ADDRESS', { BOUNCE_ADDRESS: 'bounces+{token}\u200B@example.org', UNSUBSCRIBE_SECRET: SECRET }],
  ['BOUNCE_ADDRESS', { BOUNCE_ADDRESS: 'bounces@example..org' }],
];

for (const [name, env] of invalid) {
  test(`a bad ${name} (${JSON.stringify(env)}) is a configuration error naming it`, () => {
    assert.throws(
      () => loadConfig(env, cwd),
      (error: unknown) =>
        isPaperwireError(error, 'E_CONFIG') && error.message.includes(name) && Boolean(error.hint),
    );
  });
}

test('the password of a MAILBOX_URL without a user is not repeated in the error', () => {
  assert.throws(
    () => loadConfig({ MAILBOX_URL: 'imap://:hunter2@mail.example.org' }, cwd),
    (error: unknown) => isPaperwireError(error, 'E_CONFIG') && !error.message.includes('hunter2'),
  );
});
