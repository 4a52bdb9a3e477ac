// The send use cases: the whole flow (freeze → templates → render → deliver) with the
// real renderer and templates, against a real SMTP server or the outbox.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { simpleParser } from 'mailparser';
import type { AppContext } from '../../src/app/context.ts';
import { dryRunSend, type SendInput, sendEdition, sendExitCode, sendTestCopy } from '../../src/app/send.ts';
import { sendResultLines } from '../../src/cli/present/send.ts';
import type { Config } from '../../src/config/index.ts';
import { deliveryMessageId } from '../../src/deliver/message-id.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/index.ts';
import { acquireLease, SEND_LOCK } from '../../src/schedule/leases.ts';
import type { Store } from '../../src/store/index.ts';
import type { Subscriber } from '../../src/types.ts';
import {
  ledgerRows,
  makePapers,
  makeSubscribers,
  noDelay,
  tempDir,
  testConfig,
  testStore,
} from '../deliver/helpers.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

/** Monday and Thursday of ISO week 2026-W49, when the edition due is 2026-W48's, and the Monday after. */
const MONDAY = new Date('2026-11-30T08:00:00Z');
const THURSDAY = new Date('2026-12-03T08:00:00Z');
const NEXT_MONDAY = new Date('2026-12-07T08:00:00Z');

function writeList(dir: string, subscribers: Subscriber[]): string {
  const path = join(dir, 'subscribers.yaml');
  writeFileSync(
    path,
    `subscribers:\n${subscribers
      .map((s) => `  - email: ${s.email}\n    name: ${s.name ?? '~'}\n    topics: [${s.topics.join(', ')}]\n`)
      .join('')}`,
  );
  return path;
}

async function setUp(
  t: TestContext,
  subscribers: Subscriber[],
  options: { smtp?: boolean; env?: Record<string, string> } = {},
): Promise<{ dir: string; config: Config; store: Store; sink: SmtpSink | null }> {
  const dir = tempDir(t);
  writeList(dir, subscribers);
  const sink = options.smtp === false ? null : await startSmtpSink();
  if (sink) t.after(() => sink.close());
  const config = testConfig(dir, {
    SUBSCRIBERS_FILE: 'subscribers.yaml',
    TEMPLATES_DIR: DEFAULT_TEMPLATES_DIR,
    MAIL_FROM: 'Digest <digest@news.example.org>',
    ...(sink ? { SMTP_URL: sink.url } : {}),
    ...options.env,
  });
  const store = testStore(t, config);
  store.papers.upsert(makePapers(12), MONDAY);
  return { dir, config, store, sink };
}

/** The app context of a test: its store and config, the clock stopped at `now`. */
const at = (store: Store, config: Config, now = MONDAY): AppContext => ({
  store,
  config,
  clock: () => now,
  log: silentLogger,
});

const send = (store: Store, config: Config, options: SendInput & { now?: Date } = {}) =>
  sendEdition(at(store, config, options.now), { retryDelayMs: noDelay, ...options });

/** How many ledger rows the store holds, over every edition. */
const ledgerRowCount = (store: Store): number =>
  store.editions.summaries().reduce((sum, e) => sum + e.sent + e.failed + e.pending, 0);

test('a send freezes the week, renders per subscriber and delivers HTML + text with a visible unsubscribe link', async (t) => {
  const subscribers = makeSubscribers(4);
  const { store, config, sink } = await setUp(t, subscribers);
  const result = await send(store, config);
  assert.equal(result.kind, 'delivered');
  assert.ok(result.kind === 'delivered');
  assert.equal(result.edition.id, '2026-W48');
  assert.equal(result.edition.status, 'created');
  assert.equal(result.summary.sent, 4);
  assert.equal(sendExitCode(result), 0);
  assert.match(
    sendResultLines(result)[0] ?? '',
    /sent 4, skipped 0 \(suppressed or already sent\), failed 0, left to retry 0/,
  );
  for (const { email } of subscribers) {
    const [message] = sink!.receivedBy(email);
    assert.ok(message, email);
    assert.equal(message.messageId, deliveryMessageId('2026-W48', email, 'news.example.org'));
    const parsed = await simpleParser(message.raw);
    assert.ok(parsed.html && parsed.text);
    assert.match(String(parsed.html), /mailto:digest@news\.example\.org\?subject(=|&#x3D;)unsubscribe/);
    assert.ok(Buffer.byteLength(String(parsed.html)) < 100 * 1024);
  }

  const again = await send(store, config);
  assert.equal(again.kind, 'nothing');
  assert.equal(sendExitCode(again), 0);
  assert.match(sendResultLines(again)[0] ?? '', /^nothing to send: edition 2026-W48 is already delivered/);
});

test('--dry-run renders everything and writes nothing: no edition, no ledger row, no outbox file', async (t) => {
  const { store, config } = await setUp(t, makeSubscribers(5), { smtp: false });
  const result = await dryRunSend(at(store, config));
  assert.equal(result.kind, 'dry-run');
  assert.ok(result.kind === 'dry-run');
  assert.equal(result.recipients, 5);
  assert.equal(result.frozen, false);
  assert.ok(result.largestHtmlBytes > 1000);
  assert.match(sendResultLines(result).join('\n'), /largest HTML: \d+\.\d KB/);
  assert.equal(store.editions.summaries().length, 0);
  assert.equal(ledgerRowCount(store), 0);
  assert.equal(existsSync(config.outboxDir), false);
});

test('--to sends one [test] copy with its own Message-ID and leaves the ledger alone', async (t) => {
  const { store, config, sink } = await setUp(t, makeSubscribers(3));
  const result = await sendTestCopy(at(store, config), { to: 'Editor@example.org' });
  assert.equal(result.kind, 'test');
  assert.equal(sink!.accepted.length, 1);
  const [message] = sink!.receivedBy('editor@example.org');
  const parsed = await simpleParser(message!.raw);
  assert.match(parsed.subject ?? '', /^\[test\] /);
  assert.notEqual(
    message!.messageId,
    deliveryMessageId('2026-W48', 'editor@example.org', 'news.example.org'),
  );
  assert.equal(ledgerRowCount(store), 0);
});

test('with no papers there is nothing to send (exit 0)', async (t) => {
  const dir = tempDir(t);
  writeList(dir, makeSubscribers(2));
  const config = testConfig(dir, {
    SUBSCRIBERS_FILE: 'subscribers.yaml',
    TEMPLATES_DIR: DEFAULT_TEMPLATES_DIR,
  });
  const store = testStore(t, config);
  const result = await send(store, config);
  assert.equal(result.kind, 'nothing');
  assert.equal(sendExitCode(result), 0);
});

test('a newcomer gets the edition due at the next send, but never a past week’s', async (t) => {
  const { dir, store, config, sink } = await setUp(t, makeSubscribers(2));
  await send(store, config, { now: MONDAY });
  assert.equal(sink!.accepted.length, 2);

  writeList(dir, [...makeSubscribers(2), { email: 'thursday@example.org', name: null, topics: [] }]);
  const sameWeek = await send(store, config, { now: THURSDAY });
  assert.ok(sameWeek.kind === 'delivered');
  assert.equal(sameWeek.summary.sent, 1);
  assert.equal(sameWeek.summary.alreadySent, 2);
  assert.equal(sink!.receivedBy('thursday@example.org').length, 1);

  writeList(dir, [...makeSubscribers(2), { email: 'late@example.org', name: null, topics: [] }]);
  // Next week, nothing new: the past edition is not sent to the newcomer.
  const nextWeek = await send(store, config, { now: NEXT_MONDAY });
  assert.equal(nextWeek.kind, 'nothing');
  const pastWeek = await send(store, config, { now: NEXT_MONDAY, week: '2026-W48' });
  assert.equal(pastWeek.kind, 'nothing');
  assert.match(sendResultLines(pastWeek)[0] ?? '', /1 joined after its week/);
  assert.equal(sink!.receivedBy('late@example.org').length, 0);

  // A new edition next week reaches everyone, newcomer included.
  store.papers.upsert(
    makePapers(3, 'follow-up').map((p, i) => ({ ...p, id: `2612.0000${i}`, arxivId: `2612.0000${i}` })),
    NEXT_MONDAY,
  );
  const newEdition = await send(store, config, { now: NEXT_MONDAY });
  assert.ok(newEdition.kind === 'delivered');
  assert.equal(newEdition.edition.id, '2026-W49');
  assert.equal(newEdition.summary.sent, 3, 'the two first subscribers and late@ (thursday@ left the list)');
});

test('a stopped run of last week is resumed when this week has nothing new', async (t) => {
  const { store, config, sink } = await setUp(t, makeSubscribers(3));
  sink!.hooks.rcpt = () => ({ code: 421, message: '4.3.2 closing' });
  const first = await send(store, config, { now: MONDAY });
  assert.ok(first.kind === 'delivered');
  assert.equal(first.summary.leftToRetry, 3);
  assert.equal(sendExitCode(first), 1);
  assert.match(sendResultLines(first).join('\n'), /left to retry 3/);
  sink!.hooks.rcpt = undefined;

  const resumed = await send(store, config, { now: NEXT_MONDAY });
  assert.ok(resumed.kind === 'delivered');
  assert.equal(resumed.edition.status, 'resumed');
  assert.equal(resumed.summary.sent, 3);
});

test('more than 50 recipients asks first; no means nothing is sent or recorded', async (t) => {
  const { store, config, sink } = await setUp(t, makeSubscribers(51));
  const questions: string[] = [];
  const declined = await send(store, config, {
    confirm: async (question) => {
      questions.push(question);
      return false;
    },
  });
  assert.equal(declined.kind, 'declined');
  assert.equal(sendExitCode(declined), 1);
  assert.deepEqual(questions, ['Send edition 2026-W48 to 51 subscribers? [y/N] ']);
  assert.equal(sink!.accepted.length, 0);
  assert.equal(ledgerRows(store, '2026-W48').size, 0);
  assert.deepEqual(store.editions.summaries(), [], 'the question comes before the edition is frozen');

  const confirmed = await send(store, config, {
    yes: true,
    confirm: async () => assert.fail('--yes does not ask'),
  });
  assert.ok(confirmed.kind === 'delivered');
  assert.equal(confirmed.summary.sent, 51);
});

test('what is ingested while the question is open is what goes out: the emails show the edition as frozen', async (t) => {
  const { store, config, sink } = await setUp(t, makeSubscribers(51));
  const [top] = makePapers(1);
  const summary = 'A summary the source gained meanwhile.';
  const result = await send(store, config, {
    confirm: async () => {
      // A scheduled ingest refreshes the top paper meanwhile: same papers, same order, a summary gained.
      store.papers.upsert([{ ...top!, aiSummary: summary }], MONDAY);
      return true;
    },
  });
  assert.ok(result.kind === 'delivered');
  assert.equal(result.summary.sent, 51);
  assert.equal(store.editions.find('2026-W48')?.papers[0]?.paper.aiSummary, summary);
  const parsed = await simpleParser(sink!.accepted[0]!.raw);
  assert.match(String(parsed.text), new RegExp(summary));
});

test('the send lease is released after a send; a lease passed in stays held; without it a send refuses', async (t) => {
  const { store, config } = await setUp(t, makeSubscribers(2), { smtp: false });
  await send(store, config);
  assert.equal(store.leases.holder(SEND_LOCK), null);
  const lease = acquireLease(store.leases, SEND_LOCK, 'the weekly run');
  await send(store, config, { lease });
  assert.equal(store.leases.holder(SEND_LOCK)?.pid, process.pid, 'the weekly run still holds it');
  // Not re-entrant: the same process without the lease in hand is refused like any other.
  await assert.rejects(send(store, config), (error: unknown) => isPaperwireError(error, 'E_LOCKED'));
  lease.release();
  assert.equal(store.leases.holder(SEND_LOCK), null);
});

test('a new edition while an older one is still pending says how to finish the older one', async (t) => {
  const { store, config, sink } = await setUp(t, makeSubscribers(2));
  sink!.hooks.rcpt = () => ({ code: 421, message: '4.3.2 closing' });
  await send(store, config, { now: MONDAY });
  sink!.hooks.rcpt = undefined;
  store.papers.upsert(
    makePapers(2, 'next').map((p, i) => ({ ...p, id: `2612.0100${i}`, arxivId: `2612.0100${i}` })),
    NEXT_MONDAY,
  );
  const next = await send(store, config, { now: NEXT_MONDAY });
  assert.ok(next.kind === 'delivered');
  assert.equal(next.edition.id, '2026-W49');
  assert.deepEqual(next.otherPending, [{ editionId: '2026-W48', pending: 2 }]);
  assert.match(
    sendResultLines(next).join('\n'),
    /edition 2026-W48 still has 2 left to retry: paperwire send --week 2026-W48/,
  );
  const finish = await send(store, config, { now: NEXT_MONDAY, week: '2026-W48' });
  assert.ok(finish.kind === 'delivered');
  assert.equal(finish.summary.sent, 2);
});

test('an empty subscriber list stops the send before anything is frozen, recorded or written', async (t) => {
  const { store, config, dir } = await setUp(t, makeSubscribers(2), { smtp: false });
  writeFileSync(join(dir, 'subscribers.yaml'), 'subscribers: []\n');
  await assert.rejects(send(store, config), (error: unknown) => isPaperwireError(error, 'E_SUBSCRIBERS'));
  assert.equal(store.editions.summaries().length, 0);
  assert.equal(ledgerRowCount(store), 0);
  assert.equal(existsSync(config.outboxDir), false);
});

test('a sender the real send refuses fails the dry run too, and a bad DKIM key stops a send before the freeze', async (t) => {
  const { store, config, dir } = await setUp(t, makeSubscribers(2));
  // SMTP_URL without MAIL_FROM: a dry run said "would go to 2 subscribers via smtp" and exited 0.
  const noSender = { ...config, mailFrom: null };
  await assert.rejects(dryRunSend(at(store, noSender)), (error: unknown) =>
    isPaperwireError(error, 'E_CONFIG'),
  );
  const badKey = join(dir, 'dkim.pem');
  writeFileSync(badKey, 'not a key\n');
  const withBadKey = testConfig(dir, {
    SUBSCRIBERS_FILE: 'subscribers.yaml',
    MAIL_FROM: 'Digest <digest@news.example.org>',
    SMTP_URL: config.smtpUrl!,
    DKIM_DOMAIN: 'news.example.org',
    DKIM_SELECTOR: 'pw',
    DKIM_PRIVATE_KEY_FILE: badKey,
  });
  await assert.rejects(dryRunSend(at(store, withBadKey)), (error: unknown) =>
    isPaperwireError(error, 'E_CONFIG'),
  );
  await assert.rejects(send(store, withBadKey), (error: unknown) => isPaperwireError(error, 'E_CONFIG'));
  assert.equal(store.editions.summaries().length, 0, 'nothing frozen');
  assert.equal(ledgerRowCount(store), 0);
});

test('--to without SMTP writes one test copy to outbox/<edition>-test/ and leaves the ledger alone', async (t) => {
  const { store, config } = await setUp(t, makeSubscribers(3), { smtp: false });
  const result = await sendTestCopy(at(store, config), { to: 'editor@example.org' });
  assert.equal(result.kind, 'test');
  const files = readdirSync(join(config.outboxDir, '2026-W48-test'));
  assert.equal(files.length, 1);
  const parsed = await simpleParser(readFileSync(join(config.outboxDir, '2026-W48-test', files[0]!)));
  assert.match(parsed.subject ?? '', /^\[test\] /);
  assert.equal(parsed.to && 'text' in parsed.to ? parsed.to.text : '', 'editor@example.org');
  assert.equal(existsSync(join(config.outboxDir, '2026-W48')), false, 'no edition folder');
  assert.equal(ledgerRowCount(store), 0);
});

/** The list file of `subscribers` cut off after its first `keep` entries, as an editor caught mid-write leaves it. */
function writeListCutShort(dir: string, subscribers: Subscriber[], keep: number): void {
  const path = writeList(dir, subscribers);
  const text = readFileSync(path, 'utf8');
  const cut = text.indexOf(`  - email: ${subscribers[keep]!.email}`);
  // Half of the next entry's first line is there too.
  writeFileSync(path, text.slice(0, cut + 9));
}

test('a list read half-written keeps the missing pending rows pending; with the whole list again they get the edition', async (t) => {
  const everyone = makeSubscribers(300);
  const { dir, store, config, sink } = await setUp(t, everyone);
  // A first run admits all 300 and reaches nobody: the server is down.
  sink!.hooks.rcpt = () => ({ code: 421, message: '4.3.2 shutting down' });
  const first = await send(store, config, { yes: true });
  assert.ok(first.kind === 'delivered');
  assert.equal(first.summary.leftToRetry, 300);
  sink!.hooks.rcpt = undefined;

  writeListCutShort(dir, everyone, 295);
  const resumed = await send(store, config, { yes: true });
  assert.ok(resumed.kind === 'delivered');
  assert.equal(resumed.summary.sent, 295);
  assert.deepEqual(resumed.summary.orphans, { closedSuppressed: 0, closedLeft: 0, keptLeft: 5 });
  assert.equal(sendExitCode(resumed), 1, 'not finished: the operator has to look');
  assert.match(sendResultLines(resumed).join('\n'), /kept 5 pending rows of addresses no longer on the list/);
  assert.deepEqual(store.ledger.pendingEditions(), [{ editionId: '2026-W48', pending: 5 }]);

  writeList(dir, everyone);
  const whole = await send(store, config, { yes: true });
  assert.ok(whole.kind === 'delivered');
  assert.equal(whole.summary.sent, 5);
  assert.equal(sendExitCode(whole), 0);
  for (const subscriber of everyone) {
    assert.equal(sink!.receivedBy(subscriber.email).length, 1, `${subscriber.email} got it once`);
  }
});

test('up to 3 pending rows of addresses gone from the list are closed by a send; more only with dropRemoved', async (t) => {
  const everyone = makeSubscribers(10);
  const { dir, store, config, sink } = await setUp(t, everyone);
  sink!.hooks.rcpt = () => ({ code: 421, message: '4.3.2 shutting down' });
  await send(store, config);
  sink!.hooks.rcpt = undefined;

  // Two left and one unsubscribed: closed, and the summary says why.
  writeList(dir, everyone.slice(0, 8));
  store.suppressions.suppress(everyone[0]!.email, 'command', 'paperwire unsubscribe');
  const few = await send(store, config);
  assert.ok(few.kind === 'delivered');
  assert.deepEqual(few.summary.orphans, { closedSuppressed: 1, closedLeft: 2, keptLeft: 0 });
  assert.match(
    sendResultLines(few).join('\n'),
    /closed pending rows: 1 of addresses suppressed since, 2 of addresses no longer on the list/,
  );
  assert.equal(few.summary.sent, 7);
  assert.deepEqual(store.ledger.pendingEditions(), []);

  // Next week: everyone pending again, then five gone at once.
  const nextWeek = NEXT_MONDAY;
  store.papers.upsert(
    makePapers(3, 'follow-up').map((p, i) => ({ ...p, id: `2612.0000${i}`, arxivId: `2612.0000${i}` })),
    nextWeek,
  );
  writeList(dir, everyone);
  store.suppressions.lift(everyone[0]!.email);
  sink!.hooks.rcpt = () => ({ code: 421, message: '4.3.2 shutting down' });
  await send(store, config, { now: nextWeek });
  sink!.hooks.rcpt = undefined;
  writeList(dir, everyone.slice(0, 5));
  const many = await send(store, config, { now: nextWeek });
  assert.ok(many.kind === 'delivered');
  assert.equal(many.summary.orphans.keptLeft, 5);
  // The operator says they left: the rows are closed and the edition is finished.
  const dropped = await send(store, config, { now: nextWeek, dropRemoved: true });
  assert.equal(dropped.kind, 'nothing');
  assert.deepEqual(dropped.kind === 'nothing' && dropped.orphans, {
    closedSuppressed: 0,
    closedLeft: 5,
    keptLeft: 0,
  });
  assert.equal(sendExitCode(dropped), 0);
  assert.deepEqual(store.ledger.pendingEditions(), []);
  assert.equal(sink!.receivedBy(everyone[9]!.email).length, 0);
});
