import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { tempStore } from '../helpers/store.ts';
import { tempDir } from '../helpers/temp.ts';
import { databaseAtVersion } from './helpers.ts';

function storeAt(t: import('node:test').TestContext, start = '2026-03-02T10:00:00Z') {
  let now = new Date(start);
  const { store } = tempStore(t, { clock: () => new Date(now) });
  return { store, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

test('a store at schema 5, from before web subscribers, migrates to the latest schema and keeps web subscribers', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const old = databaseAtVersion(path, 5);
  old.close();
  const store = openStore(path);
  t.after(() => store.close());
  assert.equal(store.schemaVersion(), MIGRATIONS.at(-1)!.version);
  store.webSubscribers.setTopics('ada@example.org', ['diffusion']);
  const raw = new Database(path, { readonly: true });
  t.after(() => raw.close());
  assert.deepEqual(raw.prepare('SELECT email, topics, confirmed_at FROM web_subscribers').all(), [
    { email: 'ada@example.org', topics: '["diffusion"]', confirmed_at: null },
  ]);
});

test('confirm records the sign-up and lifts a suppression in one step; an active subscriber is left alone', (t) => {
  const { store, advance } = storeAt(t);
  store.suppressions.suppress('ada@example.org', 'link', 'unsubscribe page');
  const first = store.webSubscribers.confirm({
    email: 'Ada@example.org',
    name: 'Ada',
    topics: ['diffusion'],
  });
  assert.equal(first.changed, true);
  assert.equal(first.lifted?.via, 'link');
  assert.equal(store.suppressions.find('ada@example.org'), null);
  assert.deepEqual(store.webSubscribers.find('ADA@example.org'), {
    email: 'Ada@example.org',
    name: 'Ada',
    topics: ['diffusion'],
    confirmedAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
  });
  advance(60_000);
  assert.deepEqual(store.webSubscribers.confirm({ email: 'ada@example.org', name: null, topics: [] }), {
    changed: false,
    lifted: null,
  });
  assert.deepEqual(store.webSubscribers.find('ada@example.org')?.topics, ['diffusion']);
  store.webSubscribers.setTopics('ada@example.org', ['robotics']);
  const row = store.webSubscribers.find('ada@example.org');
  assert.deepEqual(row?.topics, ['robotics']);
  assert.equal(row?.confirmedAt, '2026-03-02T10:00:00.000Z', 'choosing topics keeps the confirmation');
  // Topics of a listed reader make a row that is no sign-up; list() puts confirmed ones first.
  store.webSubscribers.setTopics('grace@example.org', ['quantization']);
  assert.deepEqual(
    store.webSubscribers.list().map((r) => [r.email, r.confirmedAt !== null]),
    [
      ['Ada@example.org', true],
      ['grace@example.org', false],
    ],
  );
});

test('one confirmation mail per address per hour; a released claim can be taken again at once', (t) => {
  const { store, advance } = storeAt(t);
  const hour = 3_600_000;
  assert.equal(store.webSubscribers.claimConfirmationMail('ada@example.org', hour), true);
  assert.equal(store.webSubscribers.claimConfirmationMail('ADA@example.org', hour), false);
  assert.equal(store.webSubscribers.claimConfirmationMail('grace@example.org', hour), true);
  advance(hour - 1000);
  assert.equal(store.webSubscribers.claimConfirmationMail('ada@example.org', hour), false);
  advance(1000);
  assert.equal(store.webSubscribers.claimConfirmationMail('ada@example.org', hour), true);
  store.webSubscribers.releaseConfirmationMail('ada@example.org');
  assert.equal(store.webSubscribers.claimConfirmationMail('ada@example.org', hour), true);
});
