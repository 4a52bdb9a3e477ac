// Message basics and header safety, checked on what a real SMTP server received.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import {
  composeMessage,
  headerSafe,
  messageSettings,
  PLACEHOLDER_FROM,
  senderAddress,
} from '../../src/deliver/headers.ts';
import { deliveryMessageId, messageIdDomain } from '../../src/deliver/message-id.ts';
import { createTransport } from '../../src/deliver/transports/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { addEdition, deliverWith, tempDir, testConfig, testStore } from './helpers.ts';

test('names, subjects and content cannot inject a header or a second SMTP message', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const config = testConfig(tempDir(t), {
    SMTP_URL: sink.url,
    MAIL_FROM: 'Digest <digest@news.example.org>',
    MAIL_REPLY_TO: 'editor@news.example.org',
    LIST_ID: 'weekly.news.example.org',
  });
  const store = testStore(t, config);
  addEdition(store, '2026-W10');
  const transport = await createTransport(config);
  t.after(() => transport.close());
  const eve = {
    email: 'eve@example.org',
    name: 'Eve\r\nBcc: victim@example.net\u0000\u001b[31m',
    topics: [],
  };
  const summary = await deliverWith(store, config, '2026-W10', [eve], {
    transport,
    render: () => ({
      subject: 'Papers\r\nX-Injected: yes\nX-Other: 1',
      html: '<p>A title\r\nX-Evil: 1</p>\r\n.\r\nMAIL FROM:<spam@example.net>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\n',
      text: 'Abstract\r\n.\r\nQUIT\r\n',
    }),
  });
  assert.equal(summary.sent, 1);
  assert.equal(sink.accepted.length, 1, 'no smuggled second message');
  assert.deepEqual(sink.accepted[0]?.to, ['eve@example.org']);

  const parsed = await simpleParser(sink.accepted[0]!.raw);
  for (const name of ['bcc', 'x-injected', 'x-other', 'x-evil']) {
    assert.equal(parsed.headers.has(name), false, `no ${name} header`);
  }
  assert.equal(parsed.subject, 'Papers X-Injected: yes X-Other: 1');
  const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
  assert.equal(to?.value[0]?.address, 'eve@example.org');
  assert.equal(to?.value[0]?.name, 'Eve Bcc: victim@example.net [31m');
  assert.match(parsed.text ?? '', /Abstract\s+\.\s+QUIT/);
  assert.match(String(parsed.html), /MAIL FROM:&lt;spam@example.net&gt;|MAIL FROM:<spam@example.net>/);

  // The message basics, while we have a parsed one.
  const from = Array.isArray(parsed.from) ? parsed.from[0] : parsed.from;
  assert.equal(from?.value[0]?.address, 'digest@news.example.org');
  const replyTo = Array.isArray(parsed.replyTo) ? parsed.replyTo[0] : parsed.replyTo;
  assert.equal(replyTo?.value[0]?.address, 'editor@news.example.org');
  assert.equal(parsed.messageId, `<${deliveryMessageId('2026-W10', 'eve@example.org', 'news.example.org')}>`);
  assert.ok(parsed.date instanceof Date && !Number.isNaN(parsed.date.getTime()));
  const raw = sink.accepted[0]!.raw.toString();
  assert.match(raw, /^List-Id: <weekly\.news\.example\.org>\r$/im);
  assert.match(raw, /^List-Unsubscribe: <mailto:/m);
  assert.ok(parsed.html && parsed.text, 'an HTML and a plain-text part');
});

test('headerSafe flattens every control character and line separator', () => {
  assert.equal(headerSafe(' a\r\nb\tc\u0085d\u2028e\u0000 '), 'a b c d e');
});

test('From: MAIL_FROM; the placeholder for the outbox; E_CONFIG over SMTP without it', async (t) => {
  const dir = tempDir(t);
  assert.equal(senderAddress(testConfig(dir)), PLACEHOLDER_FROM);
  assert.equal(senderAddress(testConfig(dir, { MAIL_FROM: 'a@b.org' })), 'a@b.org');
  const smtpNoFrom = testConfig(dir, { SMTP_URL: 'smtp://127.0.0.1:2525' });
  assert.throws(
    () => senderAddress(smtpNoFrom),
    (error: unknown) => isPaperwireError(error, 'E_CONFIG') && /MAIL_FROM/.test(error.message),
  );
  await assert.rejects(createTransport(smtpNoFrom), (error: unknown) => isPaperwireError(error, 'E_CONFIG'));
});

test('Message-IDs are derived from edition and address, case-insensitively, and differ between editions', () => {
  const id = deliveryMessageId('2026-W10', 'Ada@example.org', 'news.example.org');
  assert.match(id, /^2026-W10\.[0-9a-f]{24}@news\.example\.org$/);
  assert.equal(id, deliveryMessageId('2026-W10', 'ada@EXAMPLE.org', 'news.example.org'));
  assert.notEqual(id, deliveryMessageId('2026-W11', 'ada@example.org', 'news.example.org'));
  assert.notEqual(id, deliveryMessageId('2026-W10', 'bob@example.org', 'news.example.org'));
  assert.equal(messageIdDomain('Digest <digest@News.Example.org>'), 'news.example.org');
  assert.equal(messageIdDomain(null), 'paperwire.invalid');
});

test('composeMessage puts the list headers and a Date on every message', (t) => {
  const config = testConfig(tempDir(t), { LIST_ID: 'weekly.example.org' });
  const message = composeMessage(messageSettings(config), {
    editionId: '2026-W10',
    subscriber: { email: 'ada@example.org', name: 'Ada', topics: [] },
    rendered: { subject: 'Hi', html: '<p>x</p>', text: 'x' },
    messageId: 'id@example.org',
    date: new Date('2026-03-02T08:00:00Z'),
    subjectPrefix: '[test] ',
  });
  assert.equal(message.subject, '[test] Hi');
  assert.equal(message.headers.Date, 'Mon, 02 Mar 2026 08:00:00 +0000');
  assert.equal(message.headers['List-Id'], '<weekly.example.org>');
  assert.match(message.headers['List-Unsubscribe'] ?? '', /^<mailto:/);
});
