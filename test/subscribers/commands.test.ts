// `paperwire subscribers`, `unsubscribe`, `resubscribe`, run as the user runs them.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir } from '../deliver/helpers.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/subscribers/${name}`, import.meta.url));

test('subscribers shows counts, suppressions with how and when, invalid lines; --json has every entry', async (t) => {
  const cwd = tempDir(t);
  copyFileSync(fixture('list.yaml'), join(cwd, 'list.yaml'));
  const env = { SUBSCRIBERS_FILE: 'list.yaml' };
  const before = readFileSync(join(cwd, 'list.yaml'), 'utf8');

  const unsubscribed = await runCli(['unsubscribe', 'Grace@example.org'], { cwd, env });
  assert.equal(unsubscribed.status, 0, unsubscribed.stderr);
  assert.match(unsubscribed.stdout, /unsubscribed Grace@example\.org/);
  const twice = await runCli(['unsubscribe', 'grace@EXAMPLE.org'], { cwd, env });
  assert.match(twice.stdout, /already unsubscribed \(command/);
  const stranger = await runCli(['unsubscribe', 'stranger@example.org'], { cwd, env });
  assert.match(stranger.stdout, /not on the subscriber list/);

  const text = await runCli(['subscribers'], { cwd, env });
  assert.equal(text.status, 1, 'invalid entries make exit code 1');
  assert.match(text.stdout, /^list\.yaml: 3 active, 1 suppressed, 3 invalid \(1 duplicate ignored\)$/m);
  assert.match(
    text.stdout,
    /suppressed {2}grace@example\.org: unsubscribed by command on \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
  );
  assert.match(text.stdout, /invalid {5}line 10: "not-an-address"/);
  assert.match(text.stdout, /invalid {5}line 12: "bob@"/);

  const json = await runCli(['subscribers', '--json'], { cwd, env });
  const report = JSON.parse(json.stdout) as {
    active: number;
    suppressed: number;
    invalid: number;
    subscribers: { email: string; status: string; topics: string[]; suppressedVia?: string; line?: number }[];
  };
  assert.equal(report.active, 3);
  assert.equal(report.suppressed, 1);
  assert.equal(report.invalid, 3);
  const grace = report.subscribers.find((s) => s.email === 'grace@example.org');
  assert.equal(grace?.status, 'suppressed');
  assert.equal(grace?.suppressedVia, 'command');
  assert.deepEqual(report.subscribers.find((s) => s.email === 'ada@example.org')?.topics, [
    'diffusion',
    'quantization',
  ]);
  assert.equal(report.subscribers.find((s) => s.status === 'invalid')?.line, 10);

  const back = await runCli(['resubscribe', 'grace@example.org'], { cwd, env });
  assert.equal(back.status, 0);
  assert.match(back.stdout, /resubscribed grace@example\.org \(was command/);
  const none = await runCli(['resubscribe', 'grace@example.org'], { cwd, env });
  assert.match(none.stdout, /was not unsubscribed/);
  assert.match((await runCli(['subscribers'], { cwd, env })).stdout, /4 active, 0 suppressed/);
  assert.equal(readFileSync(join(cwd, 'list.yaml'), 'utf8'), before, 'the list file is never edited');
});

test('subscribers lists rows not mailed by their listmonk status, and hidden characters as invalid', async (t) => {
  const cwd = tempDir(t);
  const hidden = 'ff0d6b5a-0000-4000-8000-000000000007,gr\u200Bace@example.org,Grace twin,{},enabled,,\n';
  writeFileSync(join(cwd, 'export.csv'), readFileSync(fixture('listmonk-export.csv'), 'utf8') + hidden);
  const env = { SUBSCRIBERS_FILE: 'export.csv' };

  const text = await runCli(['subscribers'], { cwd, env });
  assert.equal(text.status, 1, 'an invalid entry makes exit code 1');
  assert.match(
    text.stdout,
    /^export\.csv: 3 active, 0 suppressed, 2 not mailed, 1 invalid \(1 duplicate ignored\)$/m,
  );
  assert.match(text.stdout, /not mailed {2}line 3: mallory@example\.org: blocklisted in the list/);
  assert.match(text.stdout, /not mailed {2}line 6: eve@example\.org: unsubscribed in the list/);
  // Shown, not hidden: the character is named where it stands.
  assert.match(text.stdout, /invalid {5}line 9: "gr<U\+200B>ace@example\.org": .*invisible.*\(U\+200B\)/);

  const json = await runCli(['subscribers', '--json'], { cwd, env });
  const report = JSON.parse(json.stdout) as {
    notMailed: number;
    subscribers: { email: string; status: string; line?: number; listStatus?: string }[];
  };
  assert.equal(report.notMailed, 2);
  assert.deepEqual(
    report.subscribers
      .filter((entry) => entry.status === 'not-mailed')
      .map((entry) => [entry.email, entry.line, entry.listStatus]),
    [
      ['mallory@example.org', 3, 'blocklisted'],
      ['eve@example.org', 6, 'unsubscribed'],
    ],
  );
  assert.equal(report.subscribers.find((entry) => entry.status === 'invalid')?.line, 9);
});

test('an empty or missing list is a configuration error (exit 2) naming the file', async (t) => {
  const cwd = tempDir(t);
  copyFileSync(fixture('empty.yaml'), join(cwd, 'empty.yaml'));
  const empty = await runCli(['subscribers'], { cwd, env: { SUBSCRIBERS_FILE: 'empty.yaml' } });
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /empty\.yaml is empty/);
  assert.match(empty.stderr, /hint:/);
  const missing = await runCli(['subscribers'], { cwd });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /subscribers\.yaml does not exist/);
  assert.doesNotMatch(missing.stderr, /data\/subscribers/, 'the demo list is not the default');
});

test('unsubscribe refuses something that is not an address', async (t) => {
  const result = await runCli(['unsubscribe', 'not an address'], { cwd: tempDir(t) });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /not an email address/);
});
