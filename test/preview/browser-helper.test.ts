// The Chromium test helper itself: without a browser it skips, or fails when REQUIRE_BROWSER=1;
// the axe-core check finds what it should.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, launchBrowser } from '../helpers/browser.ts';

function withEnv(t: { after: (fn: () => void) => void }, values: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  t.after(() => apply(saved));
}

test('a missing Chromium with REQUIRE_BROWSER=1 fails with the install hint', async (t) => {
  withEnv(t, { CHROMIUM_PATH: '/nonexistent/chromium', REQUIRE_BROWSER: '1' });
  await assert.rejects(launchBrowser(t), /apt-get install -y chromium/);
});

test('a missing Chromium otherwise skips the test that wanted it', async (t) => {
  withEnv(t, { CHROMIUM_PATH: '/nonexistent/chromium', REQUIRE_BROWSER: undefined });
  let browser: unknown = 'not called';
  // The inner test is reported as skipped; what matters here is that it got no browser and did not throw.
  await t.test('wants a browser', async (inner) => {
    browser = await launchBrowser(inner);
  });
  assert.equal(browser, null);
});

test('axeViolations names the rules a page breaks, and passes a clean one', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const page = await browser.newPage();
  await page.setContent(
    '<!doctype html><html><head><title>x</title></head><body><main><p style="color:#ccc;background:#fff">faint</p><a href="/a"></a></main></body></html>',
  );
  const found = (await axeViolations(page)).map((line) => line.split(':')[0]);
  for (const rule of ['html-has-lang', 'color-contrast', 'link-name'])
    assert.ok(found.includes(rule), found.join(' '));
  await page.setContent(
    '<!doctype html><html lang="en"><head><title>x</title></head><body><main><h1>Fine</h1><p>Readable text.</p></main></body></html>',
  );
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});
