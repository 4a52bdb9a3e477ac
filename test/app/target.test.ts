// One rule names the edition `send` acts on now (src/app/target.ts). Every command
// that shows or sends it must name the same one: `send --dry-run`, `send --to`,
// `preview` (files), the preview server, and the real `send`, run as the user runs
// them, in four situations: a new week, a stopped run to resume, nothing new, and
// an explicit --week.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { previewSource } from '../../src/app/preview.ts';
import type { Clock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/log.ts';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/index.ts';
import { openStore } from '../../src/store/index.ts';
import { makePapers, makeSubscribers, tempDir } from '../deliver/helpers.ts';
import { runCli } from '../helpers/cli.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

const MONDAY_W48 = new Date('2026-11-23T08:00:00Z');
const MONDAY_W49 = new Date('2026-11-30T08:00:00Z');

interface Project {
  cwd: string;
  env: Record<string, string>;
  sink: SmtpSink;
}

async function project(t: TestContext): Promise<Project> {
  const cwd = tempDir(t);
  writeFileSync(
    join(cwd, 'subscribers.yaml'),
    `subscribers:\n${makeSubscribers(3)
      .map((s) => `  - ${s.email}\n`)
      .join('')}`,
  );
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const env = {
    STATE_DIR: 'var',
    SUBSCRIBERS_FILE: 'subscribers.yaml',
    TEMPLATES_DIR: DEFAULT_TEMPLATES_DIR,
    SMTP_URL: sink.url,
    MAIL_FROM: 'Digest <digest@news.example.org>',
    SEND_MAX_ATTEMPTS: '1',
  };
  return { cwd, env, sink };
}

function addPapers(p: Project, count: number, prefix: string, at: Date): void {
  const store = openStore(loadConfig(p.env, p.cwd).dbPath);
  try {
    store.papers.upsert(
      makePapers(count, prefix).map((paper, i) => ({ ...paper, id: `${prefix}.${i}`, arxivId: null })),
      at,
    );
  } finally {
    store.close();
  }
}

/** The edition each command names at `now` (null: "nothing"), the real send last since it writes. */
async function named(p: Project, now: Date, week: string[] = []) {
  const clock: Clock = () => now;
  const cli = (args: string[]) => runCli(args, { cwd: p.cwd, env: p.env, clock });
  // "nothing to send: edition W is already delivered" names W; "nothing to send: no new papers since …" none.
  const editionIn = (text: string): string | null =>
    /^nothing to send: (?!edition )/.test(text) ? null : (/edition (\d{4}-W\d\d)/.exec(text)?.[1] ?? null);

  const dryRun = await cli(['send', '--dry-run', ...week]);
  const testCopy = await cli(['send', '--to', 'editor@example.org', ...week]);
  const preview = await cli(['preview', ...week]);
  const config = loadConfig(p.env, p.cwd);
  const store = openStore(config.dbPath);
  let server: string | null;
  try {
    const source = previewSource({ store, config, clock, log: silentLogger }, week[1]);
    server = source.edition().edition.id;
  } catch {
    server = null;
  } finally {
    store.close();
  }
  const send = await cli(['send', '--yes', ...week]);
  return {
    dryRun: editionIn(dryRun.stdout),
    testCopy: editionIn(testCopy.stdout),
    preview:
      preview.status === 0
        ? (/\((\d{4}-W\d\d)|edition (\d{4}-W\d\d)/.exec(preview.stdout)?.slice(1).find(Boolean) ?? '?')
        : null,
    server,
    send: editionIn(send.stdout),
    outputs: { dryRun, testCopy, preview, send },
  };
}

function assertAllName(result: Awaited<ReturnType<typeof named>>, expected: string | null): void {
  const { outputs, ...names } = result;
  assert.deepEqual(
    names,
    { dryRun: expected, testCopy: expected, preview: expected, server: expected, send: expected },
    JSON.stringify(
      Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.stdout + v.stderr])),
      null,
      1,
    ),
  );
}

test('a new week: all name the edition send would freeze now', async (t) => {
  const p = await project(t);
  addPapers(p, 3, 'a', MONDAY_W48);
  assertAllName(await named(p, MONDAY_W48), '2026-W48');
});

test('a stopped run of last week with nothing new: all name the edition being resumed', async (t) => {
  const p = await project(t);
  addPapers(p, 3, 'a', MONDAY_W48);
  p.sink.hooks.rcpt = () => ({ code: 421, message: '4.3.2 try again later' });
  const stopped = await runCli(['send', '--yes'], { cwd: p.cwd, env: p.env, clock: () => MONDAY_W48 });
  assert.equal(stopped.status, 1);
  assert.match(stopped.stdout, /left to retry 3/);
  p.sink.hooks.rcpt = undefined;
  // The bug this rule fixes: the dry run said "nothing to send", preview "nothing new", yet send resumed W48.
  assertAllName(await named(p, MONDAY_W49), '2026-W48');
});

test('nothing new and nothing pending: none names an edition', async (t) => {
  const p = await project(t);
  addPapers(p, 3, 'a', MONDAY_W48);
  await runCli(['send', '--yes'], { cwd: p.cwd, env: p.env, clock: () => MONDAY_W48 });
  const result = await named(p, MONDAY_W49);
  assertAllName(result, null);
  assert.match(result.outputs.preview.stderr, /nothing new since edition 2026-W48/);
});

test('an explicit --week: all name that week, even when another is due', async (t) => {
  const p = await project(t);
  addPapers(p, 3, 'a', MONDAY_W48);
  await runCli(['send', '--yes'], { cwd: p.cwd, env: p.env, clock: () => MONDAY_W48 });
  addPapers(p, 2, 'b', MONDAY_W49);
  assertAllName(await named(p, MONDAY_W49, ['--week', '2026-W48']), '2026-W48');
  // And without --week the new week is the one due.
  assertAllName(await named(p, MONDAY_W49), '2026-W49');
});
