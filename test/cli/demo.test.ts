// From the demo to a real newsletter (issue 11), as a new user goes: `npm start` in a fresh
// clone, then `paperwire init` and a real setup with SMTP and a new list. Today the real
// `send` mailed the demo's fictional papers to every new address (data/inbox was still read
// by default, into the same state folder). Now the demo lives in var/demo on its own
// inbox and list, and the real defaults read only what the operator set (hf by default).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { openStore } from '../../src/store/index.ts';
import { cleanEnv, runCli, startPaperwire } from '../helpers/cli.ts';
import { freshClone } from '../helpers/clone.ts';
import { startHfApi } from '../helpers/hf-api.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { tempDir } from '../helpers/temp.ts';

const MONDAY_W49 = new Date('2026-11-30T08:00:00Z');

/** Every title the demo stored (its own database in var/demo). */
function demoTitles(clone: string): string[] {
  const store = openStore(join(clone, 'var', 'demo', 'paperwire.db'));
  try {
    return store.papers.list().map((paper) => paper.title);
  } finally {
    store.close();
  }
}

test('a demo run followed by a real setup mails no demo paper', async (t) => {
  const clone = freshClone(t);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const demo = spawnSync(npm, ['start', '--silent'], {
    cwd: clone,
    env: cleanEnv(),
    encoding: 'utf8',
  });
  assert.equal(demo.status, 0, demo.stderr);
  // Clean: no warning at all (the web archive without ARCHIVE_URL used to fail on its feed).
  assert.doesNotMatch(demo.stderr, /warn|error/i);
  const archive = join(clone, 'var', 'demo', 'archive');
  assert.match(readFileSync(join(archive, 'index.html'), 'utf8'), /href="2026-W47\/"/);
  assert.ok(!existsSync(join(archive, 'feed.xml')), 'no feed without ARCHIVE_URL: it needs absolute links');
  const titles = demoTitles(clone);
  assert.equal(titles.length, 16, 'the demo stored its sample papers');

  // The real setup, in the same folder.
  const init = await runCli(['init'], { cwd: clone });
  assert.equal(init.status, 0, init.stderr);
  for (const name of ['MAIL_FROM', 'SMTP_URL', 'SOURCES'])
    assert.match(init.stdout, new RegExp(`^  ${name} `, 'm'));
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const api = await startHfApi(t);
  appendFileSync(
    join(clone, '.env'),
    `\nMAIL_FROM="Papers <papers@news.example.net>"\nSMTP_URL=${sink.url}\nHF_API_URL=${api.url}\nSCHEDULE_TZ=UTC\n`,
  );
  writeFileSync(
    join(clone, 'subscribers.yaml'),
    'subscribers:\n  - first@example.net\n  - second@example.net\n',
  );

  // SOURCES is left at its default, hf: the Daily Papers of week 48, fetched on Monday of week 49.
  const run = await runCli(['run'], { cwd: clone, clock: () => MONDAY_W49 });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.doesNotMatch(run.stdout, /data\/inbox/, 'the bundled inbox is not read');
  assert.match(run.stdout, /^hf 2026-W48: 17 new/m);
  assert.match(run.stdout, /^edition 2026-W48: sent 2/m);
  assert.equal(sink.accepted.length, 2);
  for (const email of ['first@example.net', 'second@example.net']) {
    const [message] = sink.receivedBy(email);
    assert.ok(message, email);
    const parsed = await simpleParser(message.raw);
    const text = `${parsed.subject}\n${parsed.text}\n${parsed.html}`.replace(/\s+/g, ' ');
    for (const title of titles) assert.ok(!text.includes(title), `${email} got the demo paper "${title}"`);
  }
  const send = await runCli(['send', '--yes'], { cwd: clone, clock: () => MONDAY_W49 });
  assert.match(send.stdout, /^nothing to send: edition 2026-W48 is already delivered/m);

  // The demo again, with the real .env in place: it still mails nobody (its outbox only).
  const again = startPaperwire(['--demo', 'run'], { cwd: clone, env: cleanEnv() });
  const end = await again.exited;
  assert.equal(end.code, 0, end.stderr);
  assert.equal(sink.accepted.length, 2, 'the demo never uses SMTP_URL');
  assert.match(end.stdout, /edition 2026-W47 is already delivered/);
});

test('paperwire init writes a commented .env and an empty list, names three settings, never overwrites', async (t) => {
  const cwd = tempDir(t);
  const result = await runCli(['init', 'news'], { cwd });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^wrote news\/\.env$/m);
  assert.match(result.stdout, /^wrote news\/subscribers\.yaml$/m);
  assert.match(result.stdout, /^Fill in these three settings in news\/\.env:$/m);
  for (const name of ['MAIL_FROM', 'SMTP_URL', 'SOURCES'])
    assert.match(result.stdout, new RegExp(`^  ${name} `, 'm'));
  const env = readFileSync(join(cwd, 'news', '.env'), 'utf8');
  assert.match(env, /^# paperwire settings, written by `paperwire init`/);
  assert.ok(
    env.includes(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')),
    'all of .env.example',
  );
  assert.ok(
    env.split('\n').every((line) => line === '' || line.startsWith('#')),
    'every setting is commented out: nothing is set until the operator says so',
  );
  const list = readFileSync(join(cwd, 'news', 'subscribers.yaml'), 'utf8');
  assert.match(list, /^subscribers: \[\]$/m);
  assert.match(list, /^# {3}- email: ada@example\.org$/m);

  // An empty list is read as empty: a send stops before anything goes out.
  const check = await runCli(['subscribers'], { cwd: join(cwd, 'news') });
  assert.equal(check.status, 2);
  assert.match(check.stderr, /subscribers\.yaml is empty/);

  writeFileSync(join(cwd, 'news', 'subscribers.yaml'), 'subscribers:\n  - me@example.org\n');
  const again = await runCli(['init', 'news'], { cwd });
  assert.equal(again.status, 0);
  assert.match(again.stdout, /^news\/\.env exists: left as it is$/m);
  assert.match(again.stdout, /^news\/subscribers\.yaml exists: left as it is$/m);
  assert.equal(
    readFileSync(join(cwd, 'news', 'subscribers.yaml'), 'utf8'),
    'subscribers:\n  - me@example.org\n',
  );
  assert.equal(readFileSync(join(cwd, 'news', '.env'), 'utf8'), env);

  writeFileSync(join(cwd, 'a-file'), 'x');
  const onFile = await runCli(['init', 'a-file'], { cwd });
  assert.equal(onFile.status, 2);
  assert.match(onFile.stderr, /a-file is a file, not a folder/);
});

test('paperwire init below a file is a usage error with a hint, not a stack trace', async (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'a-file'), 'x');
  const belowFile = await runCli(['init', 'a-file/news'], { cwd });
  assert.equal(belowFile.status, 2, belowFile.stderr);
  assert.match(belowFile.stderr, /a-file\/news/);
  assert.match(belowFile.stderr, /hint: /);
  assert.doesNotMatch(belowFile.stderr, /unexpected error/);
});
