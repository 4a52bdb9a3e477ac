// The mailbox against a real IMAP server (Dovecot on loopback): every kind of message
// a newsletter's mailbox receives is classified right, acted on once across two runs,
// and moved to the done folder (held requests and everything else stay put).
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readMailbox } from '../../src/app/mailbox.ts';
import { mailboxLines } from '../../src/cli/present/mailbox.ts';
import { silentLogger } from '../../src/log.ts';
import type { MailboxAction } from '../../src/mailbox/index.ts';
import { fakeDns, noDns, PEOPLE, setUpNewsletter } from './helpers.ts';
import {
  arfComplaint,
  autoReply,
  clientUnsubscribe,
  delayedReport,
  eximBounce,
  gmailStyleBounce,
  otherNewsletter,
  postfixDsn,
  replyUnsubscribe,
  thankYouReply,
} from './messages.ts';

const DONE = 'paperwire/processed';

test('every kind of message is classified right, acted on once across two runs, and moved', async (t) => {
  const newsletter = await setUpNewsletter(t);
  if (!newsletter) return;
  const { dovecot, store, config, about, returnPath } = newsletter;
  const messages: [string, string][] = [
    ['postfix', postfixDsn(about('2026-W48', PEOPLE.ghost))],
    ['exim', eximBounce(about('2026-W47', PEOPLE.full))],
    ['gmail', gmailStyleBounce(about('2026-W48', PEOPLE.full))],
    ['delayed', delayedReport(about('2026-W48', PEOPLE.slow))],
    ['arf', arfComplaint(about('2026-W48', PEOPLE.angry))],
    ['ada', clientUnsubscribe({ from: PEOPLE.ada, name: 'Ada', ip: '192.0.2.10', id: 'ada-1@aligned.test' })],
    [
      'grace',
      replyUnsubscribe({ from: PEOPLE.grace, name: 'Grace', ip: '198.51.100.66', id: 'grace-1@strict.test' }),
    ],
    [
      'hedy',
      clientUnsubscribe({ from: PEOPLE.hedy, name: 'Hedy', ip: '192.0.2.30', id: 'hedy-1@nodmarc.test' }),
    ],
    [
      'stranger',
      replyUnsubscribe({
        from: 'stranger@elsewhere.test',
        name: 'S',
        ip: '192.0.2.40',
        id: 'stranger-1@elsewhere.test',
      }),
    ],
    ['thanks', thankYouReply({ from: PEOPLE.reader, id: 'reader-1@example.org' })],
    [
      'vacation',
      autoReply({
        from: PEOPLE.vacation,
        returnPath: returnPath('2026-W48', PEOPLE.vacation),
        id: 'ooo-1@example.com',
      }),
    ],
    ['newsletter', otherNewsletter({ id: 'mlweekly-212@mlweekly.test' })],
  ];
  for (const [, raw] of messages) await dovecot.append('papers', raw);

  const first = await readMailbox(
    { store: store, config: config, log: silentLogger, clock: () => new Date() },
    { resolver: fakeDns() },
  );
  assert.equal(first.seen, messages.length);
  assert.deepEqual(first.errors, []);
  const bySubject = new Map<string, MailboxAction>();
  const outcome = (
    name: string,
  ): Pick<MailboxAction, 'class' | 'outcome' | 'email' | 'editionId' | 'status'> => {
    const index = messages.findIndex(([label]) => label === name);
    const action = first.actions[index]!;
    bySubject.set(name, action);
    return {
      class: action.class,
      outcome: action.outcome,
      email: action.email,
      editionId: action.editionId,
      status: action.status,
    };
  };
  assert.deepEqual(outcome('postfix'), {
    class: 'bounce',
    outcome: 'suppressed',
    email: PEOPLE.ghost,
    editionId: '2026-W48',
    status: '5.1.1',
  });
  assert.deepEqual(outcome('exim'), {
    class: 'bounce',
    outcome: 'recorded',
    email: PEOPLE.full,
    editionId: '2026-W47',
    status: '5.2.2',
  });
  assert.deepEqual(outcome('gmail'), {
    class: 'bounce',
    outcome: 'suppressed',
    email: PEOPLE.full,
    editionId: '2026-W48',
    status: '5.2.2',
  });
  assert.deepEqual(outcome('delayed'), {
    class: 'bounce',
    outcome: 'recorded',
    email: PEOPLE.slow,
    editionId: '2026-W48',
    status: '4.4.7',
  });
  assert.deepEqual(outcome('arf'), {
    class: 'complaint',
    outcome: 'suppressed',
    email: PEOPLE.angry,
    editionId: '2026-W48',
    status: null,
  });
  assert.deepEqual(outcome('ada'), {
    class: 'unsubscribe',
    outcome: 'suppressed',
    email: PEOPLE.ada,
    editionId: null,
    status: null,
  });
  assert.deepEqual(outcome('grace'), {
    class: 'unsubscribe',
    outcome: 'held',
    email: PEOPLE.grace,
    editionId: null,
    status: null,
  });
  assert.deepEqual(outcome('hedy'), {
    class: 'unsubscribe',
    outcome: 'suppressed',
    email: PEOPLE.hedy,
    editionId: null,
    status: null,
  });
  assert.deepEqual(outcome('stranger'), {
    class: 'unsubscribe',
    outcome: 'not on the list',
    email: null,
    editionId: null,
    status: null,
  });
  for (const name of ['thanks', 'vacation', 'newsletter']) {
    assert.deepEqual(
      outcome(name),
      { class: 'other', outcome: 'left alone', email: null, editionId: null, status: null },
      name,
    );
  }
  assert.match(bySubject.get('ada')!.detail, /DMARC pass/);
  assert.match(bySubject.get('hedy')!.detail, /DMARC none/);
  assert.match(bySubject.get('grace')!.detail, /DMARC fails for strict\.test \(p=reject\)/);
  assert.match(bySubject.get('gmail')!.detail, /editions 2026-W47 and 2026-W48/);

  const suppressed = new Map(store.suppressions.list().map((s) => [s.email, s.via]));
  assert.deepEqual(
    Object.fromEntries([...suppressed].sort()),
    Object.fromEntries(
      [
        [PEOPLE.ada, 'mailto'],
        [PEOPLE.angry, 'complaint'],
        [PEOPLE.full, 'bounce'],
        [PEOPLE.ghost, 'bounce'],
        [PEOPLE.hedy, 'mailto'],
      ].sort(),
    ),
  );
  assert.equal(store.suppressions.find(PEOPLE.grace), null, 'a forged request is held, not acted on');
  assert.equal(store.suppressions.find(PEOPLE.slow), null, 'a transient failure never suppresses');
  // Nothing is kept about a stranger: no suppression and no address.
  assert.equal(store.suppressions.find('stranger@elsewhere.test'), null);
  const strangerRow = store.mailbox.processed('stranger-1@elsewhere.test');
  assert.equal(strangerRow?.email, null);
  assert.doesNotMatch(JSON.stringify(strangerRow), /stranger@/);

  const lines = mailboxLines(first);
  assert.ok(lines.includes('bounces: 3 permanent, 1 transient, 2 suppressed'), lines.join('\n'));
  assert.ok(lines.includes('complaints: 1, 1 suppressed'), lines.join('\n'));
  assert.ok(
    lines.includes('mailto unsubscribes: 4, 2 suppressed, 1 held (DMARC failed), 1 not on the list'),
    lines.join('\n'),
  );
  assert.ok(lines.includes('left alone: 3'), lines.join('\n'));
  assert.ok(lines.includes(`moved to ${DONE}: 8`), lines.join('\n'));

  // Moved, never deleted: reports, complaints and requests acted on are in the done folder;
  // the held request and everything left alone are still in the inbox.
  const done = (await dovecot.messages('papers', DONE))!.map((m) => m.messageId).sort();
  const inbox = (await dovecot.messages('papers', 'INBOX'))!.map((m) => m.messageId).sort();
  assert.equal(done.length, 8);
  assert.deepEqual(inbox, [
    'grace-1@strict.test',
    'mlweekly-212@mlweekly.test',
    'ooo-1@example.com',
    'reader-1@example.org',
  ]);

  // Read again: what is left (held, left alone) is recognised by its Message-ID; nothing is done twice.
  const before = store.suppressions.list();
  store.suppressions.lift(PEOPLE.ghost); // the operator resubscribed ghost meanwhile
  const second = await readMailbox(
    { store: store, config: config, log: silentLogger, clock: () => new Date() },
    { resolver: fakeDns() },
  );
  assert.equal(second.seen, 4);
  assert.equal(second.alreadyProcessed, 4);
  assert.deepEqual(second.actions, []);
  assert.equal(second.moved, 0);
  assert.equal(store.suppressions.find(PEOPLE.ghost), null, 'the 5.1.1 report is not acted on again');
  assert.deepEqual(
    store.suppressions.list(),
    before.filter((s) => s.email !== PEOPLE.ghost),
  );
});

test('a message whose move fails is acted on once, and moved by the next run', async (t) => {
  const newsletter = await setUpNewsletter(t);
  if (!newsletter) return;
  const { dovecot, store, config, about } = newsletter;
  await dovecot.append('papers', postfixDsn(about('2026-W48', PEOPLE.ghost)));
  // A done folder the server may not write into: every move fails.
  const doneDir = await dovecot.createFolder('papers', DONE);
  for (const sub of ['cur', 'new', 'tmp']) chmodSync(join(doneDir, sub), 0o555);

  const first = await readMailbox(
    { store: store, config: config, log: silentLogger, clock: () => new Date() },
    { resolver: fakeDns() },
  );
  assert.equal(first.actions[0]?.outcome, 'suppressed');
  assert.equal(first.moved, 0);
  assert.equal(first.errors.length, 1);
  assert.match(first.errors[0]!.error, /could not move it to paperwire\/processed/);
  assert.equal((await dovecot.messages('papers', 'INBOX'))?.length, 1);

  store.suppressions.lift(PEOPLE.ghost);
  for (const sub of ['cur', 'new', 'tmp']) chmodSync(join(doneDir, sub), 0o700);
  const second = await readMailbox(
    { store: store, config: config, log: silentLogger, clock: () => new Date() },
    { resolver: fakeDns() },
  );
  assert.equal(second.alreadyProcessed, 1);
  assert.deepEqual(second.actions, []);
  assert.equal(second.moved, 1);
  assert.equal(store.suppressions.find(PEOPLE.ghost), null, 'read again, it was not acted on again');
  assert.equal((await dovecot.messages('papers', 'INBOX'))?.length, 0);
  assert.equal((await dovecot.messages('papers', DONE))?.length, 1);
});

test('a dry run says what it would do and changes nothing: no record, no suppression, no move, no folder', async (t) => {
  const newsletter = await setUpNewsletter(t);
  if (!newsletter) return;
  const { dovecot, store, config, about } = newsletter;
  await dovecot.append('papers', postfixDsn(about('2026-W48', PEOPLE.ghost)));
  await dovecot.append(
    'papers',
    clientUnsubscribe({ from: PEOPLE.ada, name: 'Ada', ip: '192.0.2.10', id: 'ada-1@aligned.test' }),
  );

  const summary = await readMailbox(
    { store: store, config: config, log: silentLogger, clock: () => new Date() },
    { resolver: fakeDns(), dryRun: true },
  );
  assert.deepEqual(
    summary.actions.map((a) => [a.class, a.outcome, a.email]),
    [
      ['bounce', 'suppressed', PEOPLE.ghost],
      ['unsubscribe', 'suppressed', PEOPLE.ada],
    ],
  );
  const lines = mailboxLines(summary);
  assert.match(lines[0]!, /dry run: nothing is changed/);
  assert.ok(
    lines.some((line) => /ghost@example\.net \(2026-W48\): would be suppressed/.test(line)),
    lines.join('\n'),
  );
  assert.deepEqual(store.suppressions.list(), []);
  assert.equal(store.mailbox.processed('ada-1@aligned.test'), null);
  assert.equal((await dovecot.messages('papers', 'INBOX'))?.length, 2);
  assert.equal(await dovecot.messages('papers', DONE), null, 'the done folder is not even created');
});

test('with no DNS answer at all a mailto: unsubscribe is honoured', async (t) => {
  const newsletter = await setUpNewsletter(t);
  if (!newsletter) return;
  const { dovecot, store, config } = newsletter;
  await dovecot.append(
    'papers',
    replyUnsubscribe({ from: PEOPLE.grace, name: 'Grace', ip: '198.51.100.66', id: 'grace-2@strict.test' }),
  );
  const summary = await readMailbox(
    { store: store, config: config, log: silentLogger, clock: () => new Date() },
    { resolver: noDns },
  );
  assert.equal(summary.actions[0]?.outcome, 'suppressed');
  assert.equal(store.suppressions.find(PEOPLE.grace)?.via, 'mailto');
});

test('a forged VERP token matches no delivery: the report is left alone', async (t) => {
  const newsletter = await setUpNewsletter(t);
  if (!newsletter) return;
  const { dovecot, store, config } = newsletter;
  const forged = 'bounces+2026-w48-0123456789abcdef0123@news.example.org';
  await dovecot.append(
    'papers',
    delayedReport({ to: PEOPLE.slow, returnPath: forged })
      .replace('4.4.7', '5.1.1')
      .replace('delayed', 'failed'),
  );
  const summary = await readMailbox(
    { store: store, config: config, log: silentLogger, clock: () => new Date() },
    { resolver: fakeDns() },
  );
  assert.equal(summary.actions[0]?.class, 'other');
  assert.match(summary.actions[0]!.detail, /did not send/);
  assert.equal(store.suppressions.find(PEOPLE.slow), null);
});
