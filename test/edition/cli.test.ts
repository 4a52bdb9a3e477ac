import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { freezeEdition } from '../../src/edition/index.ts';
import type { Store } from '../../src/store/index.ts';
import { cleanEnv, runCli } from '../helpers/cli.ts';
import { withStore } from '../helpers/store.ts';
import { tempDir } from '../helpers/temp.ts';
import { dated, paper, storePapers } from './helpers.ts';

const MONDAY_W49 = new Date('2026-11-30T08:00:00Z');

function paperwire(cwd: string, args: string[], now = MONDAY_W49, env: Record<string, string> = {}) {
  return runCli(args, {
    cwd,
    env: cleanEnv({
      STATE_DIR: join(cwd, 'state'),
      SUBSCRIBERS_FILE: join(cwd, 'subscribers.yaml'),
      SCHEDULE_TZ: 'UTC',
      ...env,
    }),
    clock: () => now,
  });
}

/** A look at the store the CLI runs above use. */
const inStore = <T>(cwd: string, read: (store: Store) => T): T =>
  withStore(join(cwd, 'state', 'paperwire.db'), read);

test('paperwire edition shows what the due week would hold, --freeze makes it, editions lists it', async (t) => {
  const cwd = tempDir(t);
  let result = await paperwire(cwd, ['edition']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^edition 2026-W48 \(2026-11-23 – 2026-11-29\): nothing to put in it/m);

  inStore(cwd, (store) =>
    storePapers(store, [
      dated('2611.00001', 3, '2026-11-24', 'Small paper'),
      dated('2611.00002', 40, '2026-11-27', 'Big paper'),
      dated('2612.00003', 99, '2026-12-01', 'Next week paper'),
    ]),
  );
  // On Monday of week 49 the edition due is week 48's: shown, not frozen.
  result = await paperwire(cwd, ['edition']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout,
    /^edition 2026-W48 \(2026-11-23 – 2026-11-29\) is not frozen yet; it would hold 2 papers now/m,
  );
  assert.match(result.stdout, /1\. ▲40 +Big paper\n.*2\. ▲3 +Small paper/);
  assert.equal(
    inStore(cwd, (store) => store.editions.summaries().length),
    0,
    'showing writes nothing',
  );

  result = await paperwire(cwd, ['edition', '--freeze']);
  assert.match(result.stdout, /^edition 2026-W48 \(2026-11-23 – 2026-11-29\) created: 2 papers$/m);
  result = await paperwire(cwd, ['edition', '--week', '2026-W48', '--freeze']);
  assert.match(result.stdout, /^edition 2026-W48 \(.*\) exists \(created .*\): 2 papers$/m);

  result = await paperwire(cwd, ['editions']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout,
    /^2026-W48 \(2026-11-23 – 2026-11-29\) {2}created \S+ {2}2 papers {2}sent 0 {2}failed 0 {2}pending 0$/m,
  );
});

test('edition --json and editions --json print the edition and the list', async (t) => {
  const cwd = tempDir(t);
  inStore(cwd, (store) =>
    storePapers(store, [
      dated('2611.00001', 3, '2026-11-24', 'Small'),
      dated('2611.00002', 40, '2026-11-27', 'Big'),
    ]),
  );
  const shown = JSON.parse((await paperwire(cwd, ['edition', '--week', '2026-W48', '--json'])).stdout);
  assert.deepEqual(shown, {
    id: '2026-W48',
    from: '2026-11-23',
    to: '2026-11-29',
    frozen: false,
    createdAt: null,
    papers: [
      { rank: 1, id: '2611.00002', arxivId: '2611.00002', title: 'Big', upvotes: 40 },
      { rank: 2, id: '2611.00001', arxivId: '2611.00001', title: 'Small', upvotes: 3 },
    ],
  });
  await paperwire(cwd, ['edition', '--freeze']);
  const frozen = JSON.parse((await paperwire(cwd, ['edition', '--json'])).stdout);
  assert.equal(frozen.frozen, true);
  assert.equal(frozen.createdAt, MONDAY_W49.toISOString());
  assert.deepEqual(frozen.papers, shown.papers);
  const list = JSON.parse((await paperwire(cwd, ['editions', '--json'])).stdout);
  assert.deepEqual(list, [
    {
      id: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: MONDAY_W49.toISOString(),
      papers: 2,
      sent: 0,
      failed: 0,
      pending: 0,
    },
  ]);
  const empty = JSON.parse((await paperwire(cwd, ['edition', '--week', '2026-W40', '--json'])).stdout);
  assert.deepEqual(empty.papers, []);
});

test('a week more than one ahead is refused; it no longer blocks every later send', async (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'subscribers.yaml'), 'subscribers:\n  - ada@example.org\n');
  inStore(cwd, (store) => storePapers(store, [paper('2611.00001', 3)]));
  // Today (issue 10): `edition --week 2030-W01` froze an edition years ahead, and every later run exited 2.
  const ahead = await paperwire(cwd, ['edition', '--week', '2030-W01']);
  assert.equal(ahead.status, 2, ahead.stdout);
  assert.match(ahead.stderr, /--week 2030-W01 is in the future/);
  assert.match(ahead.stderr, /hint: .*up to 2026-W50/);
  for (const args of [
    ['send', '--week', '2026-W51', '--dry-run'],
    ['run', '--week', '2027-W01'],
    ['preview', '--week', '2026-W51'],
  ]) {
    const refused = await paperwire(cwd, args);
    assert.equal(refused.status, 2, `${args.join(' ')}: ${refused.stdout}${refused.stderr}`);
  }
  // Next week is allowed (a Sunday-evening check of what Monday will send).
  assert.equal((await paperwire(cwd, ['edition', '--week', '2026-W50'])).status, 0);
  const sent = await paperwire(cwd, ['send', '--yes']);
  assert.equal(sent.status, 0, sent.stderr);
  assert.match(sent.stdout, /2026-W48/);
});

test('an edition made with the clock ahead is listed by status, blocks nothing, and edition --delete removes it', async (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'subscribers.yaml'), 'subscribers:\n  - ada@example.org\n');
  inStore(cwd, (store) => {
    storePapers(store, [paper('2611.00001', 3)]);
    // As an older paperwire (or a clock set to 2030) made it.
    freezeEdition(store, '2030-W01', new Date('2030-01-01T08:00:00Z'));
    storePapers(store, [paper('2611.00002', 5)]);
  });
  const status = await paperwire(cwd, ['status']);
  assert.match(status.stdout, /^future edition: 2030-W01 is more than a week ahead/m);
  // The undated paper stored since still goes to the edition due now.
  const shown = JSON.parse((await paperwire(cwd, ['edition', '--json'])).stdout);
  assert.deepEqual(
    shown.papers.map((p: { id: string }) => p.id),
    ['2611.00002'],
  );
  const deleted = await paperwire(cwd, ['edition', '--delete', '2030-W01']);
  assert.equal(deleted.status, 0, deleted.stderr);
  assert.match(deleted.stdout, /^deleted edition 2030-W01: its 1 papers wait for an edition again$/m);
  assert.equal(
    inStore(cwd, (store) => store.editions.find('2030-W01')),
    null,
  );
  const again = await paperwire(cwd, ['edition', '--delete', '2030-W01']);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /there is no edition 2030-W01/);
  const both = JSON.parse((await paperwire(cwd, ['edition', '--json'])).stdout);
  assert.equal(both.papers.length, 2, 'its paper waits for the next edition again');
});

test('edition --delete is refused, with the counts, once a message of it went out', async (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'subscribers.yaml'), 'subscribers:\n  - ada@example.org\n  - bob@example.org\n');
  inStore(cwd, (store) => storePapers(store, [dated('2611.00001', 3, '2026-11-24')]));
  const sent = await paperwire(cwd, ['send', '--yes']);
  assert.equal(sent.status, 0, sent.stderr);
  const refused = await paperwire(cwd, ['edition', '--delete', '2026-W48']);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /^paperwire: edition 2026-W48 went out \(2 sent of 2\): it is not deleted$/m);
  assert.ok(inStore(cwd, (store) => store.editions.find('2026-W48')));
  const mixed = await paperwire(cwd, ['edition', '--delete', '2026-W48', '--week', '2026-W48']);
  assert.equal(mixed.status, 2);
});

test('paperwire edition --week with a malformed week is a usage error (exit 2)', async (t) => {
  const cwd = tempDir(t);
  const result = await paperwire(cwd, ['edition', '--week', 'next-week']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^paperwire: --week "next-week" is not an ISO week/m);
  assert.match(result.stderr, /hint: Write the week as YYYY-Www/);
});
