import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AppContext } from '../../src/app/context.ts';
import { cycleSources, resumeEdition, runCycle } from '../../src/app/cycle.ts';
import { collectStatus } from '../../src/app/status.ts';
import { cycleLines } from '../../src/cli/present/run.ts';
import { formatStatus } from '../../src/cli/present/status.ts';
import type { Config } from '../../src/config/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import type { Logger } from '../../src/log.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { listenLocal } from '../helpers/net.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { testStore } from '../helpers/store.ts';
import { addEntries, memoryLog, workspace } from '../schedule/helpers.ts';

/** The app context of a cycle run at `now`. */
const at = (store: Store, config: Config, log: Logger, now: Date): AppContext => ({
  store,
  config,
  log,
  clock: () => now,
});

const MONDAY = new Date('2026-11-30T09:00:00Z'); // 2026-W49: the edition due is 2026-W48's

test('a cycle ingests, freezes and delivers; the next one says nothing new and sends nothing', async (t) => {
  const ws = workspace(t, 3);
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  addEntries(ws.inbox, 4);
  const config = ws.config({ SMTP_URL: sink.url, MAIL_FROM: 'news@example.org' });
  const store = testStore(t, config);
  const log = memoryLog();

  const first = await runCycle(at(store, config, log, MONDAY));
  assert.equal(first.exitCode, 0);
  assert.equal(first.status, 'ok');
  assert.equal(first.editionId, '2026-W48');
  assert.equal(first.sent, 3);
  assert.equal(first.ingest?.totals.new, 4);
  assert.deepEqual([...sink.countsByRecipient().values()], [1, 1, 1]);
  const finished = log.lines.find((line) => line.message === 'run finished');
  assert.equal(finished?.fields.edition, '2026-W48');
  assert.equal(finished?.fields.sent, 3);
  assert.equal(typeof finished?.fields.durationMs, 'number');
  assert.equal(store.runs.get(first.runId)?.status, 'ok');

  const second = await runCycle(at(store, config, log, new Date('2026-12-01T09:00:00Z')));
  assert.equal(second.exitCode, 0);
  assert.equal(second.sent, 0);
  assert.equal(second.headline, 'nothing sent: edition 2026-W48 is already delivered: 3 sent, 0 suppressed');
  assert.equal(sink.accepted.length, 3, 'nothing sent twice');
  assert.equal(store.leases.holder('cycle'), null, 'the cycle lock is released');
  assert.equal(store.leases.holder('send'), null, 'the send lock is released');
});

test('without SMTP_URL the messages land in the outbox and run prints where, with a preview', async (t) => {
  const ws = workspace(t, 2);
  addEntries(ws.inbox, 2);
  const config = ws.config();
  const store = testStore(t, config);
  const summary = await runCycle(at(store, config, memoryLog(), MONDAY), { preview: true });
  assert.deepEqual(summary.outbox, { dir: join(ws.stateDir, 'outbox', '2026-W48'), files: 2 });
  assert.ok(summary.preview?.htmlPath.startsWith(join(ws.stateDir, 'preview')));
  const lines = cycleLines(summary);
  assert.ok(
    lines.includes(`outbox: ${join(ws.stateDir, 'outbox', '2026-W48')} (2 .eml files)`),
    lines.join('\n'),
  );
  assert.ok(lines.some((line) => line === `preview: ${summary.preview?.htmlPath}`));
});

test('one unreachable URL is reported and the run goes on; every source failing makes no edition and exit 1', async (t) => {
  const ws = workspace(t, 2);
  const server = createServer((_request, response) => {
    response.writeHead(404).end('not here');
  });
  const deadUrl = `${(await listenLocal(server, t)).url}/api/daily_papers`;

  addEntries(ws.inbox, 2);
  const config = ws.config({ SOURCE_URLS: deadUrl, FETCH_MAX_ATTEMPTS: '1' });
  const store = testStore(t, config);
  const log = memoryLog();
  const partly = await runCycle(at(store, config, log, MONDAY));
  assert.equal(partly.ingest?.failedSources, 1);
  assert.equal(partly.sent, 2, 'the inbox was still ingested and delivered');
  assert.equal(partly.exitCode, 1, 'a failed source is a problem, even when the rest was delivered');
  assert.ok(log.lines.some((line) => line.level === 'warn' && line.message.startsWith('source failed')));
  assert.match(store.runs.get(partly.runId)?.error ?? '', /1 of 2 sources failed/);

  // Next week only the URL is configured, and it still fails: no edition, exit 1.
  const urlOnly = ws.config({
    SOURCE_URLS: deadUrl,
    FETCH_MAX_ATTEMPTS: '1',
    INBOX_DIR: join(ws.dir, 'absent'),
  });
  assert.deepEqual(cycleSources(urlOnly), [deadUrl], 'a missing inbox is left out when URLs exist');
  const failed = await runCycle(at(store, urlOnly, log, new Date('2026-12-07T09:00:00Z')));
  assert.equal(failed.exitCode, 1);
  assert.equal(failed.send, null);
  assert.equal(failed.editionId, null);
  assert.deepEqual(
    store.editions.summaries().map((edition) => edition.id),
    ['2026-W48'],
    'no edition for 2026-W49',
  );
  assert.match(failed.headline, /every source failed/);
});

test('a missing inbox with no URLs is reported as a failed source: no edition, exit 1', async (t) => {
  const ws = workspace(t, 1);
  const config = ws.config({ INBOX_DIR: join(ws.dir, 'absent') });
  assert.deepEqual(cycleSources(config), [join(ws.dir, 'absent')]);
  const store = testStore(t, config);
  const summary = await runCycle(at(store, config, memoryLog(), MONDAY));
  assert.equal(summary.ingest?.failedSources, 1);
  assert.match(summary.ingest?.sources[0]?.problem?.message ?? '', /absent/);
  assert.equal(summary.editionId, null);
  assert.equal(summary.exitCode, 1);
  assert.deepEqual(store.editions.summaries(), []);
});

test('a cycle refuses while another live process holds the lock, and waits for it when asked', async (t) => {
  const ws = workspace(t, 1);
  addEntries(ws.inbox, 1);
  const config = ws.config();
  const store = testStore(t, config);
  // pid 1 is alive on this host: a live holder, taking the lease through its own store.
  const other = openStore(config.dbPath, { holder: { pid: 1, host: hostname() } });
  t.after(() => other.close());
  const held = other.leases.tryAcquire('send');
  assert.ok('lease' in held);
  await assert.rejects(runCycle(at(store, config, memoryLog(), MONDAY)), (error: unknown) =>
    isPaperwireError(error, 'E_LOCKED'),
  );
  assert.equal(store.runs.last(), null, 'a refused cycle records no run');
  assert.equal(store.leases.holder('cycle'), null, 'and leaves no cycle lock behind');

  setTimeout(() => held.lease.release(), 400);
  const log = memoryLog();
  const waited = await runCycle(at(store, config, log, MONDAY), { lockWaitMs: 10_000 });
  assert.equal(waited.sent, 1);
  assert.ok(log.lines.some((line) => line.message.startsWith('waiting for')));
});

test('resumeEdition finishes an edition whose delivery stopped, sending nobody twice', async (t) => {
  const ws = workspace(t, 6);
  const sink = await startSmtpSink({ acceptDelayMs: 150 });
  t.after(() => sink.close());
  addEntries(ws.inbox, 2);
  const config = ws.config({ SMTP_URL: sink.url, MAIL_FROM: 'news@example.org', SMTP_MAX_CONNECTIONS: '1' });
  const store = testStore(t, config);
  const controller = new AbortController();
  sink.waitForAccepted(2).then(() => controller.abort());
  const stopped = await runCycle(at(store, config, memoryLog(), MONDAY), { signal: controller.signal });
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.exitCode, 1);
  assert.ok(stopped.pending > 0, 'some left pending');
  const pending = store.ledger.counts('2026-W48').pending;
  assert.equal(pending, stopped.pending);

  const resumed = await resumeEdition(
    at(store, config, memoryLog(), new Date('2026-12-08T09:00:00Z')),
    '2026-W48',
  );
  assert.equal(resumed.kind, 'resume');
  assert.equal(resumed.sent, pending);
  assert.equal(store.ledger.counts('2026-W48').pending, 0);
  for (const email of ws.emails) assert.equal(sink.receivedBy(email).length, 1, email);
});

test('papers of a week whose edition is not due yet wait, and the run, its log and status say so', async (t) => {
  const ws = workspace(t, 2);
  addEntries(ws.inbox, 2);
  const config = ws.config();
  const store = testStore(t, config);
  await runCycle(at(store, config, memoryLog(), MONDAY));
  // Wednesday of week 49: two papers of week 49 come in. Today: "nothing new since 2026-W48".
  writeFileSync(
    join(ws.inbox, 'w49.json'),
    JSON.stringify({
      format: 'paperwire-entries/1',
      papers: [1, 2].map((i) => ({
        id: `2612.0000${i}`,
        title: `A paper of week 49, number ${i}`,
        abstract: 'An abstract.',
        authors: ['A. Author'],
        publishedAt: '2026-12-02',
      })),
    }),
  );
  const log = memoryLog();
  const wednesday = await runCycle(at(store, config, log, new Date('2026-12-02T09:00:00Z')));
  assert.equal(wednesday.sent, 0);
  assert.deepEqual(wednesday.backlog?.waiting, [{ week: '2026-W49', papers: 2 }]);
  assert.ok(
    cycleLines(wednesday).includes('waiting: 2 papers of 2026-W49, for its edition once that week is over'),
    cycleLines(wednesday).join('\n'),
  );
  assert.ok(
    log.lines.some(
      (line) => line.message === '2 papers of 2026-W49 wait for its edition, due when that week is over',
    ),
  );
  const status = formatStatus(collectStatus(config, store, new Date('2026-12-02T09:00:00Z')), ws.dir);
  assert.ok(status.includes('edition due now: 2026-W48 (2026-11-23 – 2026-11-29), made'), status.join('\n'));
  assert.ok(status.includes('waiting: 2 papers of 2026-W49, for its edition once that week is over'));
  // Their week's edition takes them, on the Monday after it.
  const next = await runCycle(at(store, config, memoryLog(), new Date('2026-12-07T09:00:00Z')));
  assert.equal(next.editionId, '2026-W49');
  assert.equal(next.sent, 2);
  assert.deepEqual(next.backlog?.waiting, []);
});
