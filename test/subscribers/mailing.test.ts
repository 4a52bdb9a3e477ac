// What the list says reaches the transport: a listmonk export's blocklisted and
// unsubscribed rows never get a message, through the real outbox.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTransport, outboxPath } from '../../src/deliver/transports/index.ts';
import { loadSubscribers } from '../../src/subscribers/index.ts';
import { addEdition, deliverWith, simpleRender, tempDir, testConfig, testStore } from '../deliver/helpers.ts';

const fixture = fileURLToPath(new URL('../fixtures/subscribers/listmonk-export.csv', import.meta.url));

test('a blocklisted or unsubscribed row of a listmonk export is never mailed', async (t) => {
  const config = testConfig(tempDir(t));
  const store = testStore(t, config);
  addEdition(store, '2026-W10');
  const transport = await createTransport(config);
  t.after(() => transport.close());
  const summary = await deliverWith(store, config, '2026-W10', loadSubscribers(fixture).subscribers, {
    render: simpleRender,
    transport,
  });
  assert.equal(summary.sent, 3);
  assert.equal(readdirSync(join(config.outboxDir, '2026-W10')).length, 3);
  for (const email of ['ada@example.org', 'grace@example.org', 'alan@example.org']) {
    assert.ok(existsSync(outboxPath(config.outboxDir, '2026-W10', email)), email);
  }
  for (const email of ['mallory@example.org', 'eve@example.org']) {
    assert.equal(existsSync(outboxPath(config.outboxDir, '2026-W10', email)), false, `${email} was mailed`);
  }
});
