import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import type { Logger } from '../../src/log.ts';
import {
  isInsecurePublicUrl,
  listUnsubscribeHeaders,
  unsubscribeLinks,
  unsubscribeToken,
  verifyUnsubscribeToken,
} from '../../src/unsubscribe/index.ts';

const SECRET = 'a-test-secret-of-sufficient-length';
const LIST = 'weekly.papers.example.org';

function config(env: Record<string, string> = {}) {
  return loadConfig(
    {
      PUBLIC_URL: 'https://papers.example.org',
      UNSUBSCRIBE_SECRET: SECRET,
      LIST_ID: LIST,
      MAIL_FROM: 'paperwire <papers@example.org>',
      ...env,
    },
    '/tmp',
  );
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, error() {}, warn: (message) => warnings.push(message) };
}

describe('unsubscribe tokens', () => {
  test('a token verifies to the address it was made for', () => {
    for (const email of ['ada@example.org', 'Grace.Hopper+news@Example.ORG', 'zoë@exämple.org']) {
      const token = unsubscribeToken(SECRET, LIST, email);
      assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/, 'URL-safe, no padding');
      assert.equal(verifyUnsubscribeToken(SECRET, LIST, token), email);
    }
  });

  test('tokens differ per address and per list, and are stable', () => {
    const ada = unsubscribeToken(SECRET, LIST, 'ada@example.org');
    assert.equal(unsubscribeToken(SECRET, LIST, 'ada@example.org'), ada);
    assert.notEqual(unsubscribeToken(SECRET, LIST, 'bob@example.org'), ada);
    assert.notEqual(unsubscribeToken(SECRET, 'other.example.org', 'ada@example.org'), ada);
  });

  test('a token of another list, or signed with another secret, does not verify', () => {
    const ada = unsubscribeToken(SECRET, LIST, 'ada@example.org');
    assert.equal(verifyUnsubscribeToken(SECRET, 'other.example.org', ada), null);
    assert.equal(verifyUnsubscribeToken('another-secret-of-enough-length', LIST, ada), null);
  });

  test("swapping in another address keeps nobody's signature valid", () => {
    const [, adaMac] = unsubscribeToken(SECRET, LIST, 'ada@example.org').split('.');
    const forged = `${Buffer.from('bob@example.org').toString('base64url')}.${adaMac}`;
    assert.equal(verifyUnsubscribeToken(SECRET, LIST, forged), null);
  });

  test('forged, truncated and malformed tokens are null', () => {
    const token = unsubscribeToken(SECRET, LIST, 'ada@example.org');
    const [email = '', mac = ''] = token.split('.');
    const flipped = `${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
    for (const bad of [
      '',
      '.',
      email,
      `${email}.`,
      `.${mac}`,
      token.slice(0, -1),
      token.slice(0, -10),
      token.slice(1),
      `${email}.${flipped}`,
      `${token}.extra`,
      `${token}=`,
      `${email}=.${mac}`,
      `${email}.${mac}A`,
      `${Buffer.from('ada@example.org\r\nBcc: x@y').toString('base64url')}.${mac}`,
      'not a token at all',
    ]) {
      assert.equal(verifyUnsubscribeToken(SECRET, LIST, bad), null, `rejects ${JSON.stringify(bad)}`);
    }
  });

  test('the signature covers the address case-insensitively, as suppressions do', () => {
    const token = unsubscribeToken(SECRET, LIST, 'ada@example.org');
    const [, mac] = token.split('.');
    const upper = `${Buffer.from('ADA@EXAMPLE.ORG').toString('base64url')}.${mac}`;
    assert.equal(verifyUnsubscribeToken(SECRET, LIST, upper), 'ADA@EXAMPLE.ORG');
  });
});

describe('unsubscribe links', () => {
  test('page and one-click URL are the endpoint under PUBLIC_URL with the token', () => {
    const links = unsubscribeLinks(config(), 'ada@example.org');
    const token = unsubscribeToken(SECRET, LIST, 'ada@example.org');
    assert.equal(links.pageUrl, `https://papers.example.org/unsubscribe?token=${token}`);
    assert.equal(links.oneClickUrl, links.pageUrl);
    assert.equal(links.mailto, 'mailto:papers@example.org?subject=unsubscribe');
  });

  test('PUBLIC_URL with a path keeps it', () => {
    const links = unsubscribeLinks(config({ PUBLIC_URL: 'https://example.org/news/' }), 'ada@example.org');
    assert.match(links.pageUrl ?? '', /^https:\/\/example\.org\/news\/unsubscribe\?token=/);
  });

  test('without PUBLIC_URL there are no web links, only the mailto', () => {
    const links = unsubscribeLinks(config({ PUBLIC_URL: '', UNSUBSCRIBE_SECRET: '' }), 'ada@example.org');
    assert.deepEqual(links, {
      pageUrl: null,
      oneClickUrl: null,
      mailto: 'mailto:papers@example.org?subject=unsubscribe',
    });
  });

  test('the mailto is UNSUBSCRIBE_MAILTO, else the MAIL_FROM address, else paperwire@localhost, encoded', () => {
    const mailto = (env: Record<string, string>) => unsubscribeLinks(config(env), 'ada@example.org').mailto;
    assert.equal(
      mailto({ UNSUBSCRIBE_MAILTO: 'Leave <leave+papers@example.org>' }),
      'mailto:leave+papers@example.org?subject=unsubscribe',
    );
    assert.equal(mailto({ MAIL_FROM: '' }), 'mailto:paperwire@localhost?subject=unsubscribe');
    assert.equal(
      mailto({ UNSUBSCRIBE_MAILTO: 'a%b?c#d@example.org' }),
      'mailto:a%25b%3Fc%23d@example.org?subject=unsubscribe',
    );
  });

  test('an http PUBLIC_URL other than localhost warns once per logger', () => {
    const log = recordingLogger();
    const insecure = config({ PUBLIC_URL: 'http://papers.example.org' });
    listUnsubscribeHeaders(insecure, 'ada@example.org', log);
    listUnsubscribeHeaders(insecure, 'bob@example.org', log);
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0] ?? '', /https/);

    const quiet = recordingLogger();
    for (const url of [
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
      'https://x.org',
    ]) {
      listUnsubscribeHeaders(config({ PUBLIC_URL: url }), 'ada@example.org', quiet);
    }
    assert.deepEqual(quiet.warnings, []);
    assert.equal(isInsecurePublicUrl('http://papers.example.org'), true);
    assert.equal(isInsecurePublicUrl('http://localhost'), false);
  });
});

describe('List-Unsubscribe headers', () => {
  test('with PUBLIC_URL: one List-Unsubscribe holding https then mailto, and the one-click Post header', () => {
    const headers = listUnsubscribeHeaders(config(), 'ada@example.org');
    const token = unsubscribeToken(SECRET, LIST, 'ada@example.org');
    assert.deepEqual(headers, {
      'List-Unsubscribe': `<https://papers.example.org/unsubscribe?token=${token}>, <mailto:papers@example.org?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  test('without PUBLIC_URL: the mailto only, and no Post header (one-click needs https)', () => {
    const headers = listUnsubscribeHeaders(
      config({ PUBLIC_URL: '', UNSUBSCRIBE_SECRET: '' }),
      'ada@example.org',
    );
    assert.deepEqual(headers, { 'List-Unsubscribe': '<mailto:papers@example.org?subject=unsubscribe>' });
  });

  test('the token in the header verifies for its own address only', () => {
    const headers = listUnsubscribeHeaders(config(), 'ada@example.org');
    const token = /token=([^>]+)>/.exec(headers['List-Unsubscribe'] ?? '')?.[1] ?? '';
    assert.equal(verifyUnsubscribeToken(SECRET, LIST, token), 'ada@example.org');
    assert.notEqual(verifyUnsubscribeToken(SECRET, LIST, token), 'bob@example.org');
  });

  test('no header value can carry CR, LF or a stray angle bracket, whatever the settings', () => {
    const odd = config({ PUBLIC_URL: 'https://example.org/a b,c<d>"e' });
    for (const email of ['ada@example.org', 'evil@example.org\r\nBcc: victim@example.org']) {
      for (const [name, value] of Object.entries(listUnsubscribeHeaders(odd, email))) {
        assert.doesNotMatch(value, /[\r\n]/, `${name} has no CR/LF`);
        if (name === 'List-Unsubscribe') {
          const targets = value.split(', ');
          assert.equal(targets.length, 2);
          for (const target of targets) assert.match(target, /^<[^<>,\s]+>$/);
        }
      }
    }
  });
});
