// The main job from a fresh clone (`npm start` twice) and a bad schedule at start.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';
import { repoRoot, workspace } from './helpers.ts';

/**
 * A copy of the project as a fresh clone has it (the files git tracks, the installed
 * node_modules linked in): no developer's .env, var/ or dist/ comes along, so nothing
 * run in it can mail anyone.
 */
function freshClone(t: { after(fn: () => void): void }): string {
  const dir = join(tempDir(t), 'paperwire');
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0');
  for (const file of files.filter(Boolean)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(dir, file));
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

test('npm start twice in a fresh clone: the first delivers to the outbox, the second sends nothing', (t) => {
  const clone = freshClone(t);
  const inbox = join(clone, 'data', 'inbox');
  const samples = existsSync(inbox) ? readdirSync(inbox).filter((name) => !name.startsWith('.')) : [];
  assert.ok(samples.length > 0, 'data/inbox holds the bundled sample entries');
  assert.equal(existsSync(join(clone, '.env')), false, 'no .env in a fresh clone');
  const stateDir = join(clone, 'var');
  const env = { PATH: process.env.PATH ?? '' };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

  const first = spawnSync(npm, ['start', '--silent'], { cwd: clone, env, encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  const outbox = /^outbox: (.+) \((\d+) \.eml files?\)$/m.exec(first.stdout);
  assert.ok(outbox, first.stdout);
  assert.ok(Number(outbox[2]) > 0);
  const emlDir = join(stateDir, 'outbox', readdirSync(join(stateDir, 'outbox'))[0]!);
  assert.equal(readdirSync(emlDir).filter((name) => name.endsWith('.eml')).length, Number(outbox[2]));
  const preview = /^preview: (.+\.html)$/m.exec(first.stdout);
  assert.ok(preview && existsSync(join(clone, preview[1]!)), first.stdout);
  assert.equal(
    join(clone, outbox[1]!),
    emlDir,
    'the outbox line names the folder, relative to where npm start ran',
  );

  const second = spawnSync(npm, ['start', '--silent'], { cwd: clone, env, encoding: 'utf8' });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /^nothing new since \d{4}-W\d\d: nothing sent$/m);
  assert.equal(readdirSync(emlDir).filter((name) => name.endsWith('.eml')).length, Number(outbox[2]));
});

test('an invalid SCHEDULE or SCHEDULE_TZ: schedule exits 2 at start naming the variable', async (t) => {
  const ws = workspace(t, 1);
  for (const [name, value] of [
    ['SCHEDULE', '0 8 * *'],
    ['SCHEDULE', '0 8 * * 8'],
    ['SCHEDULE_TZ', 'Mars/Olympus'],
  ] as const) {
    const result = await runCli(['schedule'], { cwd: ws.dir, env: ws.env({ [name]: value }) });
    assert.equal(result.status, 2, `${name}=${value}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^paperwire: ${name}=`, 'm'));
    assert.match(result.stderr, /hint:/);
  }
});
