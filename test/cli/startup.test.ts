// What `paperwire --help`, `--version` and `status` load: nothing of MJML, Handlebars
// or nodemailer (imported lazily by the commands that render or send), so they answer
// about as fast as Node starts. Checked in a fresh process running the built CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { VERSION } from '../../src/paths.ts';
import { cleanEnv } from '../helpers/cli.ts';
import { freshClone } from '../helpers/clone.ts';
import { tempDir } from '../helpers/temp.ts';

const BUILD = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));

/** Runs the built CLI with `args` in a fresh process; returns the packages it loaded and what it printed. */
function packagesLoadedBy(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { packages: string[]; out: string; code: number } {
  const script = `
    import { createRequire } from 'node:module';
    import { pathToFileURL } from 'node:url';
    const { builtCli } = await import(${JSON.stringify(pathToFileURL(BUILD).href)});
    const { runMain } = await import(pathToFileURL(await builtCli()).href);
    let out = '';
    const io = { env: { PATH: process.env.PATH, STATE_DIR: 'var', ...${JSON.stringify(env)} }, cwd: process.cwd(), isTTY: false,
      out: (l) => { out += l + '\\n'; }, err: (l) => { out += l + '\\n'; }, write: (s) => { out += s; } };
    const code = await runMain(['node', 'paperwire', ...${JSON.stringify(args)}], io);
    const packages = Object.keys(createRequire(import.meta.url).cache)
      .map((path) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(path)?.[1]).filter(Boolean);
    console.log(JSON.stringify({ packages: [...new Set(packages)].sort(), out, code }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    encoding: 'utf8',
    env: cleanEnv(),
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
}

test('--help, --version and status load no MJML, Handlebars or nodemailer', (t) => {
  const cwd = tempDir(t);
  for (const args of [['--help'], ['--version'], ['status']]) {
    const { packages, code } = packagesLoadedBy(args, cwd);
    assert.equal(code, 0, args.join(' '));
    for (const heavy of ['mjml', 'handlebars', 'nodemailer', 'mjml-core']) {
      assert.ok(!packages.includes(heavy), `${args.join(' ')} loaded ${heavy}: ${packages.join(', ')}`);
    }
  }
  // The check itself can fail: a command that renders does load them.
  const ingest = packagesLoadedBy(['init-templates', 'mine'], cwd);
  assert.ok(ingest.packages.includes('handlebars'), ingest.packages.join(', '));
});

test('a run from files with no mailbox loads no IMAP, MIME, DMARC or HTTP client', (t) => {
  const cwd = tempDir(t);
  // The first run renders the edition, and MJML's HTML parser (cheerio) loads undici itself;
  // the second has nothing new to send and renders nothing.
  const first = packagesLoadedBy(['--demo', 'run'], cwd);
  const second = packagesLoadedBy(['--demo', 'run'], cwd);
  for (const [run, heavy] of [
    [first, ['imapflow', 'mailparser', 'mailauth']],
    [second, ['imapflow', 'mailparser', 'mailauth', 'undici', 'mjml']],
  ] as const) {
    assert.equal(run.code, 0, run.out);
    for (const name of heavy) {
      assert.ok(!run.packages.includes(name), `--demo run loaded ${name}: ${run.packages.join(', ')}`);
    }
  }
  // The check itself can fail: reading a mailbox (here one that refuses the connection) and
  // fetching a URL do load them.
  const mailbox = packagesLoadedBy(['mailbox', '--dry-run'], cwd, {
    MAILBOX_URL: 'imap://u:p@127.0.0.1:1/INBOX',
  });
  assert.ok(mailbox.packages.includes('imapflow'), `${mailbox.out} ${mailbox.packages.join(', ')}`);
  const fetched = packagesLoadedBy(['ingest', 'http://127.0.0.1:1/papers.json'], cwd);
  assert.ok(fetched.packages.includes('undici'), `${fetched.out} ${fetched.packages.join(', ')}`);
});

test('--version prints the version of package.json', (t) => {
  const { out, code } = packagesLoadedBy(['--version'], tempDir(t));
  assert.equal(code, 0);
  assert.equal(out.trim(), VERSION);
});

test('a user who may not write the checkout (a service user) still runs paperwire, from the sources', (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root, to run paperwire as nobody (uid 65534) in a checkout root owns');
    return;
  }
  const clone = freshClone(t);
  for (let up = clone; up !== '/' && up.startsWith('/tmp/'); up = dirname(up)) chmodSync(up, 0o755);
  const asNobody = {
    uid: 65534,
    gid: 65534,
    encoding: 'utf8' as const,
    env: cleanEnv(),
  };
  const probe = spawnSync(process.execPath, ['-e', '0'], asNobody);
  if (probe.status !== 0) {
    t.skip(`nobody (uid 65534) cannot run ${process.execPath}: ${probe.error?.message ?? probe.stderr}`);
    return;
  }
  // No build yet, and dist/ cannot be made: the sources run through tsx.
  const cwd = tempDir(t);
  chmodSync(cwd, 0o777);
  const run = spawnSync(process.execPath, [join(clone, 'scripts', 'paperwire.mjs'), '--version'], {
    ...asNobody,
    cwd,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), VERSION);
  assert.equal(existsSync(join(clone, 'dist')), false, 'nothing written into the checkout');
});
