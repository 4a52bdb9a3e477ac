// A misbehaving or misconfigured relay (issue 10), against a real SMTP server whose hooks
// answer per command: a refused sender or login, a refusal for everyone (the breaker),
// a server that stores a message and then drops the line, a hard rate cap, a silent hang
// after DATA, and addresses with non-ASCII characters.
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import type { Store } from '../../src/store/index.ts';
import type { Subscriber } from '../../src/types.ts';
import type { SmtpSinkOptions } from '../helpers/smtp-sink.ts';
import { memoryLog } from '../schedule/helpers.ts';
import { addEdition, deliverThrough, ledgerRows, makeSubscribers, smtpSetUp } from './helpers.ts';

/** The sink and config of these tests: up to 5 attempts, where the breaker and the rate cap retry. */
const setUp = (t: TestContext, env: Record<string, string> = {}, sinkOptions: SmtpSinkOptions = {}) =>
  smtpSetUp(t, { SEND_MAX_ATTEMPTS: '5', ...env }, sinkOptions);

const statuses = (store: Store, editionId: string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const row of ledgerRows(store, editionId).values()) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
};

test('a 530 "authentication required" at MAIL FROM fails nobody: the run stops, rows stay pending, the hint names SMTP_URL', async (t) => {
  const { sink, config, store } = await setUp(t);
  addEdition(store, '2026-W10');
  sink.hooks.mailFrom = () => ({ code: 530, message: '5.7.0 Authentication required' });
  const subscribers = makeSubscribers(20);
  const summary = await deliverThrough(store, config, '2026-W10', subscribers);
  assert.equal(summary.failed, 0);
  assert.equal(summary.sent, 0);
  assert.equal(summary.leftToRetry, 20);
  assert.match(summary.halted?.message ?? '', /530 5\.7\.0 Authentication required/);
  assert.match(summary.halted?.hint ?? '', /SMTP_URL/);
  assert.deepEqual(statuses(store, '2026-W10'), { pending: 20 });

  // Fixed: the next run delivers every one of them.
  sink.hooks.mailFrom = undefined;
  const next = await deliverThrough(store, config, '2026-W10', subscribers);
  assert.equal(next.sent, 20);
  assert.deepEqual(statuses(store, '2026-W10'), { sent: 20 });
});

test('"Sender address rejected" at MAIL FROM names MAIL_FROM, or BOUNCE_ADDRESS when the envelope sender comes from it', async (t) => {
  for (const [env, setting] of [
    [{}, 'MAIL_FROM'],
    [{ BOUNCE_ADDRESS: 'bounces@news.example.org' }, 'BOUNCE_ADDRESS'],
  ] as const) {
    const { sink, config, store } = await setUp(t, env);
    addEdition(store, '2026-W10');
    sink.hooks.mailFrom = (address) => ({
      code: 553,
      message: `5.7.1 <${address}>: Sender address rejected: not owned by user news`,
    });
    const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(6));
    assert.equal(summary.failed, 0, setting);
    assert.equal(summary.leftToRetry, 6);
    assert.match(summary.halted?.message ?? '', /Sender address rejected/);
    assert.match(summary.halted?.hint ?? '', new RegExp(`set ${setting}`));
    assert.deepEqual(statuses(store, '2026-W10'), { pending: 6 });
  }
});

test('553 5.1.8 "Sender address rejected: Domain not found" at RCPT TO in two editions fails and suppresses nobody', async (t) => {
  const { sink, config, store } = await setUp(t);
  addEdition(store, '2026-W10');
  addEdition(store, '2026-W11', '2026-W10');
  // Postfix rejects the sender's domain at RCPT TO (smtpd_delay_reject), naming the sender.
  sink.hooks.rcpt = () => ({
    code: 553,
    message: '5.1.8 <digest@news.example.org>: Sender address rejected: Domain not found',
  });
  const subscribers = makeSubscribers(5);
  for (const edition of ['2026-W10', '2026-W11']) {
    const summary = await deliverThrough(store, config, edition, subscribers);
    assert.equal(summary.failed, 0, edition);
    assert.deepEqual(summary.bounceSuppressed, []);
    assert.match(summary.halted?.hint ?? '', /MAIL_FROM/);
    assert.deepEqual(statuses(store, edition), { pending: 5 });
  }
  assert.deepEqual(store.suppressions.list(), []);
});

test('a refusal at the greeting or a refused login stops the run; every row stays pending', async (t) => {
  const { sink, config, store } = await setUp(t);
  addEdition(store, '2026-W10');
  sink.hooks.connect = () => ({ code: 554, message: '5.7.1 this host does not take mail from you' });
  const refused = await deliverThrough(store, config, '2026-W10', makeSubscribers(4));
  assert.match(refused.halted?.message ?? '', /refused the connection: 554/);
  assert.match(refused.halted?.hint ?? '', /SMTP_URL/);
  assert.deepEqual(statuses(store, '2026-W10'), { pending: 4 });

  const login = await setUp(t, {}, { auth: { user: 'news', pass: 'right' } });
  const url = `smtp://news:right@127.0.0.1:${login.sink.port}`;
  const config2 = { ...login.config, smtpUrl: url };
  addEdition(login.store, '2026-W10');
  login.sink.hooks.auth = () => ({ code: 535, message: '5.7.8 account disabled' });
  const auth = await deliverThrough(login.store, config2, '2026-W10', makeSubscribers(4));
  assert.equal(auth.failed, 0);
  assert.match(auth.halted?.message ?? '', /refused the login/);
  assert.match(auth.halted?.hint ?? '', /SMTP_URL/);
  assert.deepEqual(statuses(login.store, '2026-W10'), { pending: 4 });
});

test('554 after the final "." for everyone trips the breaker: nobody fails, the rows stay pending, the reply is shown', async (t) => {
  const { sink, config, store } = await setUp(t);
  addEdition(store, '2026-W10');
  sink.hooks.data = () => ({ code: 554, message: '5.7.0 Message rejected: daily sending quota exceeded' });
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(40));
  assert.equal(summary.failed, 0);
  assert.equal(summary.sent, 0);
  assert.equal(summary.leftToRetry, 40);
  assert.match(
    summary.halted?.message ?? '',
    /same answer to \d+ different recipients: 554 5\.7\.0 Message rejected/,
  );
  assert.match(summary.halted?.hint ?? '', /nobody was marked failed/);
  assert.deepEqual(statuses(store, '2026-W10'), { pending: 40 });
  assert.ok(sink.arrived.length <= 20, `${sink.arrived.length} messages tried, not all 40`);
});

test('452 to every RCPT trips the breaker after about ten attempts, not SEND_MAX_ATTEMPTS for each', async (t) => {
  const { sink, config, store } = await setUp(t);
  addEdition(store, '2026-W10');
  sink.hooks.rcpt = (address) => ({
    code: 452,
    message: `4.5.3 <${address}>: too many recipients this hour`,
  });
  const subscribers = makeSubscribers(20);
  // A short backoff, as the real one (1 s, 2 s …) lets every worker's first attempt come back first.
  const summary = await deliverThrough(store, config, '2026-W10', subscribers, { retryDelayMs: () => 50 });
  assert.equal(summary.failed, 0);
  assert.equal(summary.leftToRetry, 20);
  assert.match(summary.halted?.message ?? '', /452 4\.5\.3/);
  assert.match(summary.halted?.hint ?? '', /SMTP_RATE_PER_SECOND/);
  const attempts = subscribers.reduce((sum, { email }) => sum + sink.rcptAttempts(email), 0);
  assert.ok(attempts <= 20, `${attempts} RCPT TO attempts (before: 100)`);
});

test('refusals for a few recipients among accepted ones never trip the breaker: they fail for good', async (t) => {
  const { sink, config, store } = await setUp(t);
  addEdition(store, '2026-W10');
  // Every third address is unknown: the same reply (addresses aside) 10 times, never most of 20.
  sink.hooks.rcpt = (address) =>
    Number(/\d+/.exec(address)?.[0]) % 3 === 0
      ? { code: 550, message: `5.1.1 <${address}>: Recipient address rejected: User unknown` }
      : undefined;
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(30));
  assert.equal(summary.halted, null);
  assert.equal(summary.failed, 10);
  assert.equal(summary.sent, 20);
  assert.deepEqual(statuses(store, '2026-W10'), { failed: 10, sent: 20 });
});

test('a server that stores the message and drops the line: retried once in the run, then left pending and reported', async (t) => {
  const { sink, config, store } = await setUp(t);
  addEdition(store, '2026-W10');
  const dropped = new Set(['s3@example.org', 's7@example.org', 's12@example.org']);
  sink.hooks.data = (message) => (dropped.has(message.to[0]!) ? 'drop' : undefined);
  const subscribers = makeSubscribers(20);
  const summary = await deliverThrough(store, config, '2026-W10', subscribers);
  assert.equal(summary.sent, 17);
  assert.equal(summary.failed, 0);
  assert.equal(summary.leftToRetry, 3);
  assert.deepEqual([...summary.mayHaveArrived].sort(), [...dropped].sort());
  const rows = ledgerRows(store, '2026-W10');
  for (const email of dropped) {
    assert.equal(sink.dataAttempts(email), 2, `${email}: the first copy and one retry`);
    assert.equal(rows.get(email)?.status, 'pending');
    const copies = sink.arrived.filter((m) => m.to.includes(email));
    assert.equal(copies[0]?.messageId, copies[1]?.messageId, 'the same Message-ID');
  }
});

test('a server that drops the line after every message: at most two copies each, then the breaker stops the run', async (t) => {
  const { sink, config, store } = await setUp(t);
  addEdition(store, '2026-W10');
  sink.hooks.data = () => 'drop';
  const subscribers = makeSubscribers(20);
  const summary = await deliverThrough(store, config, '2026-W10', subscribers);
  assert.equal(summary.sent, 0);
  assert.equal(summary.failed, 0);
  assert.equal(summary.leftToRetry, 20);
  assert.match(summary.halted?.hint ?? '', /may have arrived/);
  for (const { email } of subscribers) assert.ok(sink.dataAttempts(email) <= 2, email);
  // Not every message twice (before, 5 attempts each made 65 copies): the breaker stops it early.
  assert.ok(sink.arrived.length < 40, `${sink.arrived.length} copies for 20 recipients`);
});

/** True when no `window` ms (half-open) hold more than `limit` of the sorted `times`. */
function maxInAnyWindow(times: number[], window: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= window) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

test('SMTP_RATE_PER_SECOND=1 is a hard cap: every accepted message a full second after the one before', async (t) => {
  const { sink, config, store } = await setUp(t, { SMTP_RATE_PER_SECOND: '1' });
  addEdition(store, '2026-W10');
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(4));
  assert.equal(summary.sent, 4);
  const times = sink.accepted.map((m) => m.at);
  assert.equal(
    maxInAnyWindow(times, 999),
    1,
    `accepted at ${times.map((x) => Math.round(x - times[0]!))} ms`,
  );
});

test('SMTP_RATE_PER_SECOND=10 holds over any one-second window, not per bucket', async (t) => {
  const { sink, config, store } = await setUp(t, { SMTP_RATE_PER_SECOND: '10' });
  addEdition(store, '2026-W10');
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(25));
  assert.equal(summary.sent, 25);
  const times = sink.accepted.map((m) => m.at);
  assert.ok(maxInAnyWindow(times, 999) <= 10, `${maxInAnyWindow(times, 999)} accepted within one second`);
});

test('a silent hang after the final ".": logged while it waits, given up at the socket timeout, retried once', async (t) => {
  const { sink, config, store } = await setUp(t);
  addEdition(store, '2026-W10');
  // The first copy for s1 is stored and never answered.
  sink.hooks.data = (message, { attempt }) =>
    message.to[0] === 's1@example.org' && attempt === 1 ? new Promise(() => {}) : undefined;
  const log = memoryLog();
  const summary = await deliverThrough(store, config, '2026-W10', makeSubscribers(3), {
    log,
    smtpTimeouts: {
      connectionTimeoutMs: 5000,
      greetingTimeoutMs: 5000,
      socketTimeoutMs: 800,
      slowReplyWarningMs: 200,
    },
  });
  assert.equal(summary.sent, 3);
  const slow = log.lines.filter((line) => /no reply from the SMTP server/.test(line.message));
  assert.equal(slow.length, 1, JSON.stringify(log.lines));
  assert.equal(slow[0]?.fields.email, 's1@example.org');
  assert.match(slow[0]?.message ?? '', /socket timeout/);
  assert.equal(sink.dataAttempts('s1@example.org'), 2);
  assert.equal(ledgerRows(store, '2026-W10').get('s1@example.org')?.attempts, 2);
});

test('a non-ASCII domain goes out as punycode; a non-ASCII local part only to a server offering SMTPUTF8', async (t) => {
  const subscribers: Subscriber[] = [
    { email: 'ada@bücher.example', name: null, topics: [] },
    { email: 'jörg@example.org', name: null, topics: [] },
    { email: 'grace@example.org', name: null, topics: [] },
  ];
  const offering = await setUp(t);
  addEdition(offering.store, '2026-W10');
  const sent = await deliverThrough(offering.store, offering.config, '2026-W10', subscribers);
  assert.equal(sent.sent, 3);
  const commands = offering.sink.envelopeCommands;
  assert.ok(commands.includes('RCPT TO:<ada@xn--bcher-kva.example>'), commands.join('\n'));
  assert.ok(commands.includes('RCPT TO:<jörg@example.org>'), commands.join('\n'));
  assert.equal(offering.sink.receivedBy('jörg@example.org')[0]?.smtpUtf8, true);

  const plain = await setUp(t, {}, { smtpUtf8: false });
  addEdition(plain.store, '2026-W10');
  const refused = await deliverThrough(plain.store, plain.config, '2026-W10', subscribers);
  assert.equal(refused.sent, 2);
  assert.equal(refused.failed, 1);
  assert.equal(plain.sink.rcptAttempts('jörg@example.org'), 0, 'never handed to that server');
  const row = ledgerRows(plain.store, '2026-W10').get('jörg@example.org');
  assert.equal(row?.status, 'failed');
  assert.match(row?.error ?? '', /SMTPUTF8/);
  assert.equal(row?.enhancedCode, '5.6.7', 'not a "no such mailbox" bounce');
});

test('many non-ASCII local parts in a row to a server without SMTPUTF8 fail alone: no breaker, no bounce', async (t) => {
  const { config, store } = await setUp(t, {}, { smtpUtf8: false });
  addEdition(store, '2026-W10');
  addEdition(store, '2026-W11', '2026-W10');
  const subscribers = Array.from({ length: 12 }, (_, i) => ({
    email: `jörg${i}@example.org`,
    name: null,
    topics: [],
  }));
  for (const edition of ['2026-W10', '2026-W11']) {
    const summary = await deliverThrough(store, config, edition, subscribers);
    assert.equal(summary.halted, null);
    assert.equal(summary.failed, 12);
    assert.deepEqual(summary.bounceSuppressed, []);
  }
});
