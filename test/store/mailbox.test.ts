// Migration 5 (the mailbox tables) on a database from before it, and the once-only record.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { addEdition } from '../deliver/helpers.ts';
import { tempDir } from '../helpers/temp.ts';
import { databaseAtVersion } from './helpers.ts';

test('a version-2 database migrates to the newest version; its ledger rows are found by Message-ID', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  // A database as paperwire 0.1 left it (schema version 2), written straight into the file.
  const old = databaseAtVersion(path, 2);
  old
    .prepare("INSERT INTO editions (id, created_at, through_seq, paper_count) VALUES ('2026-W48', 't', 0, 0)")
    .run();
  old
    .prepare(
      `INSERT INTO ledger (edition_id, email, status, message_id, created_at, updated_at)
       VALUES ('2026-W48', 'ada@example.org', 'pending', '2026-W48.abc@news.example.org', 't', 't')`,
    )
    .run();
  old.close();

  const newest = MIGRATIONS.at(-1)!.version;
  const store = openStore(path);
  t.after(() => store.close());
  assert.equal(store.schemaVersion(), newest);
  assert.deepEqual(store.mailbox.deliveryByMessageId('2026-W48.abc@news.example.org'), {
    editionId: '2026-W48',
    email: 'ada@example.org',
  });
  store.close();
  const again = openStore(path);
  assert.equal(again.schemaVersion(), newest, 'reopening migrates nothing twice');
  again.close();
});

test('a message is recorded once: the second record changes nothing, not even a lifted suppression', (t) => {
  const store = openStore(join(tempDir(t), 'paperwire.db'));
  t.after(() => store.close());
  addEdition(store, '2026-W48');
  store.ledger.admit('2026-W48', [{ email: 'ghost@example.net', messageId: 'm1@x' }]);
  const record = {
    key: 'report-1@mx.example.net',
    class: 'bounce' as const,
    outcome: 'suppressed',
    email: 'Ghost@Example.net',
    editionId: '2026-W48',
    status: '5.1.1',
    detail: 'no such user',
    receivedAt: '2026-11-23T08:00:06.000Z',
  };
  const suppression = { email: 'ghost@example.net', via: 'bounce' as const, reason: 'no such user' };
  assert.deepEqual(store.mailbox.record(record, suppression), { recorded: true, suppressed: true });
  store.suppressions.lift('ghost@example.net');
  assert.deepEqual(store.mailbox.record(record, suppression), { recorded: false, suppressed: false });
  assert.equal(store.suppressions.find('ghost@example.net'), null);
  assert.deepEqual(store.suppressions.list(), []);
  assert.deepEqual(store.mailbox.addressEditions('ghost@example.net'), [
    { editionId: '2026-W48', sendFailure: null, reportStatuses: ['5.1.1'] },
  ]);
});
