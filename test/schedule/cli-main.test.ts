// The main job from a fresh clone (`npm start` twice) and a bad schedule at start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli.ts';
import { freshClone } from '../helpers/clone.ts';
import { workspace } from './helpers.ts';

test('npm start twice in a fresh clone: the demo delivers to its own outbox, the second sends nothing', (t) => {
  const clone = freshClone(t);
  const inbox = join(clone, 'data', 'inbox');
  const samples = existsSync(inbox) ? readdirSync(inbox).filter((name) => !name.startsWith('.')) : [];
  assert.ok(samples.length > 0, 'data/inbox holds the bundled sample entries');
  assert.equal(existsSync(join(clone, '.env')), false, 'no .env in a fresh clone');
  const stateDir = join(clone, 'var', 'demo');
  const env = cleanEnv();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

  const first = spawnSync(npm, ['start', '--silent'], { cwd: clone, env, encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /^demo: /m, 'it says it is the demo');
  // The sample papers' own week, whatever today is.
  assert.match(first.stdout, /^edition 2026-W47: sent 5/m);
  assert.match(first.stdout, /^archive: 1 edition in var\/demo\/archive$/m, 'relative, as the README shows');
  const outbox = /^outbox: (.+) \((\d+) \.eml files?\)$/m.exec(first.stdout);
  assert.ok(outbox, first.stdout);
  assert.ok(Number(outbox[2]) > 0);
  const emlDir = join(stateDir, 'outbox', '2026-W47');
  assert.equal(readdirSync(emlDir).filter((name) => name.endsWith('.eml')).length, Number(outbox[2]));
  const preview = /^preview: (.+\.html)$/m.exec(first.stdout);
  assert.ok(preview && existsSync(join(clone, preview[1]!)), first.stdout);
  assert.equal(
    join(clone, outbox[1]!),
    emlDir,
    'the outbox line names the folder, relative to where npm start ran',
  );
  assert.equal(existsSync(join(clone, 'var', 'paperwire.db')), false, 'the real state folder is untouched');

  const second = spawnSync(npm, ['start', '--silent'], { cwd: clone, env, encoding: 'utf8' });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /^nothing sent: edition 2026-W47 is already delivered/m);
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
