import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.ts';
import { openStore } from '../../src/store/index.ts';
import { unsubscribeLinks, unsubscribeToken } from '../../src/unsubscribe/index.ts';
import { runPaperwire } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';

const bin = fileURLToPath(new URL('../../scripts/paperwire.mjs', import.meta.url));
const SECRET = 'a-test-secret-of-sufficient-length';

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', ...extra };
}

/** Resolves with the first stdout line matching `pattern`, or rejects when the child exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) resolve(match);
    });
    child.once('exit', (code) =>
      reject(new Error(`exited ${code} before printing ${pattern}: ${seen}${errors}`)),
    );
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`serve --port 0 prints its real port, serves one-click, and exits 0 on ${signal}`, async (t) => {
    const cwd = tempDir(t);
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      cwd,
      env: env({
        PUBLIC_URL: 'https://papers.example.org',
        UNSUBSCRIBE_SECRET: SECRET,
        LIST_ID: 'weekly.papers.example.org',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    const exited = exitOf(child);
    const match = await waitForLine(
      child,
      /listening on (http:\/\/127\.0\.0\.1:(\d+)) \(unsubscribe endpoint for (\S+)\)/,
    );
    const [, url, port, target] = match;
    assert.notEqual(port, '0');
    assert.equal(target, 'https://papers.example.org/unsubscribe');

    const token = unsubscribeToken(SECRET, 'weekly.papers.example.org', 'ada@example.org');
    const response = await fetch(`${url}/unsubscribe?token=${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(response.status, 200);

    child.kill(signal);
    assert.deepEqual(await exited, { code: 0, signal: null });
    const store = openStore(join(cwd, 'var', 'paperwire.db'));
    t.after(() => store.close());
    assert.equal(store.suppressions.find('ada@example.org')?.via, 'link');
  });
}

test('serve without UNSUBSCRIBE_SECRET is a configuration error (exit 2) with a hint', (t) => {
  const result = runPaperwire(['serve', '--port', '0'], { cwd: tempDir(t), env: env() });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /UNSUBSCRIBE_SECRET/);
  assert.match(result.stderr, /^ {2}hint: /m);
});

test('serve with a bad --port is a usage error (exit 2)', (t) => {
  const result = runPaperwire(['serve', '--port', 'eighty'], {
    cwd: tempDir(t),
    env: env({ UNSUBSCRIBE_SECRET: SECRET }),
  });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--port/);
});

test('with PUBLIC_URL under a path, serve answers at the path the links carry (/newsletter/unsubscribe)', async (t) => {
  const cwd = tempDir(t);
  const settings = {
    PUBLIC_URL: 'https://example.org/newsletter',
    UNSUBSCRIBE_SECRET: SECRET,
    LIST_ID: 'weekly.example.org',
  };
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
    cwd,
    env: env(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  const exited = exitOf(child);
  const [, origin, , target] = await waitForLine(
    child,
    /listening on (http:\/\/127\.0\.0\.1:(\d+)) \(unsubscribe endpoint for (\S+)\)/,
  );
  assert.equal(target, 'https://example.org/newsletter/unsubscribe');

  // The very link a message carries, with the proxy's host swapped for the local port.
  const link = new URL(unsubscribeLinks(loadConfig(settings, cwd), 'ada@example.org').oneClickUrl ?? '');
  assert.equal(link.pathname, '/newsletter/unsubscribe');
  const local = `${origin}${link.pathname}${link.search}`;
  const page = await fetch(local);
  assert.equal(page.status, 200, 'the confirm page (GET) is served under the path');
  assert.match(await page.text(), /<form[^>]+method="post"/i);
  const oneClick = await fetch(local, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  assert.equal(oneClick.status, 200);
  assert.equal((await fetch(`${origin}/unsubscribe${link.search}`)).status, 404, 'not outside the path');

  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
  const store = openStore(join(cwd, 'var', 'paperwire.db'));
  t.after(() => store.close());
  assert.equal(store.suppressions.find('ada@example.org')?.via, 'link');
});
