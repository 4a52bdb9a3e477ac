import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { cleanEnv, runCli } from '../helpers/cli.ts';
import { paper, storePapers } from './helpers.ts';

function paperwire(cwd: string, args: string[]) {
  return runCli(args, { cwd, env: cleanEnv({ STATE_DIR: join(cwd, 'state') }) });
}

test('paperwire edition / editions: nothing new, created, rerun, listed', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));

  let result = await paperwire(cwd, ['edition', '--week', '2026-W48']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^nothing new: no papers stored yet/m);

  const store = openStore(join(cwd, 'state', 'paperwire.db'));
  storePapers(store, [paper('2611.00001', 3, 'Small paper'), paper('2611.00002', 40, 'Big paper')]);
  store.close();

  result = await paperwire(cwd, ['edition', '--week', '2026-W48']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^edition 2026-W48 created: 2 papers$/m);
  assert.match(result.stdout, /1\. ▲40 +Big paper\n.*2\. ▲3 +Small paper/);

  result = await paperwire(cwd, ['edition', '--week', '2026-W48']);
  assert.match(result.stdout, /^edition 2026-W48 exists \(created .*\): 2 papers$/m);

  result = await paperwire(cwd, ['edition', '--week', '2026-W49']);
  assert.equal(result.status, 0);
  assert.equal(result.stdout.trim(), 'nothing new since 2026-W48');

  result = await paperwire(cwd, ['editions']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^2026-W48 {2}created \S+ {2}2 papers {2}sent 0 {2}failed 0 {2}pending 0$/m);
});

test('paperwire edition --week with a malformed week is a usage error (exit 2)', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const result = await paperwire(cwd, ['edition', '--week', 'next-week']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^paperwire: --week "next-week" is not an ISO week/m);
  assert.match(result.stderr, /hint: Write the week as YYYY-Www/);
});
