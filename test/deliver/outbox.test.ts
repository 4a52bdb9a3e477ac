// The embedded default: without SMTP_URL, each message is an .eml file in the outbox.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { composeMessage, messageSettings, PLACEHOLDER_FROM } from '../../src/deliver/headers.ts';
import { deliveryMessageId } from '../../src/deliver/message-id.ts';
import { createSmtpTransport, createTransport } from '../../src/deliver/transports/index.ts';
import { createOutboxTransport, outboxPath } from '../../src/deliver/transports/outbox.ts';
import type { LedgerRecord } from '../../src/store/index.ts';
import type { Subscriber, Transport } from '../../src/types.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { verifyDkim } from '../unsubscribe/dkim-verify.ts';
import {
  addEdition,
  deliverThrough,
  deliverWith,
  ledgerRows,
  makeSubscribers,
  simpleRender,
  tempDir,
  testConfig,
  testStore,
} from './helpers.ts';

test('without SMTP_URL every subscriber gets one parseable .eml, and a re-run writes none', async (t) => {
  const config = testConfig(tempDir(t));
  const store = testStore(t, config);
  addEdition(store, '2026-W10');
  const subscribers = makeSubscribers(7);
  const run = async () => {
    const transport = await createTransport(config);
    assert.match(transport.name, /^outbox /);
    try {
      return await deliverWith(store, config, '2026-W10', subscribers, {
        render: simpleRender,
        transport,
      });
    } finally {
      await transport.close();
    }
  };

  const summary = await run();
  assert.equal(summary.sent, 7);
  const dir = join(config.outboxDir, '2026-W10');
  const files = readdirSync(dir).sort();
  assert.equal(files.length, 7, `no temporary files left: ${files.join(', ')}`);
  assert.ok(files.every((file) => file.endsWith('.eml')));
  const rows = ledgerRows(store, '2026-W10');
  for (const subscriber of subscribers) {
    const path = outboxPath(config.outboxDir, '2026-W10', subscriber.email);
    const parsed = await simpleParser(readFileSync(path));
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    assert.equal(to?.value[0]?.address, subscriber.email);
    const from = Array.isArray(parsed.from) ? parsed.from[0] : parsed.from;
    assert.equal(from?.text, PLACEHOLDER_FROM.replace(/^paperwire /, '"paperwire" '));
    assert.equal(parsed.subject, 'Papers of the week');
    assert.match(parsed.text ?? '', /Hello/);
    assert.match(String(parsed.html), /<p>Hello/);
    assert.equal(parsed.messageId, `<${rows.get(subscriber.email)?.messageId}>`);
    assert.match(rows.get(subscriber.email)?.response ?? '', /\.eml$/);
  }
  const mtimes = files.map((file) => statSync(join(dir, file)).mtimeMs);

  const again = await run();
  assert.equal(again.sent, 0);
  assert.equal(again.alreadySent, 7);
  assert.deepEqual(
    readdirSync(dir)
      .sort()
      .map((file) => statSync(join(dir, file)).mtimeMs),
    mtimes,
  );
});

test('with a DKIM key, the outbox files are signed and verify, List-Unsubscribe included', async (t) => {
  const dir = tempDir(t);
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'dkim.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const config = testConfig(dir, {
    MAIL_FROM: 'Digest <digest@example.org>',
    DKIM_DOMAIN: 'example.org',
    DKIM_SELECTOR: 'pw2026',
    DKIM_PRIVATE_KEY_FILE: join(dir, 'dkim.pem'),
  });
  const store = testStore(t, config);
  addEdition(store, '2026-W10');
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(2));
  assert.equal(summary.sent, 2);
  for (const subscriber of makeSubscribers(2)) {
    const result = await verifyDkim(
      readFileSync(outboxPath(config.outboxDir, '2026-W10', subscriber.email)),
      keys.publicKey,
    );
    assert.equal(result.ok, true, result.comment);
    assert.equal(result.domain, 'example.org');
    assert.ok(result.signedHeaders.includes('list-unsubscribe'));
    assert.ok(result.signedHeaders.includes('message-id'));
  }
});

/** Subscribers whose addresses differ only in a character no file name can hold. */
const LOOKALIKES: Subscriber[] = ['jörg', 'jürg', 'j#rg', 'j&rg'].map((local) => ({
  email: `${local}@example.org`,
  name: null,
  topics: [],
}));

async function deliverTo(
  t: import('node:test').TestContext,
  subscribers: Subscriber[],
  wrap: (transport: Transport) => Transport = (transport) => transport,
) {
  const config = testConfig(tempDir(t));
  const store = testStore(t, config);
  addEdition(store, '2026-W10');
  const transport = await createTransport(config);
  t.after(() => transport.close());
  const summary = await deliverWith(store, config, '2026-W10', subscribers, {
    render: simpleRender,
    transport: wrap(transport),
  });
  return { config, store, summary };
}

test('addresses that differ only in characters a file name loses each get their own file', async (t) => {
  const { config, summary } = await deliverTo(t, LOOKALIKES);
  assert.equal(summary.sent, 4);
  const files = readdirSync(join(config.outboxDir, '2026-W10'));
  assert.equal(files.length, 4, files.join(', '));
  for (const subscriber of LOOKALIKES) {
    const path = outboxPath(config.outboxDir, '2026-W10', subscriber.email);
    assert.match(path, /j_rg@example\.org\.[0-9a-f]{10}\.eml$/);
    const parsed = await simpleParser(readFileSync(path));
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    assert.equal(to?.value[0]?.address, subscriber.email);
  }
  // The same subscriber written in another case is the same file.
  assert.equal(
    outboxPath(config.outboxDir, '2026-W10', 'JÖRG@Example.org'),
    outboxPath(config.outboxDir, '2026-W10', 'jörg@example.org'),
  );
});

test('a file that holds another message is never overwritten: that message fails, the others go', async (t) => {
  const config = testConfig(tempDir(t));
  const taken = outboxPath(config.outboxDir, '2026-W10', 's1@example.org');
  mkdirSync(join(taken, '..'), { recursive: true });
  const foreign = "Message-ID: <someone-else@example.org>\r\nSubject: keep me\r\n\r\nnot paperwire's\r\n";
  writeFileSync(taken, foreign);
  const store = testStore(t, config);
  addEdition(store, '2026-W10');
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(3));
  assert.equal(summary.sent, 2);
  assert.equal(summary.failed, 1);
  assert.equal(readFileSync(taken, 'utf8'), foreign);
  // The failure's reason is the ledger's `error` column.
  const row = ledgerRows(store, '2026-W10').get('s1@example.org') as LedgerRecord | undefined;
  assert.equal(row?.status, 'failed');
  assert.match(
    row?.error ?? '',
    /already holds another message \(Message-ID <someone-else@example\.org>\).*never overwritten/,
  );
  assert.equal(row?.enhancedCode, '5.3.0', 'not a "no such mailbox" bounce');
  assert.equal(readdirSync(join(config.outboxDir, '2026-W10')).length, 3, 'no temporary file left');
});

test('a message written but not recorded (a crash, a lost reply) is not refused when sent again', async (t) => {
  let firstWrite: Buffer | null = null;
  let path = '';
  const { summary, store } = await deliverTo(t, makeSubscribers(3), (outbox) => ({
    name: outbox.name,
    close: () => outbox.close(),
    async send(message) {
      const result = await outbox.send(message);
      if (message.to.email === 's0@example.org' && firstWrite === null) {
        // The file is there, but the run hears nothing back: the ledger row stays pending.
        path = result.response.replace(/^written /, '');
        firstWrite = readFileSync(path);
        throw Object.assign(new Error('connection lost'), { code: 'ECONNECTION' });
      }
      return result;
    },
  }));
  assert.equal(summary.sent, 3);
  assert.equal(summary.failed, 0);
  assert.match(
    ledgerRows(store, '2026-W10').get('s0@example.org')?.response ?? '',
    /^already in the outbox: /,
  );
  assert.deepEqual(readFileSync(path), firstWrite, 'the file written first stays as it was');
});

test('an outbox file is what SMTP sends: the same bytes, but for the MIME boundaries', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const dir = tempDir(t);
  const config = testConfig(dir, { SMTP_URL: sink.url, MAIL_FROM: 'Digest <digest@example.org>' });
  const [subscriber] = makeSubscribers(1);
  const message = composeMessage(messageSettings(config), {
    editionId: '2026-W10',
    subscriber: { ...subscriber!, name: 'Ada Lovelace' },
    rendered: { subject: 'Papers — 2026-W10', html: '<p>Hello Ada, é ü</p>', text: 'Hello Ada, é ü' },
    messageId: deliveryMessageId('2026-W10', subscriber!.email, 'example.org'),
    date: new Date('2026-03-09T08:00:00Z'),
  });
  const smtp = createSmtpTransport(config, null);
  t.after(() => smtp.close());
  await smtp.send(message);
  const outbox = createOutboxTransport(join(dir, 'outbox'), null);
  await outbox.send(message);
  const file = readFileSync(outboxPath(join(dir, 'outbox'), '2026-W10', subscriber!.email));
  const sameBoundaries = (raw: Buffer): string =>
    raw.toString('latin1').replace(/--_NmP-[0-9a-f-]+/g, '--BOUNDARY');
  assert.match(file.toString('latin1'), /\r\n/);
  assert.doesNotMatch(file.toString('latin1'), /[^\r]\n/, 'CRLF line ends only');
  assert.equal(sameBoundaries(file), sameBoundaries(sink.accepted[0]!.raw));
});
