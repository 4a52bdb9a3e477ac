// Delivery against a real SMTP server (smtp-server in-process): exactly once,
// retries, permanent failures, the bounce rule, a dead server, stopping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliveryMessageId } from '../../src/deliver/message-id.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import {
  addEdition,
  deliverThrough,
  ledgerRows,
  makeSubscribers,
  SMTP_TEST_FROM,
  simpleRender,
  smtpSetUp,
  tempDir,
  testConfig,
  testStore,
} from './helpers.ts';

test('500 subscribers each receive the edition exactly once, with the derived Message-ID', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  const subscribers = makeSubscribers(500);
  const summary = await deliverThrough(store, config, '2026-W10', subscribers);

  assert.equal(summary.sent, 500);
  assert.equal(summary.failed, 0);
  assert.equal(summary.leftToRetry, 0);
  assert.equal(sink.accepted.length, 500);
  const counts = sink.countsByRecipient();
  for (const { email } of subscribers) assert.equal(counts.get(email), 1, email);
  const rows = ledgerRows(store, '2026-W10');
  for (const { email } of subscribers) {
    const row = rows.get(email)!;
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 1);
    assert.match(row.response ?? '', /^250/);
    assert.equal(
      sink.receivedBy(email)[0]?.messageId,
      deliveryMessageId('2026-W10', email, 'news.example.org'),
    );
  }

  // Running again sends nothing: everyone is already in the ledger as sent.
  const again = await deliverThrough(store, config, '2026-W10', subscribers);
  assert.equal(again.planned, 0);
  assert.equal(again.alreadySent, 500);
  assert.equal(again.skipped, 500);
  assert.equal(sink.accepted.length, 500);
});

test('a 421 is retried with backoff and then accepted', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  sink.hooks.rcpt = (_address, { attempt }) =>
    attempt === 1 ? { code: 421, message: '4.7.0 try again later' } : undefined;
  const delays: number[] = [];
  const subscribers = makeSubscribers(6);
  const summary = await deliverThrough(store, config, '2026-W10', subscribers, {
    retryDelayMs: (retry) => {
      delays.push(retry);
      return 5;
    },
  });
  assert.equal(summary.sent, 6);
  assert.equal(summary.leftToRetry, 0);
  assert.deepEqual(
    delays,
    subscribers.map(() => 1),
  );
  for (const { email } of subscribers) {
    assert.equal(sink.receivedBy(email).length, 1);
    assert.equal(ledgerRows(store, '2026-W10').get(email)?.attempts, 2);
  }
});

test('a 4xx that never clears leaves that address pending and the others delivered', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  sink.hooks.rcpt = (address) =>
    address === 's2@example.org' ? { code: 452, message: '4.2.2 mailbox full' } : undefined;
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(5));
  assert.equal(summary.sent, 4);
  assert.equal(summary.leftToRetry, 1);
  assert.equal(summary.halted, null);
  assert.equal(sink.rcptAttempts('s2@example.org'), 3, 'SEND_MAX_ATTEMPTS=3');
  const row = ledgerRows(store, '2026-W10').get('s2@example.org');
  assert.equal(row?.status, 'pending');
  assert.equal(row?.attempts, 3);
});

test('a 550 5.1.1 fails that address only, is not retried, and twice in a row suppresses it', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  addEdition(store, '2026-W11', '2026-W10');
  sink.hooks.rcpt = (address) =>
    address === 's1@example.org'
      ? { code: 550, message: '5.1.1 <s1@example.org>: no such user' }
      : address === 's3@example.org'
        ? { code: 550, message: '5.7.1 message refused by policy' }
        : undefined;
  const subscribers = makeSubscribers(5);

  const first = await deliverThrough(store, config, '2026-W10', subscribers);
  assert.equal(first.sent, 3);
  assert.equal(first.failed, 2);
  assert.equal(first.leftToRetry, 0);
  assert.deepEqual(first.bounceSuppressed, []);
  assert.equal(sink.rcptAttempts('s1@example.org'), 1, 'a 5xx is not retried');
  const row = ledgerRows(store, '2026-W10').get('s1@example.org');
  assert.equal(row?.status, 'failed');
  assert.equal(row?.smtpCode, 550);
  assert.equal(row?.enhancedCode, '5.1.1');
  assert.equal(ledgerRows(store, '2026-W10').get('s3@example.org')?.enhancedCode, '5.7.1');
  assert.equal(store.suppressions.find('s1@example.org'), null, 'one bounce does not suppress');

  const second = await deliverThrough(store, config, '2026-W11', subscribers);
  assert.equal(second.failed, 2);
  assert.deepEqual(second.bounceSuppressed, ['s1@example.org']);
  const suppression = store.suppressions.find('s1@example.org');
  assert.equal(suppression?.via, 'bounce');
  assert.match(suppression?.reason ?? '', /5\.1\.1/);
  assert.equal(store.suppressions.find('s3@example.org'), null, 'a policy rejection never suppresses');
  for (const email of ['s0@example.org', 's2@example.org', 's4@example.org']) {
    assert.equal(sink.receivedBy(email).length, 2);
  }
});

test('"no such mailbox" in two editions that are not in a row does not suppress', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  addEdition(store, '2026-W11', '2026-W10');
  addEdition(store, '2026-W12', '2026-W11');
  const subscribers = makeSubscribers(2);
  const bounce = (address: string) =>
    address === 's1@example.org' ? { code: 550, message: '5.1.1 no such user' } : undefined;
  sink.hooks.rcpt = bounce;
  await deliverThrough(store, config, '2026-W10', subscribers);
  sink.hooks.rcpt = () => undefined; // the mailbox is back for a week
  const middle = await deliverThrough(store, config, '2026-W11', subscribers);
  assert.equal(middle.sent, 2);
  sink.hooks.rcpt = bounce;
  const third = await deliverThrough(store, config, '2026-W12', subscribers);
  assert.equal(third.failed, 1);
  assert.deepEqual(third.bounceSuppressed, []);
  assert.equal(store.suppressions.find('s1@example.org'), null);
});

test('a 550 without an enhanced code but "5.1." in its text counts as no such mailbox', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  addEdition(store, '2026-W11', '2026-W10');
  sink.hooks.rcpt = (address) =>
    address === 's0@example.org' ? { code: 550, message: 'Recipient address rejected (5.1.1)' } : undefined;
  await deliverThrough(store, config, '2026-W10', makeSubscribers(2));
  const second = await deliverThrough(store, config, '2026-W11', makeSubscribers(2));
  assert.deepEqual(second.bounceSuppressed, ['s0@example.org']);
});

test('a connection dropped mid-DATA is retried and each address gets one accepted copy', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  // The first DATA of every even-numbered subscriber is cut before the server replies.
  sink.hooks.data = (message, { attempt }) =>
    attempt === 1 && /^s\d*[02468]@/.test(message.to[0] ?? '') ? 'drop' : undefined;
  const subscribers = makeSubscribers(20);
  const summary = await deliverThrough(store, config, '2026-W10', subscribers);
  assert.equal(summary.sent, 20);
  assert.equal(summary.leftToRetry, 0);
  const rows = ledgerRows(store, '2026-W10');
  subscribers.forEach(({ email }, i) => {
    const received = sink.receivedBy(email);
    assert.equal(received.length, 1, email);
    assert.equal(sink.dataAttempts(email), i % 2 === 0 ? 2 : 1, email);
    assert.equal(rows.get(email)?.attempts, i % 2 === 0 ? 2 : 1);
    assert.equal(received[0]?.messageId, rows.get(email)?.messageId);
  });
});

test('a server down for the whole run leaves every row pending, none failed', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  await sink.close(); // nothing listens on that port any more
  addEdition(store, '2026-W10');
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(30));
  assert.equal(summary.sent, 0);
  assert.equal(summary.failed, 0);
  assert.equal(summary.leftToRetry, 30);
  assert.ok(summary.halted, 'the run gives up instead of trying every address');
  const rows = [...ledgerRows(store, '2026-W10').values()];
  assert.equal(rows.length, 30);
  assert.ok(rows.every((row) => row.status === 'pending'));
  // Only the first messages were tried (3 attempts each), not all 30.
  assert.ok(rows.filter((row) => row.attempts > 0).length <= 2 * config.smtpMaxConnections);
});

test('a refused login stops the run at once with a hint; rows stay pending', async (t) => {
  const sink = await startSmtpSink({ auth: { user: 'news', pass: 'right' } });
  t.after(() => sink.close());
  const config = testConfig(tempDir(t), {
    SMTP_URL: `smtp://news:wrong@127.0.0.1:${sink.port}`,
    MAIL_FROM: SMTP_TEST_FROM,
  });
  const store = testStore(t, config);
  addEdition(store, '2026-W10');
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(5));
  assert.equal(summary.sent, 0);
  assert.equal(summary.failed, 0);
  assert.equal(summary.leftToRetry, 5);
  assert.match(summary.halted?.message ?? '', /login/);
  assert.match(summary.halted?.hint ?? '', /SMTP_URL/);

  const good = testConfig(tempDir(t), {
    SMTP_URL: `smtp://news:right@127.0.0.1:${sink.port}`,
    MAIL_FROM: SMTP_TEST_FROM,
  });
  const goodStore = testStore(t, good);
  addEdition(goodStore, '2026-W10');
  assert.equal((await deliverThrough(goodStore, good, '2026-W10', makeSubscribers(2))).sent, 2);
});

test('STARTTLS with a self-signed certificate: refused by default, accepted with SMTP_TLS_REJECT_UNAUTHORIZED=false', async (t) => {
  const { config, store } = await smtpSetUp(t, {}, { starttls: true });
  addEdition(store, '2026-W10');
  const refused = await deliverThrough(store, config, '2026-W10', makeSubscribers(2));
  assert.equal(refused.sent, 0);
  assert.match(refused.halted?.message ?? '', /TLS/);
  assert.match(refused.halted?.hint ?? '', /SMTP_TLS_REJECT_UNAUTHORIZED/);

  const relaxed = { ...config, smtpTlsRejectUnauthorized: false };
  const summary = await deliverThrough(store, relaxed, '2026-W10', makeSubscribers(2));
  assert.equal(summary.sent, 2);
});

test('a suppressed address is skipped and never reaches the server', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  store.suppressions.suppress('S1@Example.org', 'command', 'paperwire unsubscribe');
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(3));
  assert.equal(summary.sent, 2);
  assert.equal(summary.suppressed, 1);
  assert.equal(summary.skipped, 1);
  assert.equal(sink.rcptAttempts('s1@example.org'), 0);
  assert.equal(ledgerRows(store, '2026-W10').has('s1@example.org'), false);
});

test('pending rows of addresses that left the list or were suppressed are closed, so the edition can finish', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W13');
  const subscribers = makeSubscribers(4);
  // A first run reaches nobody (stopped before it starts), so every row is pending.
  const stopped = new AbortController();
  stopped.abort();
  await deliverThrough(store, config, '2026-W13', subscribers, { signal: stopped.signal });
  assert.equal(ledgerRows(store, '2026-W13').size, 4);
  // s1 had an attempt that may have arrived; s2 is suppressed; s3 is removed from the list.
  store.ledger.recordAttempt('2026-W13', 's1@example.org');
  store.suppressions.suppress('s2@example.org', 'command', 'asked to leave');

  const summary = await deliverThrough(store, config, '2026-W13', [subscribers[0]!]);
  assert.equal(summary.sent, 1);
  const rows = ledgerRows(store, '2026-W13');
  assert.equal(rows.get('s0@example.org')?.status, 'sent');
  assert.equal(rows.get('s1@example.org')?.status, 'failed', 'attempted before: may have arrived');
  assert.equal(rows.has('s2@example.org'), false, 'never attempted: removed');
  assert.equal(rows.has('s3@example.org'), false);
  assert.deepEqual(
    store.ledger.pendingEditions(),
    [],
    'nothing is left pending for the scheduler to "finish" forever',
  );
  assert.deepEqual(
    sink.accepted.flatMap((m) => m.to),
    ['s0@example.org'],
  );
});

test('past the edition week only existing rows are resumed: newcomers wait for the next edition', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  // The first run is cut short by a dead server: everyone is admitted, nobody sent.
  sink.hooks.rcpt = () => ({ code: 421, message: '4.3.2 shutting down' });
  const first = await deliverThrough(store, config, '2026-W10', makeSubscribers(3));
  assert.equal(first.leftToRetry, 3);
  sink.hooks.rcpt = undefined;

  const withNewcomer = [...makeSubscribers(3), { email: 'late@example.org', name: null, topics: [] }];
  const resumed = await deliverThrough(store, config, '2026-W10', withNewcomer, { admitNewcomers: false });
  assert.equal(resumed.sent, 3);
  assert.equal(resumed.notInAudience, 1);
  assert.equal(sink.rcptAttempts('late@example.org'), 0);

  const inWeek = await deliverThrough(store, config, '2026-W10', withNewcomer, { admitNewcomers: true });
  assert.equal(inWeek.sent, 1);
  assert.equal(sink.receivedBy('late@example.org').length, 1);
});

test('an abort stops taking messages, lets those in flight finish, and a resume completes the rest', async (t) => {
  const { sink, config, store } = await smtpSetUp(t, {}, { acceptDelayMs: 20 });
  addEdition(store, '2026-W10');
  const subscribers = makeSubscribers(60);
  const controller = new AbortController();
  let seen = 0;
  const summary = await deliverThrough(store, config, '2026-W10', subscribers, {
    signal: controller.signal,
    onProgress: () => {
      if (++seen === 10) controller.abort();
    },
  });
  assert.equal(summary.stopped, true);
  assert.ok(summary.sent >= 10 && summary.sent < 60, `sent ${summary.sent}`);
  assert.equal(summary.sent + summary.leftToRetry, 60);
  // The ledger matches the server exactly: every accepted message is recorded sent.
  const rows = ledgerRows(store, '2026-W10');
  const sentRows = [...rows.values()].filter((row) => row.status === 'sent').length;
  assert.equal(sentRows, sink.accepted.length);
  assert.equal(sentRows, summary.sent);

  const resumed = await deliverThrough(store, config, '2026-W10', subscribers);
  assert.equal(resumed.sent, 60 - summary.sent);
  for (const { email } of subscribers) assert.equal(sink.receivedBy(email).length, 1, email);
});

test('a render error for one subscriber leaves only that row pending', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(4), {
    render: (subscriber) => {
      if (subscriber.email === 's2@example.org') throw new Error('template blew up');
      return simpleRender(subscriber);
    },
  });
  assert.equal(summary.sent, 3);
  assert.equal(summary.leftToRetry, 1);
  assert.equal(sink.accepted.length, 3);
  assert.equal(ledgerRows(store, '2026-W10').get('s2@example.org')?.status, 'pending');
});

test('SMTP_RATE_PER_SECOND holds the pool to that many messages a second', async (t) => {
  const { sink, config, store } = await smtpSetUp(t, { SMTP_RATE_PER_SECOND: '5' });
  addEdition(store, '2026-W10');
  const started = performance.now();
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(12));
  assert.equal(summary.sent, 12);
  assert.equal(sink.accepted.length, 12);
  // 5 in the first second, 5 in the next, 2 in the third: never sooner than 2 s.
  assert.ok(performance.now() - started >= 1900, `took ${Math.round(performance.now() - started)} ms`);
});

test('no reply after the final "." (a timeout): retried with the same Message-ID, the RFC 5321 duplicate', async (t) => {
  const { sink, config, store } = await smtpSetUp(t);
  addEdition(store, '2026-W10');
  // The server takes the first copy for s0 but answers too late: the client has given up.
  sink.hooks.data = async (message, { attempt }) => {
    if (message.to[0] === 's0@example.org' && attempt === 1) await new Promise((r) => setTimeout(r, 1500));
    return undefined;
  };
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(3), {
    smtpTimeouts: {
      connectionTimeoutMs: 5000,
      greetingTimeoutMs: 5000,
      socketTimeoutMs: 400,
    },
  });
  assert.equal(summary.sent, 3);
  await new Promise((r) => setTimeout(r, 1500)); // let the late copy land
  const copies = sink.receivedBy('s0@example.org');
  assert.equal(copies.length, 2, 'the timed-out copy arrived after all');
  assert.equal(copies[0]?.messageId, copies[1]?.messageId);
  assert.equal(ledgerRows(store, '2026-W10').get('s0@example.org')?.attempts, 2);
  assert.equal(sink.receivedBy('s1@example.org').length, 1);
});
