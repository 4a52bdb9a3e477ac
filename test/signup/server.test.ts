// The sign-up and preferences endpoints over real HTTP, with a real SMTP sink and store.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { confirmationToken, preferencesToken } from '../../src/signup/index.ts';
import { HONEYPOT_FIELD } from '../../src/signup/pages.ts';
import { verifyDkim } from '../unsubscribe/dkim-verify.ts';
import { confirmationLink, LIST_ID, local, postForm, SECRET, startSignupSite } from './helpers.ts';

const HOUR = 3_600_000;
const signUp = (
  base: string,
  email: string,
  extra: [string, string][] = [],
  headers?: Record<string, string>,
) => postForm(`${base}/subscribe`, [['email', email], ...extra], headers);

test('GET /subscribe: an accessible form with the topics of TOPICS, LIST_NAME and POSTAL_ADDRESS, and no cookie', async (t) => {
  const setup = await startSignupSite(t);
  const response = await fetch(`${setup.base}/subscribe`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('set-cookie'), null);
  assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.doesNotMatch(response.headers.get('content-security-policy') ?? '', /script-src/);
  const page = await response.text();
  assert.match(page, /<label for="pw-email">Email address<\/label>/);
  for (const topic of ['diffusion', 'quantization', 'robotics']) {
    assert.match(page, new RegExp(`type="checkbox" id="pw-topic-\\d" name="topics" value="${topic}"`));
  }
  assert.match(page, /Paper Digest/);
  assert.match(page, /1 Research Way, Springfield/);
  assert.match(page, new RegExp(`name="${HONEYPOT_FIELD}" tabindex="-1"`));
});

test('without TOPICS the form shows no topics', async (t) => {
  const setup = await startSignupSite(t, { env: { TOPICS: '' } });
  const page = await (await fetch(`${setup.base}/subscribe`)).text();
  assert.doesNotMatch(page, /type="checkbox"/);
  assert.doesNotMatch(page, /<fieldset>/);
});

test('POST /subscribe mails one DKIM-signed confirmation with the newsletter headers; a second sign-up within the hour mails nothing', async (t) => {
  const dir = (await import('../helpers/temp.ts')).tempDir(t);
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(dir, 'dkim.pem');
  writeFileSync(keyFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const setup = await startSignupSite(t, {
    env: { DKIM_DOMAIN: 'papers.example.org', DKIM_SELECTOR: 'pw', DKIM_PRIVATE_KEY_FILE: keyFile },
  });
  const answer = await signUp(setup.base, 'ada@example.org', [
    ['name', 'Ada'],
    ['topics', 'diffusion'],
    ['topics', 'not-offered'],
  ]);
  assert.equal(answer.status, 200);
  const page = await answer.text();
  assert.match(page, /<h1>Check your inbox<\/h1>/);
  await setup.sink.waitForAccepted(1);
  const [message] = setup.sink.receivedBy('ada@example.org');
  assert.ok(message);
  const mail = await simpleParser(message.raw);
  assert.equal(mail.subject, 'Confirm your subscription to Paper Digest');
  assert.equal(mail.from?.text, '"Paper Digest" <digest@papers.example.org>');
  const head = message.raw.toString('utf8').split('\r\n\r\n')[0] ?? '';
  assert.match(head, /^List-Id: <weekly\.papers\.example\.org>$/im);
  assert.match(head, /^List-Unsubscribe:\s+<https:\/\/papers\.example\.org\/news\/unsubscribe\?token=/im);
  assert.match(mail.text ?? '', /Hi Ada,/);
  assert.match(mail.text ?? '', /1 Research Way, Springfield/);
  assert.match(mail.html || '', /Confirm your subscription/);
  const dkim = await verifyDkim(message.raw, pair.publicKey);
  assert.equal(dkim.ok, true, dkim.comment);
  const link = await confirmationLink(message.raw);
  assert.ok(link.startsWith('https://papers.example.org/news/subscribe/confirm?token='), link);

  // Same address, another spelling, within the hour: the same answer, no second mail.
  const again = await signUp(setup.base, 'ADA@example.org');
  assert.equal(again.status, 200);
  assert.match(await again.text(), /Check your inbox/);
  assert.ok(setup.log.lines.some((line) => /within the hour, nothing sent/.test(line.message)));
  setup.advance(HOUR);
  await signUp(setup.base, 'ada@example.org');
  await setup.sink.waitForAccepted(2);
  assert.equal(setup.sink.receivedBy('ada@example.org').length, 2);
});

test('an active address gets the same answer and no mail; a filled-in honeypot neither', async (t) => {
  const setup = await startSignupSite(t);
  const listed = await signUp(setup.base, 'grace@example.org');
  const fresh = await signUp(setup.base, 'bob@example.org');
  const bot = await signUp(setup.base, 'eve@example.org', [[HONEYPOT_FIELD, 'http://spam.example']]);
  const pages = await Promise.all([listed.text(), fresh.text(), bot.text()]);
  assert.deepEqual([listed.status, fresh.status, bot.status], [200, 200, 200]);
  assert.equal(pages[0], pages[1], 'the page never tells whether an address is subscribed');
  assert.equal(pages[2], pages[1]);
  await setup.sink.waitForAccepted(1);
  assert.deepEqual(
    setup.sink.accepted.map((m) => m.to),
    [['bob@example.org']],
  );
  assert.ok(setup.log.lines.some((line) => /active subscriber: nothing sent/.test(line.message)));
  assert.ok(setup.log.lines.some((line) => /hidden field/.test(line.message)));
});

test(`past SIGNUP_RATE_PER_HOUR sign-ups from one client the answer is 429; another client (through the proxy) is not held up`, async (t) => {
  const setup = await startSignupSite(t, { env: { SIGNUP_RATE_PER_HOUR: '3' } });
  const from = (ip: string) => ({ 'X-Forwarded-For': `203.0.113.200, ${ip}` });
  for (let i = 0; i < 3; i++) {
    assert.equal((await signUp(setup.base, `r${i}@example.org`, [], from('198.51.100.7'))).status, 200);
  }
  const refused = await signUp(setup.base, 'r9@example.org', [], from('198.51.100.7'));
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('retry-after'), '3600');
  assert.match(await refused.text(), /Too many sign-ups/);
  assert.equal((await signUp(setup.base, 'other@example.org', [], from('198.51.100.8'))).status, 200);
  setup.advance(HOUR);
  assert.equal((await signUp(setup.base, 'r10@example.org', [], from('198.51.100.7'))).status, 200);
});

test('bad input is a 400 that escapes what it echoes; a body past 8 KB is 413', async (t) => {
  const setup = await startSignupSite(t);
  const bad = await signUp(setup.base, '<script>alert(1)</script>', [
    ['name', '"><img src=x onerror=alert(1)>'],
  ]);
  assert.equal(bad.status, 400);
  const page = await bad.text();
  assert.doesNotMatch(page, /<script>alert|<img src=x/);
  assert.match(page, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  assert.match(page, /aria-invalid="true"/);
  const longName = await signUp(setup.base, 'ada@example.org', [['name', 'x'.repeat(101)]]);
  assert.equal(longName.status, 400);
  const huge = await signUp(setup.base, 'ada@example.org', [['name', 'x'.repeat(9000)]]);
  assert.equal(huge.status, 413);
  assert.equal(setup.sink.accepted.length, 0);
});

test('the confirmation link: GET confirms nothing and allows only its own script; POST subscribes and lifts a suppression', async (t) => {
  const setup = await startSignupSite(t);
  setup.store.suppressions.suppress('ada@example.org', 'link', 'unsubscribe page');
  await signUp(setup.base, 'ada@example.org', [
    ['name', 'Ada'],
    ['topics', 'diffusion'],
  ]);
  await setup.sink.waitForAccepted(1);
  const link = local(setup, await confirmationLink(setup.sink.accepted[0]!.raw));
  const opened = await fetch(link);
  assert.equal(opened.status, 200);
  assert.match(opened.headers.get('content-security-policy') ?? '', /script-src 'sha256-[A-Za-z0-9+/=]+'$/);
  assert.match(await opened.text(), /<form method="post" id="pw-confirm">/);
  assert.equal(setup.store.webSubscribers.find('ada@example.org'), null, 'a GET changes nothing');
  assert.notEqual(setup.store.suppressions.find('ada@example.org'), null);

  const confirmed = await postForm(link, [['confirm', 'yes']]);
  assert.equal(confirmed.status, 200);
  assert.match(await confirmed.text(), /You are subscribed/);
  const row = setup.store.webSubscribers.find('ada@example.org');
  assert.deepEqual(
    [row?.name, row?.topics, row?.confirmedAt],
    ['Ada', ['diffusion'], '2026-11-23T09:00:00.000Z'],
  );
  assert.equal(
    setup.store.suppressions.find('ada@example.org'),
    null,
    'the explicit confirmation un-suppresses',
  );
  assert.equal((await postForm(link, [['confirm', 'yes']])).status, 200, 'a second confirmation is harmless');
  assert.equal((await postForm(link, [])).status, 400);
});

test('forged, expired and other-list tokens are 400 on the confirmation and preferences pages', async (t) => {
  const setup = await startSignupSite(t);
  const now = new Date('2026-11-23T09:00:00Z');
  const request = { email: 'ada@example.org', name: null, topics: [] };
  const good = confirmationToken(SECRET, LIST_ID, request, now);
  const tokens = {
    forged: `${good.split('.')[0]}.${'A'.repeat(43)}`,
    otherList: confirmationToken(SECRET, 'weekly.other.example.org', request, now),
    otherSecret: confirmationToken('another-secret-of-enough-length', LIST_ID, request, now),
    expired: confirmationToken(SECRET, LIST_ID, request, new Date(now.getTime() - 48 * HOUR)),
    preferences: preferencesToken(SECRET, LIST_ID, 'ada@example.org'),
  };
  for (const [name, token] of Object.entries(tokens)) {
    for (const method of ['GET', 'POST']) {
      const response = await fetch(`${setup.base}/subscribe/confirm?token=${token}`, {
        method,
        ...(method === 'POST'
          ? { body: 'confirm=yes', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }
          : {}),
      });
      assert.equal(response.status, 400, `${name} ${method}`);
      if (name === 'expired') assert.match(await response.text(), /This link has expired/);
    }
  }
  assert.equal(setup.store.webSubscribers.find('ada@example.org'), null);
  for (const token of [
    preferencesToken(SECRET, 'weekly.other.example.org', 'grace@example.org'),
    `${preferencesToken(SECRET, LIST_ID, 'grace@example.org').slice(0, -2)}xx`,
    good,
  ]) {
    assert.equal((await fetch(`${setup.base}/preferences?token=${token}`)).status, 400);
    assert.equal((await postForm(`${setup.base}/preferences?token=${token}`, [['save', 'yes']])).status, 400);
  }
});

test('preferences: a listed reader keeps the list topics (said on the page) and adds their own; an unsubscribe button', async (t) => {
  const setup = await startSignupSite(t);
  const url = `${setup.base}/preferences?token=${preferencesToken(SECRET, LIST_ID, 'grace@example.org')}`;
  const page = await (await fetch(url)).text();
  assert.match(page, /also on the newsletter&#x27;s own list|also on the newsletter's own list/);
  assert.match(page, /value="compilers" checked disabled/);
  assert.match(page, /value="diffusion">/);
  assert.match(page, /<form method="post" action="\/news\/unsubscribe\?token&#x3D;/);
  const saved = await postForm(url, [
    ['save', 'yes'],
    ['topics', 'diffusion'],
    ['topics', 'made-up'],
  ]);
  assert.equal(saved.status, 200);
  assert.match(await saved.text(), /Saved\./);
  assert.deepEqual(setup.store.webSubscribers.find('grace@example.org')?.topics, ['diffusion']);
  assert.equal(setup.store.webSubscribers.find('grace@example.org')?.confirmedAt, null);
  assert.ok(setup.log.lines.some((line) => line.message === 'topics changed on the preferences page'));
  // Someone on neither list: nothing to choose.
  const stranger = `${setup.base}/preferences?token=${preferencesToken(SECRET, LIST_ID, 'eve@example.org')}`;
  assert.match(await (await fetch(stranger)).text(), /does not get Paper Digest/);
  await postForm(stranger, [
    ['save', 'yes'],
    ['topics', 'diffusion'],
  ]);
  assert.equal(setup.store.webSubscribers.find('eve@example.org'), null);
});

test('the log names no address unless LOG_ADDRESSES=true (the unsubscribe line too)', async (t) => {
  for (const logAddresses of ['false', 'true']) {
    await t.test(`LOG_ADDRESSES=${logAddresses}`, async (t) => {
      const setup = await startSignupSite(t, { env: { LOG_ADDRESSES: logAddresses } });
      await signUp(setup.base, 'ada@example.org');
      await setup.sink.waitForAccepted(1);
      const link = local(setup, await confirmationLink(setup.sink.accepted[0]!.raw));
      await postForm(link, [['confirm', 'yes']]);
      const prefs = `${setup.base}/preferences?token=${preferencesToken(SECRET, LIST_ID, 'ada@example.org')}`;
      await postForm(prefs, [
        ['save', 'yes'],
        ['topics', 'robotics'],
      ]);
      const unsubscribe = /action="\/news(\/unsubscribe\?token&#x3D;[^"]+)"/.exec(
        await (await fetch(prefs)).text(),
      )?.[1];
      await postForm(`${setup.base}${unsubscribe?.replace(/&#x3D;/g, '=')}`, [['confirm', 'yes']]);
      assert.equal(setup.store.suppressions.find('ada@example.org')?.via, 'link');
      const messages = setup.log.lines.map((line) => line.message);
      for (const expected of [
        'sign-up: confirmation sent',
        'subscribed: sign-up confirmed',
        'topics changed on the preferences page',
        'unsubscribed',
      ]) {
        assert.ok(messages.includes(expected), expected);
      }
      const text = JSON.stringify(setup.log.lines);
      assert.equal(text.includes('ada@example.org'), logAddresses === 'true', text);
    });
  }
});
