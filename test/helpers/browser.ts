// A real headless Chromium for tests of anything a person looks at: Debian's
// package at /usr/bin/chromium (or CHROMIUM_PATH), driven by playwright-core.
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { type Browser, chromium } from 'playwright-core';

/** Where Chromium is looked for: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

const INSTALL_HINT = 'apt-get install -y chromium';

/**
 * Launches headless Chromium, closed after the test. Without Chromium the test is
 * skipped, or fails when REQUIRE_BROWSER=1 (so CI cannot pass by skipping).
 */
export async function launchBrowser(t: TestContext): Promise<Browser | null> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    if (process.env.REQUIRE_BROWSER === '1') {
      throw new Error(
        `Chromium not found at ${executablePath}: ${INSTALL_HINT} (or set CHROMIUM_PATH); REQUIRE_BROWSER=1 makes this a failure`,
      );
    }
    t.skip(`Chromium not found: ${INSTALL_HINT} (set REQUIRE_BROWSER=1 to make this a failure)`);
    return null;
  }
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.after(() => browser.close());
  return browser;
}
