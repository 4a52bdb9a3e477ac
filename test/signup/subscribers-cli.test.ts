// `paperwire subscribers` shows where each subscriber comes from; `--export` writes the active ones for listmonk.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { loadSubscribers } from '../../src/subscribers/index.ts';
import { runCli, tempDir } from '../deliver/helpers.ts';

function setUp(t: import('node:test').TestContext): { cwd: string; env: Record<string, string> } {
  const cwd = tempDir(t);
  writeFileSync(
    join(cwd, 'list.yaml'),
    'subscribers:\n  - email: grace@example.org\n    name: Grace\n    topics: [compilers]\n  - ada@example.org\n',
  );
  const store = openStore(join(cwd, 'var', 'paperwire.db'), {
    clock: () => new Date('2026-11-23T09:30:00Z'),
  });
  store.webSubscribers.confirm({
    email: 'bob@example.org',
    name: 'Bob, "the builder"',
    topics: ['robotics'],
  });
  store.webSubscribers.confirm({ email: 'carol@example.org', name: null, topics: [] });
  store.webSubscribers.setTopics('grace@example.org', ['diffusion']);
  store.suppressions.suppress('carol@example.org', 'link', 'unsubscribe page');
  store.suppressions.suppress('ada@example.org', 'command', 'paperwire unsubscribe');
  store.close();
  return { cwd, env: { SUBSCRIBERS_FILE: 'list.yaml' } };
}

test('subscribers tells list from web and when they confirmed, in text and --json', async (t) => {
  const { cwd, env } = setUp(t);
  const text = await runCli(['subscribers'], { cwd, env });
  assert.equal(text.status, 0, text.stderr);
  assert.match(
    text.stdout,
    /^list\.yaml: 2 active, 2 suppressed, 0 invalid; 2 of them signed up on the web$/m,
  );
  assert.match(
    text.stdout,
    /^ {2}web {9}bob@example\.org: signed up on the web, confirmed 2026-11-23 09:30 UTC$/m,
  );
  assert.match(text.stdout, /^ {2}suppressed {2}carol@example\.org \(web\): unsubscribed by link/m);
  const json = JSON.parse((await runCli(['subscribers', '--json'], { cwd, env })).stdout) as {
    fromWeb: number;
    subscribers: {
      email: string;
      source: string;
      confirmedAt: string | null;
      status: string;
      topics: string[];
    }[];
  };
  assert.equal(json.fromWeb, 2);
  assert.deepEqual(
    json.subscribers.map((s) => [s.email, s.source, s.confirmedAt, s.status, s.topics]),
    [
      ['grace@example.org', 'list', null, 'active', ['compilers', 'diffusion']],
      ['ada@example.org', 'list', null, 'suppressed', []],
      ['bob@example.org', 'web', '2026-11-23T09:30:00.000Z', 'active', ['robotics']],
      ['carol@example.org', 'web', '2026-11-23T09:30:00.000Z', 'suppressed', []],
    ],
  );
});

test('subscribers --export FILE.csv writes every active subscriber as listmonk columns, read back as the same list', async (t) => {
  const { cwd, env } = setUp(t);
  const run = await runCli(['subscribers', '--export', 'out.csv'], { cwd, env });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^wrote 2 active subscribers to out\.csv$/m);
  const csv = readFileSync(join(cwd, 'out.csv'), 'utf8');
  assert.equal(
    csv,
    'email,name,attributes\n' +
      'grace@example.org,Grace,"{""topics"":[""compilers"",""diffusion""]}"\n' +
      'bob@example.org,"Bob, ""the builder""","{""topics"":[""robotics""]}"\n',
  );
  assert.deepEqual(loadSubscribers(join(cwd, 'out.csv')).subscribers, [
    { email: 'grace@example.org', name: 'Grace', topics: ['compilers', 'diffusion'] },
    { email: 'bob@example.org', name: 'Bob, "the builder"', topics: ['robotics'] },
  ]);
  const nowhere = await runCli(['subscribers', '--export', 'missing/dir/out.csv'], { cwd, env });
  assert.equal(nowhere.status, 2);
  assert.match(nowhere.stderr, /cannot write .*missing\/dir\/out\.csv/);
});
