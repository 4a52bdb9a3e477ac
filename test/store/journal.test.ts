// The journal beside the database: what it keeps, and how it reads back after a crash.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { freezeEdition } from '../../src/edition/index.ts';
import { openStore } from '../../src/store/index.ts';
import { dated, storePapers } from '../edition/helpers.ts';
import { tempDir } from '../helpers/temp.ts';
import { dropDatabase } from './helpers.ts';

const MONDAY_W49 = new Date('2026-11-30T08:00:00Z');

test('unsubscribes and resubscribes replay in order into a new database', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const store = openStore(path);
  store.suppressions.suppress('ada@example.org', 'link', 'clicked');
  store.suppressions.suppress('bob@example.org', 'command', 'asked');
  store.suppressions.lift('ada@example.org');
  store.suppressions.suppress('ADA@example.org', 'bounce', 'no such mailbox twice');
  store.suppressions.lift('bob@example.org');
  store.close();

  dropDatabase(path);
  assert.throws(() => openStore(path), /missing or empty, but its folder was used before/);
  const rebuilt = openStore(path, { allowNewDatabase: true });
  t.after(() => rebuilt.close());
  assert.deepEqual(rebuilt.replayed, {
    facts: 6,
    editions: 0,
    deliveries: 0,
    suppressions: 5,
    webSubscribers: 0,
  });
  assert.deepEqual(
    rebuilt.suppressions.list().map(({ email, via }) => ({ email, via })),
    [{ email: 'ada@example.org', via: 'bounce' }],
  );
});

test('a line cut short by a crash neither stops the replay nor swallows the next fact', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const store = openStore(path);
  store.suppressions.suppress('ada@example.org', 'link', 'clicked');
  store.close();
  const journal = join(path, '..', 'paperwire-journal.jsonl');
  // What a process killed in the middle of a write leaves.
  appendFileSync(journal, '{"fact":"suppressed","email":"half@exa');

  const again = openStore(path);
  again.suppressions.suppress('bob@example.org', 'command', 'asked');
  again.close();
  const lines = readFileSync(journal, 'utf8').split('\n');
  assert.equal(
    lines.at(-2),
    lines.find((line) => line.includes('bob@example.org')),
    'on a line of its own',
  );

  dropDatabase(path);
  const rebuilt = openStore(path, { allowNewDatabase: true });
  t.after(() => rebuilt.close());
  assert.deepEqual(
    rebuilt.suppressions.list().map((s) => s.email),
    ['ada@example.org', 'bob@example.org'],
  );
});

test('a database in a folder never used before is created without asking, and starts the journal', (t) => {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'paperwire.db'));
  t.after(() => store.close());
  assert.equal(store.journalPath, join(dir, 'paperwire-journal.jsonl'));
  assert.equal(store.replayed, null);
  assert.match(readFileSync(store.journalPath!, 'utf8'), /^\{"fact":"journal","id":"[0-9a-f-]{36}","at":"/);
});

test('readers who signed up on the web, and their topics, come back into a new database', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const store = openStore(path);
  store.suppressions.suppress('Cara@Example.org', 'link', 'clicked');
  // A sign-up after an unsubscribe lifts it; a listed reader only chooses topics.
  store.webSubscribers.confirm({ email: 'Cara@example.org', name: 'Cara', topics: ['diffusion'] });
  store.webSubscribers.setTopics('Cara@example.org', ['diffusion', 'agents']);
  store.webSubscribers.setTopics('listed@example.org', ['robotics']);
  const before = store.webSubscribers.list();
  store.close();

  dropDatabase(path);
  const rebuilt = openStore(path, { allowNewDatabase: true });
  t.after(() => rebuilt.close());
  assert.deepEqual(rebuilt.webSubscribers.list(), before);
  assert.deepEqual(rebuilt.webSubscribers.find('cara@example.org')?.topics, ['diffusion', 'agents']);
  assert.ok(rebuilt.webSubscribers.find('cara@example.org')?.confirmedAt, 'still confirmed');
  assert.equal(rebuilt.suppressions.find('cara@example.org'), null, 'the lifted unsubscribe stays lifted');
  assert.equal(rebuilt.replayed?.webSubscribers, 3, 'the sign-up and two changes of topics');
});

test('a rebuilt edition keeps its papers, and an edition deleted before it went out stays deleted', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const store = openStore(path);
  storePapers(store, [dated('mon', 5, '2026-11-23'), dated('sun', 7, '2026-11-29')]);
  assert.equal(freezeEdition(store, '2026-W48', MONDAY_W49).status, 'created');
  // A clock a week ahead froze W49 early (one late paper); the operator deletes it.
  storePapers(store, [dated('late', 3, '2026-11-30')]);
  assert.equal(freezeEdition(store, '2026-W49', new Date('2026-12-07T08:00:00Z')).status, 'created');
  assert.equal(store.editions.remove('2026-W49'), true);
  store.close();

  dropDatabase(path);
  const rebuilt = openStore(path, { allowNewDatabase: true });
  t.after(() => rebuilt.close());
  assert.deepEqual(
    rebuilt.editions.summaries().map((edition) => edition.id),
    ['2026-W48'],
  );
  // The papers of W48 are W48's: the next edition takes only the late one, not them again.
  storePapers(rebuilt, [dated('late', 3, '2026-11-30')]);
  const next = freezeEdition(rebuilt, '2026-W49', new Date('2026-12-07T08:00:00Z'));
  assert.ok(next.status === 'created');
  assert.deepEqual(
    next.edition.papers.map((entry) => entry.paper.id),
    ['late'],
  );
});

test('a failed row put back to pending comes back from the journal as the ledger left it: pending, its reason cleared', (t) => {
  const path = join(tempDir(t), 'paperwire.db');
  const store = openStore(path);
  storePapers(store, [dated('mon', 5, '2026-11-23')]);
  assert.equal(freezeEdition(store, '2026-W48', MONDAY_W49).status, 'created');
  store.ledger.admit('2026-W48', [{ email: 'ada@example.org', messageId: 'w48.ada@news.example.org' }]);
  store.ledger.recordAttempt('2026-W48', 'ada@example.org');
  store.ledger.recordFailed('2026-W48', 'ada@example.org', {
    reason: '550 5.7.1 message refused',
    smtpCode: 550,
    enhancedCode: '5.7.1',
  });
  assert.equal(store.ledger.requeueFailed('2026-W48', ['ada@example.org']), 1);
  const before = store.ledger.records('2026-W48');
  store.close();

  dropDatabase(path);
  const rebuilt = openStore(path, { allowNewDatabase: true });
  t.after(() => rebuilt.close());
  const [row] = rebuilt.ledger.records('2026-W48');
  assert.deepEqual(
    { status: row?.status, error: row?.error, smtpCode: row?.smtpCode, enhancedCode: row?.enhancedCode },
    { status: 'pending', error: null, smtpCode: null, enhancedCode: null },
  );
  assert.equal(before[0]?.error, null, 'as the ledger itself has it');
});
