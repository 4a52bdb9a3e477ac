import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { deliverabilityWarnings } from '../../src/unsubscribe/checks.ts';

const KEY = '-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----';
const complete = {
  SMTP_URL: 'smtp://relay.example.org:587',
  MAIL_FROM: 'paperwire <papers@news.example.org>',
  PUBLIC_URL: 'https://papers.example.org',
  UNSUBSCRIBE_SECRET: 'a-test-secret-of-sufficient-length',
  DKIM_DOMAIN: 'example.org',
  DKIM_SELECTOR: 'pw',
  DKIM_PRIVATE_KEY: KEY,
  POSTAL_ADDRESS: 'Example Lab, 1 Main Street, Springfield',
};
const warnings = (env: Record<string, string>) =>
  deliverabilityWarnings(loadConfig({ ...complete, ...env }, '/tmp'));

test('a complete SMTP setup with an aligned DKIM domain has no warnings', () => {
  assert.deepEqual(warnings({}), []);
  assert.deepEqual(warnings({ DKIM_DOMAIN: 'news.example.org' }), []);
});

test('the outbox needs none of it', () => {
  assert.deepEqual(
    warnings({ SMTP_URL: '', PUBLIC_URL: '', DKIM_DOMAIN: '', DKIM_SELECTOR: '', DKIM_PRIVATE_KEY: '' }),
    [],
  );
});

test('each gap is one warning naming its setting', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PUBLIC_URL: '' }, /PUBLIC_URL/],
    [{ PUBLIC_URL: 'http://papers.example.org' }, /https/],
    [{ DKIM_DOMAIN: '', DKIM_SELECTOR: '', DKIM_PRIVATE_KEY: '' }, /DKIM_DOMAIN/],
    [{ DKIM_DOMAIN: 'other.net' }, /DMARC/],
    [{ POSTAL_ADDRESS: '' }, /POSTAL_ADDRESS is not set: US CAN-SPAM/],
  ];
  for (const [env, pattern] of cases) {
    const found = warnings(env);
    assert.equal(found.length, 1, JSON.stringify(env));
    assert.match(found[0] ?? '', pattern);
  }
});
