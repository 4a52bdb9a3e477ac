// BOUNCE_ADDRESS in the SMTP envelope, and VERP tokens that name (edition, subscriber) and
// are checked when read back.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { readVerpToken, verpTokenMatches } from '../../src/deliver/verp.ts';
import { addEdition, deliverThrough, smtpSetUp } from '../deliver/helpers.ts';

const SECRET = 'a-long-secret-for-tests-0123456789';
const VERP = { bounceAddress: 'bounces+{token}@news.example.org', secret: SECRET };
const subscribers = [
  { email: 'Ada@Example.org', name: 'Ada', topics: [] },
  { email: 'grace@example.org', name: null, topics: [] },
];

async function sendWith(t: TestContext, env: Record<string, string>) {
  const { sink, config, store } = await smtpSetUp(t, env);
  addEdition(store, '2026-W48');
  await deliverThrough(store, config, '2026-W48', subscribers);
  return sink;
}

test('without BOUNCE_ADDRESS the envelope sender is the bare MAIL_FROM address', async (t) => {
  const sink = await sendWith(t, {});
  assert.deepEqual(
    sink.accepted.map((message) => message.from),
    ['digest@news.example.org', 'digest@news.example.org'],
  );
});

test('BOUNCE_ADDRESS is the envelope sender of every message; From stays MAIL_FROM', async (t) => {
  const sink = await sendWith(t, { BOUNCE_ADDRESS: 'bounces@news.example.org' });
  assert.equal(sink.accepted.length, 2);
  for (const message of sink.accepted) {
    assert.equal(message.from, 'bounces@news.example.org');
    assert.match(message.raw.toString(), /^From: Paper digest <digest@news\.example\.org>\r?$/m);
  }
});

test('with {token} each recipient gets its own envelope sender, which reads back to that recipient only', async (t) => {
  const sink = await sendWith(t, { BOUNCE_ADDRESS: VERP.bounceAddress, UNSUBSCRIBE_SECRET: SECRET });
  const [ada, grace] = ['ada@example.org', 'grace@example.org'].map(
    (email) => sink.receivedBy(email)[0]!.from,
  ) as [string, string];
  assert.match(ada, /^bounces\+2026-w48-[0-9a-f]{20}@news\.example\.org$/);
  assert.notEqual(ada, grace);
  assert.ok(ada.split('@')[0]!.length <= 64, 'a local part is at most 64 octets');

  const token = readVerpToken(VERP, ada);
  assert.ok(token);
  assert.ok(verpTokenMatches(SECRET, token, '2026-W48', 'ada@example.org'));
  // Upper-cased by a relay on the way back: still the same token.
  assert.ok(verpTokenMatches(SECRET, readVerpToken(VERP, ada.toUpperCase())!, '2026-W48', 'ADA@example.org'));
  assert.equal(verpTokenMatches(SECRET, token, '2026-W48', 'grace@example.org'), false);
  assert.equal(verpTokenMatches(SECRET, token, '2026-W47', 'ada@example.org'), false);
  assert.equal(
    verpTokenMatches('another-secret-of-enough-length', token, '2026-W48', 'ada@example.org'),
    false,
  );
});

test('addresses that do not have the shape of BOUNCE_ADDRESS hold no token', () => {
  assert.equal(readVerpToken(VERP, 'digest@news.example.org'), null);
  assert.equal(readVerpToken(VERP, 'bounces+2026-w48-zz@news.example.org'), null);
  assert.equal(readVerpToken(VERP, 'bounces+2026-w48-0123456789abcdef0123@elsewhere.example'), null);
  assert.equal(
    readVerpToken({ bounceAddress: 'bounces@news.example.org', secret: SECRET }, 'bounces@news.example.org'),
    null,
  );
  assert.deepEqual(readVerpToken(VERP, '<bounces+2026-w48-0123456789abcdef0123@news.example.org>'), {
    edition: '2026-w48',
    mac: '0123456789abcdef0123',
  });
});
