// A real headless Chromium for tests of anything a person looks at: Debian's
// package at /usr/bin/chromium (or CHROMIUM_PATH), driven by playwright-core, and
// axe-core's accessibility rules run inside it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TestContext } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where Chromium is looked for: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

const INSTALL_HINT = 'apt-get install -y chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// One Chromium per test file, shared by its tests one after another: a launch costs about
// half a second of CPU, and each test's pages get contexts of their own anyway (newPage).
// When a test ends its pages are closed, as closing the browser did, so no page keeps a
// connection to a server the test stops. The browser itself is closed once no test holds
// it, unless the next test takes it at once.
let shared: Promise<Browser> | null = null;
let holders = 0;
let closing: NodeJS.Timeout | null = null;

function acquire(executablePath: string): Promise<Browser> {
  if (closing) clearTimeout(closing);
  closing = null;
  holders += 1;
  shared ??= chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  return shared;
}

async function release(): Promise<void> {
  holders -= 1;
  if (holders > 0) return;
  const browser = await shared?.catch(() => null);
  await Promise.all((browser?.contexts() ?? []).map((context) => context.close()));
  closing = setTimeout(() => {
    const browser = shared;
    shared = null;
    closing = null;
    void browser?.then((b) => b.close()).catch(() => {});
  }, 50);
}

/**
 * Headless Chromium for test `t` (shared with the file's other tests, released after `t`).
 * Without Chromium the test is skipped, or fails when REQUIRE_BROWSER=1 (so CI cannot pass
 * by skipping).
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
  const browser = acquire(executablePath);
  t.after(release);
  try {
    return await browser;
  } catch (error) {
    shared = null;
    throw error;
  }
}

/** The WCAG 2.x A and AA rules of axe-core: what every page and email of paperwire must pass. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Runs axe-core's WCAG A/AA rules on the page as it is now; returns one line per violation
 * (rule, what it asks, the first elements), empty when the page passes. A page served with a
 * Content-Security-Policy needs a context made with `bypassCSP: true` for the script to load.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA_TAGS)} } }).then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`,
  )) as { id: string; help: string; targets: string[] }[];
  return violations.map((v) => `${v.id}: ${v.help} (${v.targets.join(', ')})`);
}
