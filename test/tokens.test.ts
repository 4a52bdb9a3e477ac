import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressToken, expiringToken, verifyAddressToken, verifyExpiringToken } from '../src/tokens.ts';
import { unsubscribeToken, verifyUnsubscribeToken } from '../src/unsubscribe/index.ts';

const SECRET = 'a-test-secret-of-sufficient-length';
const LIST = 'weekly.papers.example.org';

test('an address token is bound to its purpose and list: preferences never unsubscribes, nor the other way', () => {
  const preferences = addressToken(SECRET, 'preferences', LIST, 'Ada@Example.org');
  assert.equal(verifyAddressToken(SECRET, 'preferences', LIST, preferences), 'Ada@Example.org');
  assert.equal(verifyAddressToken(SECRET, 'unsubscribe', LIST, preferences), null);
  assert.equal(verifyUnsubscribeToken(SECRET, LIST, preferences), null);
  assert.equal(verifyAddressToken(SECRET, 'preferences', 'other.example.org', preferences), null);
  assert.equal(verifyAddressToken('another-secret-of-enough-length', 'preferences', LIST, preferences), null);
  const unsubscribe = unsubscribeToken(SECRET, LIST, 'ada@example.org');
  assert.equal(verifyAddressToken(SECRET, 'unsubscribe', LIST, unsubscribe), 'ada@example.org');
  assert.equal(verifyAddressToken(SECRET, 'preferences', LIST, unsubscribe), null);
  // Another address under the same MAC, or a cut token, is refused.
  const [, macPart] = preferences.split('.');
  const swapped = `${Buffer.from('eve@example.org').toString('base64url')}.${macPart}`;
  assert.equal(verifyAddressToken(SECRET, 'preferences', LIST, swapped), null);
  assert.equal(verifyAddressToken(SECRET, 'preferences', LIST, preferences.slice(0, -3)), null);
});

test('an expiring token carries its data until it expires, then says expired; forged and other-list ones are invalid', () => {
  const issued = new Date('2026-03-02T10:00:00Z');
  const expires = new Date(issued.getTime() + 48 * 3_600_000);
  const token = expiringToken(
    SECRET,
    'confirm',
    LIST,
    { email: 'ada@example.org', topics: ['diffusion'] },
    expires,
  );
  const before = verifyExpiringToken(SECRET, 'confirm', LIST, token, new Date(expires.getTime() - 1000));
  assert.deepEqual(before, {
    ok: true,
    data: { email: 'ada@example.org', topics: ['diffusion'] },
    expiresAt: expires,
  });
  assert.deepEqual(verifyExpiringToken(SECRET, 'confirm', LIST, token, expires), {
    ok: false,
    reason: 'expired',
  });
  assert.deepEqual(verifyExpiringToken(SECRET, 'confirm', 'other.example.org', token, issued), {
    ok: false,
    reason: 'invalid',
  });
  assert.deepEqual(verifyExpiringToken(SECRET, 'preferences', LIST, token, issued), {
    ok: false,
    reason: 'invalid',
  });
  // A payload rewritten to expire later does not match its MAC.
  const [encoded = '', macPart] = token.split('.');
  const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  const later = Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 86_400 })).toString('base64url');
  assert.deepEqual(verifyExpiringToken(SECRET, 'confirm', LIST, `${later}.${macPart}`, issued), {
    ok: false,
    reason: 'invalid',
  });
  for (const junk of ['', '.', 'abc', `${encoded}.`, `${encoded}.${macPart}.x`, `${encoded}=.${macPart}`]) {
    assert.equal(verifyExpiringToken(SECRET, 'confirm', LIST, junk, issued).ok, false, junk);
  }
});
