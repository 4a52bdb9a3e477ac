// What a reader sees, checked in a real headless Chromium: no horizontal scroll
// from 320 to 600 px, every title visible, text contrast of at least 4.5:1 in light
// and dark mode, links underlined; plus the markup mail clients rely on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTemplates, prepareEdition, renderEmail } from '../../src/render/index.ts';
import type { RenderedEmail } from '../../src/types.ts';
import { axeViolations, launchBrowser } from '../helpers/browser.ts';
import { ADA, fixtureEdition, TEMPLATES_DIR, UNSUBSCRIBE_URL } from './helpers.ts';

async function emails(): Promise<RenderedEmail[]> {
  const prepared = await prepareEdition(fixtureEdition(), loadTemplates(TEMPLATES_DIR), { maxPapers: 10 });
  return [
    await renderEmail(prepared, ADA, { unsubscribeUrl: UNSUBSCRIBE_URL }),
    await renderEmail(
      prepared,
      { email: 'bob@example.org', name: null, topics: [] },
      { unsubscribeUrl: UNSUBSCRIBE_URL },
    ),
  ];
}

/** Runs in the page: every visible text run with its contrast ratio against the background behind it. */
const CONTRAST_SCRIPT = `(() => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return parse(getComputedStyle(document.documentElement).backgroundColor) ?? { r: 255, g: 255, b: 255 };
  };
  const runs = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    const box = el.getBoundingClientRect();
    if (!text || box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    const fg = luminance(parse(style.color));
    const bg = luminance(background(el));
    runs.push({ text: text.slice(0, 50), ratio: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05) });
  }
  return runs;
})()`;

const LAYOUT_SCRIPT = `(() => ({
  scrollWidth: document.documentElement.scrollWidth,
  titles: [...document.querySelectorAll('.pw-title a')].map((a) => {
    const box = a.getBoundingClientRect();
    return { text: a.textContent, left: box.left, right: box.right, height: box.height };
  }),
  notUnderlined: [...document.querySelectorAll('a')]
    .filter((a) => !getComputedStyle(a).textDecorationLine.includes('underline'))
    .map((a) => a.textContent),
}))()`;

interface Layout {
  scrollWidth: number;
  titles: { text: string; left: number; right: number; height: number }[];
  notUnderlined: string[];
}

test('the HTML declares language, colour schemes and dark styles; no image without alt, no empty link', async () => {
  for (const { html } of await emails()) {
    assert.match(html, /<html lang="en"/);
    assert.match(html, /<meta name="color-scheme" content="light dark">/);
    assert.match(html, /<meta name="supported-color-schemes" content="light dark">/);
    assert.match(html, /@media \(prefers-color-scheme: dark\)/);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.deepEqual(html.match(/<img(?![^>]*\balt=)[^>]*>/g), null, 'every image has alt text');
    assert.doesNotMatch(html, /href=""|href="\s*#?\s*"/);
    assert.doesNotMatch(html, /fonts\.googleapis/, 'no remote fonts');
  }
});

test('in Chromium: no horizontal scroll at 320, 375 and 600 px, every title visible, links underlined', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const [ada] = await emails();
  for (const width of [320, 375, 600]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.setContent(ada!.html);
    const layout = (await page.evaluate(LAYOUT_SCRIPT)) as Layout;
    assert.ok(layout.scrollWidth <= width, `${width}px: scrollWidth ${layout.scrollWidth}`);
    assert.equal(layout.titles.length, 9);
    for (const title of layout.titles) {
      assert.ok(
        title.height > 0 && title.left >= 0 && title.right <= width,
        `${width}px: "${title.text}" in view`,
      );
    }
    assert.deepEqual(layout.notUnderlined, [], 'links are distinguishable without colour');
    await page.close();
  }
});

test('in Chromium: every visible text has contrast of at least 4.5:1, in light and in dark mode', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  for (const email of await emails()) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width: 600, height: 800 }, colorScheme });
      await page.setContent(email.html);
      const card = await page.evaluate(
        "getComputedStyle(document.querySelector('.pw-card')).backgroundColor",
      );
      assert.equal(
        card,
        colorScheme === 'dark' ? 'rgb(30, 41, 59)' : 'rgb(255, 255, 255)',
        'the scheme applies',
      );
      const runs = (await page.evaluate(CONTRAST_SCRIPT)) as { text: string; ratio: number }[];
      assert.ok(runs.length > 50, `${runs.length} text runs checked`);
      const poor = runs
        .filter((run) => run.ratio < 4.5)
        .map((run) => `${run.text} (${run.ratio.toFixed(2)})`);
      assert.deepEqual(poor, [], `${colorScheme} mode`);
      await page.close();
    }
  }
});

test('in Chromium: axe-core finds no WCAG A/AA violation, light and dark, at 375 and 600 px', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  for (const email of await emails()) {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [375, 600]) {
        const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
        await page.setContent(email.html);
        assert.deepEqual(await axeViolations(page), [], `${colorScheme}, ${width} px`);
        await page.close();
      }
    }
  }
});

test('in Chromium: each paper title is a heading, repeated links name their paper, For you links to the cards', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const [ada] = await emails();
  const page = await browser.newPage();
  await page.setContent(ada!.html);
  const headings = await page.$$eval('h3', (nodes) => nodes.map((node) => node.textContent?.trim()));
  assert.equal(headings.length, 9);
  assert.equal(headings[0], 'Sparse Diffusion Transformers Learn Faster with Token Dropping');
  // A screen reader's list of links tells the PDFs apart.
  const pdfs = await page.getByRole('link', { name: /^PDF: / }).allTextContents();
  assert.ok(pdfs.length >= 5 && pdfs.every((text) => text === 'PDF'), `${pdfs.length} PDF links`);
  assert.equal(
    await page
      .getByRole('link', { name: 'PDF: Sparse Diffusion Transformers Learn Faster with Token Dropping' })
      .count(),
    1,
  );
  // "For you" points at the cards below instead of repeating their links.
  const forYou = await page.$$eval('.pw-foryou a', (links) => links.map((link) => link.getAttribute('href')));
  assert.deepEqual(forYou, ['#paper-1', '#paper-2', '#paper-3', '#paper-5']);
  for (const href of forYou) assert.equal(await page.locator(href!).count(), 1, `${href} exists`);
  // Outlook on Windows ignores padding on divs: the box and the cards are spaced by table cells.
  const spaced = await page.$$eval('.pw-foryou, .pw-rule', (nodes) => nodes.map((node) => node.tagName));
  assert.ok(spaced.length >= 10 && spaced.every((tag) => tag === 'TD'), spaced.join(' '));
  await page.close();
});
