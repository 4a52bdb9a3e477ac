// Every page of the sign-up, preferences and unsubscribe flow passes axe-core's WCAG 2.x
// A/AA rules in light and dark, on a phone (375 px) and a desktop (1280 px), and never
// needs sideways scrolling. The pages are fetched from the real site, then laid out in Chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { confirmationToken, preferencesToken } from '../../src/signup/index.ts';
import { unsubscribeToken } from '../../src/unsubscribe/index.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { LIST_ID, postForm, SECRET, startSignupSite } from './helpers.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

test('the pages pass axe-core WCAG A/AA, light and dark, at 375 and 1280 px', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  // Two sign-ups an hour: the third form below is the 429.
  const setup = await startSignupSite(t, { env: { SIGNUP_RATE_PER_HOUR: '2' } });
  const { base } = setup;
  const now = new Date('2026-11-23T09:00:00Z');
  const request = { email: 'ada@example.org', name: 'Ada', topics: ['diffusion'] };
  const confirm = `${base}/subscribe/confirm?token=${confirmationToken(SECRET, LIST_ID, request, now)}`;
  const expired = `${base}/subscribe/confirm?token=${confirmationToken(SECRET, LIST_ID, request, new Date(0))}`;
  const grace = `${base}/preferences?token=${preferencesToken(SECRET, LIST_ID, 'grace@example.org')}`;
  const get = async (url: string) => (await fetch(url)).text();
  const post = async (url: string, fields: [string, string][]) => (await postForm(url, fields)).text();

  const pages: [string, string][] = [
    ['sign-up form', await get(`${base}/subscribe`)],
    ['sign-up form with an error', await post(`${base}/subscribe`, [['email', 'not an address']])],
    ['check your inbox', await post(`${base}/subscribe`, [['email', 'bob@example.org']])],
    // The confirmation page submits itself; without its script it is the page a scanner sees.
    ['confirm', (await get(confirm)).replace(/<script>[\s\S]*?<\/script>/, '')],
    ['confirmed', await post(confirm, [['confirm', 'yes']])],
    ['expired link', await get(expired)],
    ['invalid link', await get(`${base}/preferences?token=forged`)],
    ['preferences of a listed reader', await get(grace)],
    [
      'preferences saved',
      await post(grace, [
        ['save', 'yes'],
        ['topics', 'robotics'],
      ]),
    ],
    [
      'preferences of a web subscriber',
      await get(`${base}/preferences?token=${preferencesToken(SECRET, LIST_ID, 'ada@example.org')}`),
    ],
    ['too many sign-ups', await post(`${base}/subscribe`, [['email', 'carol@example.org']])],
    [
      'unsubscribe confirm',
      await get(`${base}/unsubscribe?token=${unsubscribeToken(SECRET, LIST_ID, 'ada@example.org')}`),
    ],
  ];
  assert.match(pages.at(-2)![1], /Too many sign-ups/, 'the rate limit page is the 429');

  const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
  t.after(() => context.close());
  const page = await context.newPage();
  const failures: string[] = [];
  for (const [name, html] of pages) {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [375, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme });
        await page.setContent(html);
        await page.addScriptTag({ content: AXE_SOURCE });
        // Strings, not functions: this project compiles without the DOM's types.
        const violations = (await page.evaluate(
          `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} } }).then((r) => r.violations)`,
        )) as Violation[];
        for (const violation of violations) {
          failures.push(
            `${name} (${colorScheme}, ${width}px): ${violation.id}: ${violation.help} at ${violation.nodes
              .map((node) => node.target.join(' '))
              .join(', ')}`,
          );
        }
        const overflow = (await page.evaluate(
          'document.documentElement.scrollWidth - window.innerWidth',
        )) as number;
        if (overflow > 0)
          failures.push(`${name} (${colorScheme}, ${width}px): ${overflow} px wider than the window`);
      }
    }
  }
  assert.deepEqual(failures, []);
});
