import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { unsubscribeLinks, unsubscribeToken } from '../../src/unsubscribe/index.ts';
import { formFields } from '../../src/unsubscribe/server.ts';
import type { Site } from '../../src/web/site.ts';
import { startSiteFor } from '../helpers/site.ts';

const SECRET = 'a-test-secret-of-sufficient-length';
const LIST = 'weekly.papers.example.org';
const ONE_CLICK = { 'Content-Type': 'application/x-www-form-urlencoded' };

let dir: string;
let store: Store;
let server: Site;

const config = () =>
  loadConfig(
    {
      PUBLIC_URL: 'https://papers.example.org',
      UNSUBSCRIBE_SECRET: SECRET,
      LIST_ID: LIST,
      LIST_NAME: 'Lab Weekly',
    },
    dir,
  );

/** The endpoint path for a token, as it appears in the links (the proxy maps PUBLIC_URL to it). */
const at = (token: string) => `${server.url}/unsubscribe?token=${encodeURIComponent(token)}`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  store = openStore(join(dir, 'paperwire.db'));
  server = await startSiteFor(store, config(), { port: 0, host: '127.0.0.1' });
});
after(async () => {
  await server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const oneClick = (url: string) =>
  fetch(url, { method: 'POST', headers: ONE_CLICK, body: 'List-Unsubscribe=One-Click' });

describe('the unsubscribe endpoint over HTTP', () => {
  test('the link in a message reaches this endpoint: same path and token', () => {
    const link = new URL(unsubscribeLinks(config(), 'path@example.org').oneClickUrl ?? '');
    assert.equal(link.pathname, '/unsubscribe');
    assert.equal(link.searchParams.get('token'), unsubscribeToken(SECRET, LIST, 'path@example.org'));
  });

  test('a valid one-click POST suppresses the address via link and answers 200', async () => {
    const response = await oneClick(at(unsubscribeToken(SECRET, LIST, 'ada@example.org')));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('set-cookie'), null);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const row = store.suppressions.find('ada@example.org');
    assert.equal(row?.via, 'link');
    assert.match(row?.reason ?? '', /one-click/);
  });

  test('a replayed POST is still 200 and still one suppression', async () => {
    const url = at(unsubscribeToken(SECRET, LIST, 'replay@example.org'));
    for (let i = 0; i < 3; i += 1) assert.equal((await oneClick(url)).status, 200);
    assert.equal(store.suppressions.list().filter((row) => row.email === 'replay@example.org').length, 1);
  });

  test('a GET shows a confirm page and changes nothing (link scanners follow GETs)', async () => {
    const token = unsubscribeToken(SECRET, LIST, 'Bob<script>@example.org');
    const response = await fetch(at(token));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const html = await response.text();
    assert.match(html, /Bob&lt;script&gt;@example\.org/);
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /<form method="post" action="\?token=[^"]+">/);
    assert.match(html, /<input type="hidden" name="confirm" value="yes">/);
    // The page calls the list by its name, not by its List-Id.
    assert.match(html, /from the newsletter <strong>Lab Weekly<\/strong>/);
    assert.doesNotMatch(html, /weekly\.papers\.example\.org/);
    const head = await fetch(at(token), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(store.suppressions.find('Bob<script>@example.org'), null);
  });

  test("the confirm page's form, submitted as a browser would, unsubscribes", async () => {
    const token = unsubscribeToken(SECRET, LIST, 'carol@example.org');
    const html = await (await fetch(at(token))).text();
    const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const target = new URL(action, at(token));
    const response = await fetch(target, { method: 'POST', headers: ONE_CLICK, body: 'confirm=yes' });
    assert.equal(response.status, 200);
    const done = await response.text();
    assert.match(done, /You are unsubscribed/);
    assert.match(done, /no more mail from <strong>Lab Weekly<\/strong>/);
    assert.equal(store.suppressions.find('carol@example.org')?.via, 'link');
  });

  test('one-click sent as multipart/form-data (RFC 8058 allows it) unsubscribes too', async () => {
    const body = new FormData();
    body.append('List-Unsubscribe', 'One-Click');
    const response = await fetch(at(unsubscribeToken(SECRET, LIST, 'multi@example.org')), {
      method: 'POST',
      body,
    });
    assert.equal(response.status, 200);
    assert.equal(store.suppressions.find('multi@example.org')?.via, 'link');
  });

  test('forged, truncated and other-list tokens get 400 and change nothing', async () => {
    const good = unsubscribeToken(SECRET, LIST, 'dave@example.org');
    const [encoded, mac = ''] = good.split('.');
    const before = store.suppressions.list().length;
    for (const token of [
      good.slice(0, -1),
      good.slice(0, 20),
      `${encoded}.${mac.slice(0, 42)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${Buffer.from('eve@example.org').toString('base64url')}.${mac}`,
      unsubscribeToken(SECRET, 'other.example.org', 'dave@example.org'),
      unsubscribeToken('another-secret-of-enough-length', LIST, 'dave@example.org'),
      '',
    ]) {
      assert.equal((await oneClick(at(token))).status, 400, `POST ${token}`);
      assert.equal((await fetch(at(token))).status, 400, `GET ${token}`);
    }
    assert.equal((await oneClick(`${server.url}/unsubscribe`)).status, 400, 'no token at all');
    assert.equal(store.suppressions.list().length, before);
  });

  test('a POST with a valid token but neither one-click nor confirm body is 400 and changes nothing', async () => {
    const url = at(unsubscribeToken(SECRET, LIST, 'frank@example.org'));
    for (const body of ['', 'List-Unsubscribe=Maybe', 'confirm=no']) {
      const response = await fetch(url, { method: 'POST', headers: ONE_CLICK, body });
      assert.equal(response.status, 400, JSON.stringify(body));
    }
    assert.equal(store.suppressions.find('frank@example.org'), null);
  });

  test('a body over 8 KB is refused with 413 and changes nothing', async () => {
    const url = at(unsubscribeToken(SECRET, LIST, 'big@example.org'));
    const body = `List-Unsubscribe=One-Click&pad=${'x'.repeat(64 * 1024)}`;
    const response = await fetch(url, { method: 'POST', headers: ONE_CLICK, body });
    assert.equal(response.status, 413);
    assert.equal(store.suppressions.find('big@example.org'), null);
  });

  test('a chunked body over 8 KB (no Content-Length) is refused with 413 too', async () => {
    const url = new URL(at(unsubscribeToken(SECRET, LIST, 'chunked@example.org')));
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: ONE_CLICK }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('List-Unsubscribe=One-Click&pad=');
      for (let i = 0; i < 20; i += 1) req.write('y'.repeat(1024));
      req.end();
    });
    assert.equal(status, 413);
    assert.equal(store.suppressions.find('chunked@example.org'), null);
  });

  test('unknown paths are 404, other methods 405, /healthz is ok', async () => {
    assert.equal((await fetch(`${server.url}/`)).status, 404);
    assert.equal((await fetch(`${server.url}/unsubscribe/../admin`)).status, 404);
    assert.equal((await oneClick(`${server.url}/unsubscribe-all`)).status, 404);
    const put = await fetch(at(unsubscribeToken(SECRET, LIST, 'ada@example.org')), { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.match(put.headers.get('allow') ?? '', /POST/);
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok\n');
  });

  test('the endpoint and `paperwire unsubscribe` write the same suppression: whichever comes first is kept', async () => {
    store.suppressions.suppress('gina@example.org', 'command', 'paperwire unsubscribe');
    assert.equal((await oneClick(at(unsubscribeToken(SECRET, LIST, 'Gina@Example.org')))).status, 200);
    assert.equal(store.suppressions.find('gina@example.org')?.via, 'command');
    // After a resubscribe, the recipient's own link works again.
    store.suppressions.lift('gina@example.org');
    assert.equal((await oneClick(at(unsubscribeToken(SECRET, LIST, 'gina@example.org')))).status, 200);
    assert.equal(store.suppressions.find('gina@example.org')?.via, 'link');
  });
});

describe('the public site (paperwire serve)', () => {
  test('without UNSUBSCRIBE_SECRET it refuses to start: E_CONFIG', async () => {
    await assert.rejects(
      startSiteFor(store, loadConfig({}, dir), { port: 0, host: '127.0.0.1' }),
      (error: unknown) => isPaperwireError(error, 'E_CONFIG'),
    );
  });

  test('a port in use is E_USAGE (as for every server) with a hint naming --port', async () => {
    const port = Number(new URL(server.url).port);
    await assert.rejects(
      startSiteFor(store, config(), { port, host: '127.0.0.1' }),
      (error: unknown) => isPaperwireError(error, 'E_USAGE') && /--port/.test(error.hint ?? ''),
    );
  });

  test('close() resolves even with an idle keep-alive connection open', async () => {
    const second = await startSiteFor(store, config(), { port: 0, host: '127.0.0.1' });
    const response = await fetch(`${second.url}/healthz`);
    await response.text();
    await second.close();
    await assert.rejects(fetch(`${second.url}/healthz`));
  });
});

describe('formFields', () => {
  test('reads urlencoded and multipart bodies, first value wins', () => {
    assert.equal(
      formFields('application/x-www-form-urlencoded', 'List-Unsubscribe=One-Click').get('List-Unsubscribe'),
      'One-Click',
    );
    assert.equal(formFields('', 'confirm=yes&confirm=no').get('confirm'), 'yes');
    const multipart =
      '--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--XyZ--\r\n';
    assert.equal(
      formFields('multipart/form-data; boundary=XyZ', multipart).get('List-Unsubscribe'),
      'One-Click',
    );
  });
});
