// One rule names the edition `send` acts on now (src/app/target.ts). Every command
// that shows or sends it must name the same one: `send --dry-run`, `send --to`,
// `preview` (files), the preview server, `edition`, and the real `send`, run as the
// user runs them: a new week, a stopped run to resume, nothing new, an explicit
// --week, a past week made afterwards, the week in SCHEDULE_TZ, EDITION_WEEK=current,
// and papers that wait for a later week.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { previewSource } from '../../src/app/preview.ts';
import type { Clock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/index.ts';
import { makePapers, makeSubscribers, tempDir } from '../deliver/helpers.ts';
import { runCli } from '../helpers/cli.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { withStore } from '../helpers/store.ts';

/** The Mondays on which the editions of 2026-W48 and 2026-W49 are due (the last complete week). */
const DUE_W48 = new Date('2026-11-30T08:00:00Z');
const DUE_W49 = new Date('2026-12-07T08:00:00Z');

interface Project {
  cwd: string;
  env: Record<string, string>;
  sink: SmtpSink;
}

async function project(t: TestContext, extra: Record<string, string> = {}): Promise<Project> {
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
    SCHEDULE_TZ: 'UTC',
    ...extra,
  };
  return { cwd, env, sink };
}

/** Stores `count` papers, featured on `day` when given (else undated). */
function addPapers(p: Project, count: number, prefix: string, at: Date, day: string | null = null): void {
  withStore(loadConfig(p.env, p.cwd).dbPath, (store) =>
    store.papers.upsert(
      makePapers(count, prefix).map((paper, i) => ({
        ...paper,
        id: `${prefix}.${i}`,
        arxivId: null,
        featuredOn: day,
      })),
      at,
    ),
  );
}

/** The edition each command names at `now` (null: "nothing"), the real send last since it writes. */
async function named(p: Project, now: Date, week: string[] = []) {
  const clock: Clock = () => now;
  const cli = (args: string[]) => runCli(args, { cwd: p.cwd, env: p.env, clock });
  // "nothing to send: edition W is already delivered" names W; "nothing to send: no new papers since …" none.
  const editionIn = (text: string): string | null =>
    /^nothing to send: (?!edition )/.test(text) ? null : (/edition (\d{4}-W\d\d)/.exec(text)?.[1] ?? null);

  const dryRun = await cli(['send', '--dry-run', ...week]);
  const shown = await cli(['edition', '--json', ...week]);
  const testCopy = await cli(['send', '--to', 'editor@example.org', ...week]);
  const preview = await cli(['preview', ...week]);
  const config = loadConfig(p.env, p.cwd);
  // The server's "nothing to preview" is E_NO_EDITION; anything else is a failure, not "nothing".
  const server = withStore(config.dbPath, (store) => {
    try {
      return previewSource({ store, config, clock, log: silentLogger }, week[1]).edition().edition.id;
    } catch (error) {
      if (isPaperwireError(error, 'E_NO_EDITION')) return null;
      throw error;
    }
  });
  const send = await cli(['send', '--yes', ...week]);
  const edition = JSON.parse(shown.stdout || '{}') as { id?: string; papers?: unknown[] };
  return {
    dryRun: editionIn(dryRun.stdout),
    // `edition` shows the week's edition itself (never one resumed from another week).
    edition: edition.papers?.length ? (edition.id ?? '?') : null,
    testCopy: editionIn(testCopy.stdout),
    preview:
      preview.status === 0
        ? (/\((\d{4}-W\d\d)|edition (\d{4}-W\d\d)/.exec(preview.stdout)?.slice(1).find(Boolean) ?? '?')
        : null,
    server,
    send: editionIn(send.stdout),
    outputs: { dryRun, shown, testCopy, preview, send },
  };
}

function assertAllName(
  result: Awaited<ReturnType<typeof named>>,
  expected: string | null,
  edition: string | null = expected,
): void {
  const { outputs, ...names } = result;
  assert.deepEqual(
    names,
    { dryRun: expected, edition, testCopy: expected, preview: expected, server: expected, send: expected },
    JSON.stringify(
      Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.stdout + v.stderr])),
      null,
      1,
    ),
  );
}

test('a new week: all name the edition send would freeze now', async (t) => {
  const p = await project(t);
  addPapers(p, 3, 'a', DUE_W48);
  assertAllName(await named(p, DUE_W48), '2026-W48');
});

test('a stopped run of last week with nothing new: all name the edition being resumed', async (t) => {
  const p = await project(t);
  addPapers(p, 3, 'a', DUE_W48);
  p.sink.hooks.rcpt = () => ({ code: 421, message: '4.3.2 try again later' });
  const stopped = await runCli(['send', '--yes'], { cwd: p.cwd, env: p.env, clock: () => DUE_W48 });
  assert.equal(stopped.status, 1);
  assert.match(stopped.stdout, /left to retry 3/);
  p.sink.hooks.rcpt = undefined;
  // The bug this rule fixes: the dry run said "nothing to send", preview "nothing new", yet send resumed W48.
  // (`edition` shows the week due, W49, which has nothing.)
  assertAllName(await named(p, DUE_W49), '2026-W48', null);
});

test('nothing new and nothing pending: none names an edition', async (t) => {
  const p = await project(t);
  addPapers(p, 3, 'a', DUE_W48);
  await runCli(['send', '--yes'], { cwd: p.cwd, env: p.env, clock: () => DUE_W48 });
  const result = await named(p, DUE_W49);
  assertAllName(result, null);
  assert.match(result.outputs.preview.stderr, /nothing to preview: no new papers since edition 2026-W48/);
});

test('an explicit --week: all name that week, even when another is due', async (t) => {
  const p = await project(t);
  addPapers(p, 3, 'a', DUE_W48);
  await runCli(['send', '--yes'], { cwd: p.cwd, env: p.env, clock: () => DUE_W48 });
  addPapers(p, 2, 'b', DUE_W49);
  assertAllName(await named(p, DUE_W49, ['--week', '2026-W48']), '2026-W48');
  // And without --week the new week is the one due.
  assertAllName(await named(p, DUE_W49), '2026-W49');
});

test('a past week with no edition, named by --week: all name it, and it holds its own papers', async (t) => {
  const p = await project(t);
  addPapers(p, 2, 'w46', DUE_W48, '2026-11-10');
  addPapers(p, 3, 'w48', DUE_W48, '2026-11-25');
  // The due week goes first; week 46 was skipped (today: "there is no edition 2026-W46", never made).
  assertAllName(await named(p, DUE_W48), '2026-W48');
  const result = await named(p, DUE_W48, ['--week', '2026-W46']);
  assertAllName(result, '2026-W46');
  assert.match(result.outputs.send.stdout, /sent 3/);
  const w46 = withStore(loadConfig(p.env, p.cwd).dbPath, (store) => store.editions.find('2026-W46'));
  assert.deepEqual(w46?.papers.map((entry) => entry.paper.id).sort(), ['w46.0', 'w46.1']);
});

test('the week runs Monday to Sunday in SCHEDULE_TZ: all name the zone’s last complete week', async (t) => {
  // Sunday 19:00 UTC is Monday 08:00 in Auckland: there, week 48 is complete.
  const sundayEvening = new Date('2026-11-29T19:00:00Z');
  const auckland = await project(t, { SCHEDULE_TZ: 'Pacific/Auckland' });
  addPapers(auckland, 3, 'a', sundayEvening, '2026-11-25');
  assertAllName(await named(auckland, sundayEvening), '2026-W48');
  // In UTC it is still week 48: the edition due is week 47's, and the week-48 papers wait.
  const utc = await project(t);
  addPapers(utc, 3, 'a', sundayEvening, '2026-11-25');
  const result = await named(utc, sundayEvening);
  assertAllName(result, null);
  assert.match(result.outputs.dryRun.stdout, /3 wait for the edition of 2026-W48/);
});

test('EDITION_WEEK=current: all name the week in progress', async (t) => {
  const friday = new Date('2026-11-27T16:00:00Z');
  const p = await project(t, { EDITION_WEEK: 'current' });
  addPapers(p, 3, 'a', friday, '2026-11-25');
  assertAllName(await named(p, friday), '2026-W48');
});
