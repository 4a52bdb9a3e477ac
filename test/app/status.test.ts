import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { clearLocks, collectStatus, listLocks } from '../../src/app/status.ts';
import { formatStatus } from '../../src/cli/present/status.ts';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { freezeEdition } from '../../src/edition/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { Paper } from '../../src/types.ts';
import { runCli } from '../helpers/cli.ts';
import { testStore } from '../helpers/store.ts';
import { tempDir } from '../helpers/temp.ts';

function paper(n: number): Paper {
  return {
    id: `2611.0000${n}`,
    arxivId: `2611.0000${n}`,
    title: `Paper number ${n}`,
    abstract: 'An abstract.',
    authors: ['A. Author'],
    links: {},
    upvotes: n,
    keywords: [],
    aiSummary: null,
    publishedAt: null,
    source: 'paperwire-json',
    origin: 'test',
  };
}

/** Leaves lock `name` held by (`pid`, `host`), as that process would through its own store. */
function addLock(store: Store, name: string, pid: number, host: string): void {
  const other = openStore(store.path, { holder: { pid, host } });
  try {
    assert.ok('lease' in other.leases.tryAcquire(name), `${name} taken as pid ${pid} on ${host}`);
  } finally {
    other.close();
  }
}

/** The status of `config`, reading its store when there is one. */
function statusOf(config: Config, store: Store | null = null) {
  return collectStatus(config, store, new Date());
}

test('status on a fresh state directory reports the schedule and creates no database', async (t) => {
  const dir = tempDir(t);
  const config = loadConfig({ SCHEDULE: '0 9 * * 2', SCHEDULE_TZ: 'Europe/Berlin' }, dir);
  const report = statusOf(config);
  assert.equal(report.schedule.timezone, 'Europe/Berlin');
  assert.match(report.schedule.nextRunLocal ?? '', /^Tue .* 09:00:00 Europe\/Berlin$/);
  assert.ok(Date.parse(report.schedule.nextRun ?? '') > Date.now());
  assert.equal(report.database.exists, false);
  assert.equal(existsSync(config.dbPath), false);
});

test('status reports the last edition with ledger counts, suppressions, last run, last error and locks', async (t) => {
  const dir = tempDir(t);
  const config = loadConfig({}, dir);
  const store = testStore(t, config);
  store.papers.upsert([paper(1), paper(2)], new Date('2026-11-23T09:00:00Z'));
  const frozen = freezeEdition(store, '2026-W48', new Date('2026-11-23T10:00:00Z'));
  assert.equal(frozen.status, 'created');
  const { ledger } = store;
  ledger.admit('2026-W48', [
    { email: 'a@example.org', messageId: 'a' },
    { email: 'b@example.org', messageId: 'b' },
    { email: 'c@example.org', messageId: 'c' },
  ]);
  ledger.recordSent('2026-W48', 'a@example.org', '250 ok');
  ledger.recordFailed('2026-W48', 'b@example.org', {
    reason: '550 no',
    smtpCode: 550,
    enhancedCode: '5.1.1',
  });
  store.suppressions.suppress('gone@example.org', 'command', 'asked');
  const failed = store.runs.start('scheduled');
  store.runs.finish(failed, { status: 'failed', error: 'SMTP server down' });
  const ok = store.runs.start('run');
  store.runs.finish(ok, {
    status: 'problems',
    editionId: '2026-W48',
    summary: { sent: 1, skipped: 0, failed: 1, pending: 1 },
  });
  addLock(store, 'send', 4242, 'elsewhere.example.org');

  const report = statusOf(config, store);
  assert.deepEqual(
    { ...report.lastEdition, createdAt: undefined },
    { id: '2026-W48', createdAt: undefined, papers: 2, sent: 1, failed: 1, pending: 1 },
  );
  assert.equal(report.suppressed, 1);
  assert.equal(report.lastRun?.id, ok);
  assert.equal(report.lastError?.runId, failed);
  assert.equal(report.lastError?.error, 'SMTP server down');
  assert.deepEqual(
    report.locks.map((lock) => [lock.name, lock.remote]),
    [['send', true]],
  );
  const text = formatStatus(report, dir).join('\n');
  assert.match(text, /last edition: 2026-W48 .*1 sent, 1 failed, 1 pending/);
  assert.match(text, /last error: SMTP server down/);
  assert.match(text, /lock: send held by pid 4242 on elsewhere\.example\.org/);
});

test('--clear-lock removes a lock from another host or a dead process, never a live local one', async (t) => {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'paperwire.db'));
  t.after(() => store.close());
  addLock(store, 'send', 4242, 'elsewhere.example.org');
  addLock(store, 'cycle', 1, hostname()); // pid 1 is alive
  assert.throws(
    () => clearLocks(store),
    (error: unknown) => isPaperwireError(error, 'E_LOCKED'),
  );
  assert.equal(listLocks(store).length, 2, 'nothing removed when one lock is live');
  assert.deepEqual(
    clearLocks(store, 'send').map((lock) => lock.name),
    ['send'],
  );
  // The cycle's holder dies (a pid far beyond pid_max stands for it).
  const cycle = store.leases.holder('cycle');
  assert.ok(cycle);
  store.leases.remove(cycle);
  addLock(store, 'cycle', 99999999, hostname());
  assert.equal(listLocks(store)[0]?.alive, false);
  assert.equal(clearLocks(store).length, 1);
  assert.equal(listLocks(store).length, 0);
});

test('paperwire status --json prints one object; an invalid SCHEDULE shows and exits 2', async (t) => {
  const dir = tempDir(t);
  const env = { PATH: process.env.PATH ?? '', STATE_DIR: join(dir, 'var') };
  const ok = await runCli(['status', '--json'], { cwd: dir, env });
  assert.equal(ok.status, 0, ok.stderr);
  const report = JSON.parse(ok.stdout);
  assert.equal(report.schedule.expression, '0 8 * * 1');
  assert.equal(report.database.exists, false);
  const bad = await runCli(['status'], { cwd: dir, env: { ...env, SCHEDULE: '0 8 * *' } });
  assert.equal(bad.status, 2);
  assert.match(bad.stdout, /schedule: 0 8 \* \* — invalid: SCHEDULE=/);
});

test('status lists the deliverability gaps of an SMTP setup, and none for the local outbox', async (t) => {
  const dir = tempDir(t);
  const outbox = statusOf(loadConfig({}, dir));
  assert.deepEqual(outbox.deliverability, []);
  const smtp = statusOf(
    loadConfig({ SMTP_URL: 'smtp://relay.example.org:587', MAIL_FROM: 'papers@example.org' }, dir),
  );
  assert.equal(smtp.deliverability.length, 3, 'no one-click URL, no DKIM, no postal address');
  const lines = formatStatus(smtp, dir).filter((line) => line.startsWith('deliverability: '));
  assert.equal(lines.length, 3);
  assert.ok(lines.some((line) => line.includes('PUBLIC_URL')));
  assert.ok(lines.some((line) => line.includes('DKIM')));
  assert.ok(lines.some((line) => line.includes('POSTAL_ADDRESS')));
});

test('status shows the newsletter: its name, List-Id, postal address and archive', async (t) => {
  const dir = tempDir(t);
  const env = {
    STATE_DIR: join(dir, 'var'),
    LIST_NAME: 'Lab Weekly',
    MAIL_FROM: 'Lab <papers@lab.example.org>',
    POSTAL_ADDRESS: 'Example Lab, 1 Main Street, Springfield',
    PUBLIC_URL: 'https://papers.example.org',
    UNSUBSCRIBE_SECRET: 'a-secret-of-enough-length',
  };
  const shown = await runCli(['status'], { cwd: dir, env });
  assert.equal(shown.status, 0, shown.stderr);
  assert.match(
    shown.stdout,
    /^newsletter: Lab Weekly \(List-Id weekly\.lab\.example\.org\), postal address "Example Lab, 1 Main Street, Springfield"$/m,
  );
  assert.match(
    shown.stdout,
    /^archive: https:\/\/papers\.example\.org\/archive \(written to var\/archive\)$/m,
  );
  const json = JSON.parse((await runCli(['status', '--json'], { cwd: dir, env })).stdout);
  assert.deepEqual(json.newsletter, {
    name: 'Lab Weekly',
    listId: 'weekly.lab.example.org',
    postalAddress: 'Example Lab, 1 Main Street, Springfield',
    archiveUrl: 'https://papers.example.org/archive',
    archiveDir: join(dir, 'var', 'archive'),
  });
  const plain = await runCli(['status'], { cwd: dir, env: { STATE_DIR: join(dir, 'var') } });
  assert.match(
    plain.stdout,
    /^newsletter: paperwire \(List-Id weekly\.paperwire\.invalid\), postal address not set$/m,
  );
  assert.match(plain.stdout, /^archive: written to var\/archive; no ARCHIVE_URL or PUBLIC_URL/m);
});
