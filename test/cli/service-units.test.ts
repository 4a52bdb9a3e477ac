// The systemd units in scripts/: each is a valid unit file (systemd-analyze verify, where
// installed) and starts a paperwire command with flags that command really has.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';
import { repoRoot } from '../schedule/helpers.ts';

for (const [unit, command] of [
  ['paperwire.service', 'schedule'],
  ['paperwire-serve.service', 'serve'],
] as const) {
  test(`scripts/${unit} runs \`paperwire ${command}\` with known flags and is a valid unit`, async (t) => {
    const path = join(repoRoot, 'scripts', unit);
    const text = readFileSync(path, 'utf8');
    const exec = /^ExecStart=\S+ \/opt\/paperwire\/scripts\/paperwire\.mjs (\S+)(.*)$/m.exec(text);
    assert.ok(exec, 'ExecStart runs scripts/paperwire.mjs');
    assert.equal(exec[1], command);
    const help = await runCli([command, '--help'], { cwd: tempDir(t) });
    for (const flag of exec[2]!.match(/--[a-z-]+/g) ?? [])
      assert.ok(help.stdout.includes(flag), `${command} has ${flag}`);
    assert.match(text, /^RestartPreventExitStatus=2$/m, 'a configuration error is not restarted');
    const verify = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    if (verify.error) {
      t.diagnostic('systemd-analyze is not installed: the unit syntax was not verified');
      return;
    }
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal(verify.stderr.trim(), '', verify.stderr);
  });
}
