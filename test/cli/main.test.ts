import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli.ts';

async function paperwire(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'paperwire-'));
  const result = await runCli(args, { cwd, env: cleanEnv(options.env) });
  if (!options.cwd) rmSync(cwd, { recursive: true, force: true });
  return result;
}

test('--help lists every command and exits 0', async () => {
  const result = await paperwire(['--help']);
  assert.equal(result.status, 0);
  for (const command of [
    'ingest',
    'papers',
    'edition',
    'preview',
    'subscribers',
    'send',
    'serve',
    'mailbox',
    'run',
    'schedule',
    'status',
  ]) {
    assert.match(result.stdout, new RegExp(`^  ${command}\\b`, 'm'), `--help lists ${command}`);
  }
});

test('an unknown command is a usage error: exit 2 with a pointer to --help', async () => {
  const result = await paperwire(['frobnicate']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command 'frobnicate'/);
  assert.match(result.stderr, /paperwire --help/);
});

test('a bad setting in .env is a configuration error: exit 2, one line plus a hint', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  writeFileSync(join(cwd, '.env'), 'MAX_PAPERS=lots\n');
  const result = await paperwire(['status'], { cwd });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^paperwire: MAX_PAPERS="lots" is not a whole number/m);
  assert.match(result.stderr, /^ {2}hint: /m);
});

test('.env fills in settings, and the environment wins over it', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  writeFileSync(join(cwd, '.env'), 'SCHEDULE="0 9 * * 2"\nSCHEDULE_TZ=Europe/Berlin\n');
  const fromFile = await paperwire(['status'], { cwd });
  assert.equal(fromFile.status, 0, fromFile.stderr);
  assert.match(fromFile.stdout, /^schedule: 0 9 \* \* 2 \(Europe\/Berlin\)/m);
  const fromEnv = await paperwire(['status'], { cwd, env: { SCHEDULE: '30 7 * * 5' } });
  assert.equal(fromEnv.status, 0, fromEnv.stderr);
  assert.match(fromEnv.stdout, /^schedule: 30 7 \* \* 5 \(Europe\/Berlin\)/m);
});

test('status --clear-lock with a name that is no lock is a usage error naming the locks', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const result = await paperwire(['status', '--clear-lock', 'schedule'], { cwd });
  assert.equal(result.status, 2, result.stdout);
  assert.match(result.stderr, /^paperwire: --clear-lock "schedule"/m);
  assert.match(result.stderr, /^ {2}hint: .*scheduler/m);
  assert.doesNotMatch(result.stdout, /no lock to clear/);
});

test('status --clear-lock where no database is yet clears nothing and creates none', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  const result = await paperwire(['status', '--clear-lock'], { cwd });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^no lock to clear$/m);
  assert.equal(existsSync(join(cwd, 'var')), false, 'no state folder made');
});
