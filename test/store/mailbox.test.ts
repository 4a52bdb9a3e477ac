// Migration 5 (the mailbox tables) on a database from before it, and the once-only record.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore, schemaVersion } from '../../src/store/index.ts';
import { openLedger } from '../../src/store/ledger.ts';
import { addressEditions, findDeliveryByMessageId, recordMailboxMessage } from '../../src/store/mailbox.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { findSuppression, listSuppressions } from '../../src/store/suppressions.ts';
import { addEdition } from '../deliver/helpers.ts';
import { tempDir } from '../helpers/temp.ts';

test('a version-2 database jumps to version 5 (3 and 4 are reserved) and keeps its rows', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const old = openStore(path, { migrations: MIGRATIONS.filter((m) => m.version <= 2) });
  addEdition(old, '2026-W48');
  openLedger(old).admit('2026-W48', [
    { email: 'ada@example.org', messageId: '2026-W48.abc@news.example.org' },
  ]);
  assert.equal(schemaVersion(old), 2);
  old.close();

  const store = openStore(path);
  t.after(() => store.close());
  assert.equal(schemaVersion(store), 5);
  assert.deepEqual(findDeliveryByMessageId(store, '2026-W48.abc@news.example.org'), {
    editionId: '2026-W48',
    email: 'ada@example.org',
  });
  store.close();
  const again = openStore(path);
  assert.equal(schemaVersion(again), 5, 'reopening migrates nothing twice');
  again.close();
});

test('a message is recorded once: the second record changes nothing, not even a lifted suppression', (t) => {
  const store = openStore(join(tempDir(t), 'paperwire.db'));
  t.after(() => store.close());
  addEdition(store, '2026-W48');
  openLedger(store).admit('2026-W48', [{ email: 'ghost@example.net', messageId: 'm1@x' }]);
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
  assert.deepEqual(recordMailboxMessage(store, record, suppression), { recorded: true, suppressed: true });
  store.db.prepare('DELETE FROM suppressions').run();
  assert.deepEqual(recordMailboxMessage(store, record, suppression), { recorded: false, suppressed: false });
  assert.equal(findSuppression(store, 'ghost@example.net'), null);
  assert.deepEqual(listSuppressions(store), []);
  assert.deepEqual(addressEditions(store, 'ghost@example.net'), [
    { editionId: '2026-W48', sendFailure: null, reportStatuses: ['5.1.1'] },
  ]);
});
