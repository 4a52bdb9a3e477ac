// The embedded default: without SMTP_URL, each message is an .eml file in the outbox.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { PLACEHOLDER_FROM } from '../../src/deliver/headers.ts';
import { deliverEdition } from '../../src/deliver/index.ts';
import { createTransport } from '../../src/deliver/transports/index.ts';
import { outboxPath } from '../../src/deliver/transports/outbox.ts';
import { verifyDkim } from '../unsubscribe/dkim-verify.ts';
import {
  addEdition,
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
      return await deliverEdition({
        store,
        config,
        editionId: '2026-W10',
        subscribers,
        admitNewcomers: true,
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
    assert.equal(parsed.messageId, `<${rows.get(subscriber.email)?.message_id}>`);
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
  const transport = await createTransport(config);
  t.after(() => transport.close());
  const summary = await deliverEdition({
    store,
    config,
    editionId: '2026-W10',
    subscribers: makeSubscribers(2),
    admitNewcomers: true,
    render: simpleRender,
    transport,
  });
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
