// `paperwire preview` as an operator runs it: a child process in a temp folder.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveTarget } from '../../src/app/target.ts';
import { weekOfDay } from '../../src/week.ts';
import { cleanEnv, runCli } from '../helpers/cli.ts';
import { entriesFile, flowed, type Playground, playground, topTitles, visibleText } from './fixture.ts';

const bin = fileURLToPath(new URL('../../scripts/paperwire.mjs', import.meta.url));
const SEED = fileURLToPath(new URL('../../../shared/seeds/000_5233890ffdda0128.txt', import.meta.url));

function paperwire(ground: Playground, args: string[]) {
  return runCli(args, { cwd: ground.dir, env: cleanEnv(ground.env) });
}

/** Runs `paperwire preview` and checks the files it names hold the top 10 titles. */
async function previewListsTopTen(ground: Playground, titles: string[], args: string[] = []): Promise<void> {
  const result = await paperwire(ground, ['preview', ...args]);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  const htmlPath = lines.find((line) => line.trim().endsWith('.html'))?.trim();
  const textPath = lines.find((line) => line.trim().endsWith('.txt'))?.trim();
  assert.ok(htmlPath && existsSync(htmlPath), `prints the HTML path:\n${result.stdout}`);
  assert.ok(textPath && existsSync(textPath), `prints the text path:\n${result.stdout}`);
  assert.ok(htmlPath.startsWith(join(ground.env.STATE_DIR!, 'preview')));
  const bytes = statSync(htmlPath).size;
  assert.ok(bytes < 100 * 1024, `HTML is ${bytes} bytes`);
  const margin = (100 * 1024 - bytes) / 1024;
  assert.match(
    result.stdout,
    new RegExp(
      `^HTML ${(bytes / 1024).toFixed(1)} KB, ${margin.toFixed(1)} KB under the 100 KB clip limit$`,
      'm',
    ),
  );
  const html = visibleText(readFileSync(htmlPath, 'utf8'));
  const text = flowed(readFileSync(textPath, 'utf8'));
  assert.equal(titles.length, 10);
  for (const title of titles) {
    assert.ok(html.includes(flowed(title)), `HTML lists "${title}"`);
    assert.ok(text.includes(flowed(title)), `text lists "${title}"`);
  }
}

test('paperwire ingest FILE && paperwire preview: both files list the top 10 titles, HTML under 100 KB', async (t) => {
  const ground = playground(t, { papers: [] });
  const source = join(ground.dir, 'papers.json');
  writeFileSync(source, entriesFile());
  const ingest = await paperwire(ground, ['ingest', source]);
  assert.equal(ingest.status, 0, ingest.stderr);
  await previewListsTopTen(ground, topTitles(10));
});

test('the seed file of the mission: ingest, preview, top 10 in both files', async (t) => {
  if (!existsSync(SEED)) {
    t.skip(
      "../shared/seeds/000_5233890ffdda0128.txt not found: this test needs ../shared (the mission's shared folder)",
    );
    return;
  }
  const ground = playground(t, { papers: [] });
  const ingest = await paperwire(ground, ['ingest', SEED]);
  assert.equal(ingest.status, 0, ingest.stderr);
  // The page's date line dates its papers: the edition of their week holds them.
  const day = ground.store.papers.list()[0]?.featuredOn;
  assert.ok(day, 'the date line gives the papers a day');
  const week = weekOfDay(day);
  const target = resolveTarget(ground.store, {
    week,
    now: new Date(),
    settings: { timeZone: 'UTC', editionWeek: 'previous' },
  });
  assert.ok(target.kind === 'edition');
  await previewListsTopTen(
    ground,
    target.edition.papers.slice(0, 10).map((entry) => entry.paper.title),
    ['--week', week],
  );
});

test('preview errors: exit 1 with a hint for no papers or a missing --week, exit 2 for an unknown subscriber', async (t) => {
  const ground = playground(t, { papers: [] });
  const empty = await paperwire(ground, ['preview']);
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /^paperwire: /m);
  assert.match(empty.stderr, /hint: .*paperwire ingest/);

  const source = join(ground.dir, 'papers.json');
  writeFileSync(source, entriesFile());
  assert.equal((await paperwire(ground, ['ingest', source])).status, 0);
  const missing = await paperwire(ground, ['preview', '--week', '2020-W01']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /2020-W01/);
  const notAWeek = await paperwire(ground, ['preview', '--week', 'week 3']);
  assert.equal(notAWeek.status, 2);
  assert.match(notAWeek.stderr, /--week "week 3" is not an ISO week/);
  const stranger = await paperwire(ground, ['preview', '--subscriber', 'nobody@example.org']);
  assert.equal(stranger.status, 2);
  assert.match(stranger.stderr, /subscribers\.yaml/);
});

test('preview --out naming a file is a usage error with a hint, not a stack trace', async (t) => {
  const ground = playground(t, { papers: [] });
  const source = join(ground.dir, 'papers.json');
  writeFileSync(source, entriesFile());
  assert.equal((await paperwire(ground, ['ingest', source])).status, 0);
  writeFileSync(join(ground.dir, 'a-file'), 'x');
  for (const out of ['a-file', 'a-file/below']) {
    const result = await paperwire(ground, ['preview', '--out', out]);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /hint: /);
    assert.doesNotMatch(result.stderr, /unexpected error/);
  }
});

/** Starts `paperwire preview --serve --port 0` and resolves with the URL it prints. */
function startServe(t: TestContext, ground: Playground): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'preview', '--serve', '--port', '0'], {
    cwd: ground.dir,
    env: { PATH: process.env.PATH ?? '', ...ground.env },
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /^Preview server: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`preview --serve exited with ${code}: ${err}`)));
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`preview --serve --port 0 prints its real URL, serves the list and exits 0 on ${signal}`, async (t) => {
    const ground = playground(t);
    const { child, url } = await startServe(t, ground);
    assert.notEqual(new URL(url).port, '0');
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /ada@example\.org/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill(signal);
    assert.equal(await exited, 0);
  });
}
