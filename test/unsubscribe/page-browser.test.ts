// The confirm page as a reader meets it: real Chromium, JavaScript off, a click on the button.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { openStore } from '../../src/store/index.ts';
import { unsubscribeToken } from '../../src/unsubscribe/index.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startSiteFor } from '../helpers/site.ts';

const SECRET = 'a-test-secret-of-sufficient-length';
const LIST = 'weekly.papers.example.org';

test('a reader opens the link, sees their address, clicks Unsubscribe (no JS) and is unsubscribed', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  const store = openStore(join(dir, 'paperwire.db'));
  const config = loadConfig(
    { PUBLIC_URL: 'https://papers.example.org', UNSUBSCRIBE_SECRET: SECRET, LIST_ID: LIST },
    dir,
  );
  const server = await startSiteFor(store, config, { port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await server.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // A phone-sized window with JavaScript off: the page must work for both.
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 360, height: 640 },
  });
  const page = await context.newPage();
  const link = `${server.url}/unsubscribe?token=${unsubscribeToken(SECRET, LIST, 'ada@example.org')}`;
  const opened = await page.goto(link);
  assert.equal(opened?.status(), 200);
  assert.equal(await page.getByText('ada@example.org').isVisible(), true);
  const button = await page.getByRole('button', { name: 'Unsubscribe' }).boundingBox();
  assert.ok(
    button && button.x >= 0 && button.x + button.width <= 360 && button.y + button.height <= 640,
    'button in view',
  );
  assert.equal(store.suppressions.find('ada@example.org'), null, 'opening the page changes nothing');

  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click('button'),
  ]);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('h1').textContent(), 'You are unsubscribed');
  assert.equal(store.suppressions.find('ada@example.org')?.via, 'link');
  // The form posted back to the very URL of the link.
  assert.equal(response.url(), link);
  await context.close();
});
