// The main job from a fresh clone (`npm start` twice) and a bad schedule at start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPaperwire } from '../helpers/cli.ts';
import { repoRoot, workspace } from './helpers.ts';

test('npm start twice in a fresh state directory: the first delivers to the outbox, the second sends nothing', (t) => {
  const inbox = join(repoRoot, 'data', 'inbox');
  const samples = existsSync(inbox) ? readdirSync(inbox).filter((name) => !name.startsWith('.')) : [];
  assert.ok(samples.length > 0, 'data/inbox holds the bundled sample entries');
  const stateDir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const env = { PATH: process.env.PATH ?? '', STATE_DIR: stateDir };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

  const first = spawnSync(npm, ['start', '--silent'], { cwd: repoRoot, env, encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  const outbox = /^outbox: (.+) \((\d+) \.eml files?\)$/m.exec(first.stdout);
  assert.ok(outbox, first.stdout);
  assert.ok(Number(outbox[2]) > 0);
  const emlDir = join(stateDir, 'outbox', readdirSync(join(stateDir, 'outbox'))[0]!);
  assert.equal(readdirSync(emlDir).filter((name) => name.endsWith('.eml')).length, Number(outbox[2]));
  const preview = /^preview: (.+\.html)$/m.exec(first.stdout);
  assert.ok(preview && existsSync(preview[1]!), first.stdout);

  const second = spawnSync(npm, ['start', '--silent'], { cwd: repoRoot, env, encoding: 'utf8' });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /^nothing new since \d{4}-W\d\d: nothing sent$/m);
  assert.equal(readdirSync(emlDir).filter((name) => name.endsWith('.eml')).length, Number(outbox[2]));
});

test('an invalid SCHEDULE or SCHEDULE_TZ: schedule exits 2 at start naming the variable', (t) => {
  const ws = workspace(t, 1);
  for (const [name, value] of [
    ['SCHEDULE', '0 8 * *'],
    ['SCHEDULE', '0 8 * * 8'],
    ['SCHEDULE_TZ', 'Mars/Olympus'],
  ] as const) {
    const result = runPaperwire(['schedule'], { cwd: ws.dir, env: ws.env({ [name]: value }) });
    assert.equal(result.status, 2, `${name}=${value}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^paperwire: ${name}=`, 'm'));
    assert.match(result.stderr, /hint:/);
  }
});
