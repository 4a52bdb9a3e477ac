// The live preview server in a real headless Chromium: the pages, the email at
// phone widths, and live reload on template, subscriber-list and store changes.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { previewSource } from '../../src/app/preview.ts';
import { silentLogger } from '../../src/log.ts';
import { startPreviewServer } from '../../src/preview/index.ts';
import { openStore } from '../../src/store/index.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { type Playground, PREVIEW_PAPERS, playground, SUBSCRIBERS_YAML, topTitles } from './fixture.ts';

/** Starts the preview server on the playground, as `paperwire preview --serve --port PORT` does. */
function startOn(ground: Playground, port: number) {
  const { store, config } = ground;
  return startPreviewServer(previewSource({ store, config, log: silentLogger, clock: () => new Date() }), {
    port,
    host: '127.0.0.1',
    watch: { templatesDir: config.templatesDir, subscribersFile: config.subscribersFile },
  });
}

async function serve(t: TestContext, ground: Playground): Promise<string> {
  const server = await startOn(ground, 0);
  t.after(() => server.close());
  return server.url;
}

/** Waits until the page's live-reload stream is connected, so no change can slip past it. */
async function waitLive(page: Page): Promise<void> {
  await page.locator('#live.on').waitFor({ timeout: 10_000 });
}

const ADA = 's/ada%40example.org';

/** The text of the first match as a reader sees it, line breaks included. */
function shownText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText keeps the line breaks a reader sees.
  return locator.innerText();
}

test('the start page lists every subscriber with topics and content variant, escaped', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const ground = playground(t);
  const url = await serve(t, ground);
  const page = await browser.newPage();
  const response = await page.goto(url);
  assert.equal(response?.status(), 200);

  const rows = page.locator('tbody tr');
  assert.equal(await rows.count(), 3);
  assert.match(await shownText(rows.nth(0)), /ada@example\.org[\s\S]*Ada[\s\S]*quantization[\s\S]*diffusion/);
  assert.match(
    await shownText(rows.nth(0)),
    /For you: 3 papers/,
    'two diffusion papers and one quantization',
  );
  assert.match(await shownText(rows.nth(2)), /linus@example\.org[\s\S]*none[\s\S]*top 10 only/);
  // Ada and Grace see different "For you" parts; Linus (no topics) shares nobody's.
  const variants = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
  assert.equal(new Set(variants.map((text) => text.split(':')[0])).size, 3);
  // A name from the list is text, never markup.
  assert.match(await shownText(rows.nth(1)), /Grace <b>Admiral<\/b>/);
  assert.equal(await page.locator('tbody b').count(), 0);
  assert.match(await shownText(page.locator('.card h1')), /Edition \d{4}-W\d{2}/);
});

test("a subscriber's page: headers, size meter, desktop and mobile frames, plain text", async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const ground = playground(t);
  const url = await serve(t, ground);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  assert.equal((await page.goto(url + ADA))?.status(), 200);

  const headers = await shownText(page.locator('dl.headers'));
  for (const name of ['From', 'To', 'Subject', 'Message-ID', 'List-Id', 'List-Unsubscribe']) {
    assert.match(headers, new RegExp(`^${name}\\b`, 'm'), `shows ${name}`);
  }
  assert.match(headers, /Ada <ada@example\.org>/);
  assert.match(headers, /<mailto:[^>]+unsubscribe>/);

  const html = await (await fetch(`${url}${ADA}/html`)).text();
  const bytes = Buffer.byteLength(html);
  const meter = page.locator('.meter');
  assert.equal(await meter.getAttribute('data-html-bytes'), String(bytes));
  assert.match(await shownText(meter), new RegExp(`HTML ${(bytes / 1024).toFixed(1)} KB`));
  assert.match(await shownText(meter), /KB under the 100 KB clip limit/);
  assert.equal(await page.locator('.meter.warn').count(), 0, 'not red under 90 KB');

  const frames = page.locator('iframe');
  assert.equal(await frames.count(), 2);
  assert.equal(await frames.nth(0).getAttribute('width'), '600');
  assert.equal(await frames.nth(1).getAttribute('width'), '375');
  await page.frameLocator('iframe >> nth=1').getByText(topTitles(1)[0]!).first().waitFor();
  assert.equal(await page.locator('.sideways.on').count(), 0, 'neither frame scrolls sideways');

  const text = await shownText(page.locator('pre.text'));
  for (const title of topTitles(10)) assert.ok(text.includes(title), `plain text lists ${title}`);
  // A title with markup characters is shown as text inside the <pre>, not parsed.
  assert.equal(await page.locator('pre.text legacy').count(), 0);
});

test('the email at 375 and 320 px: no horizontal scroll, every top-10 title visible', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const ground = playground(t);
  const url = await serve(t, ground);
  for (const width of [375, 320]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto(`${url}${ADA}/html`);
    const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(scrollWidth <= width, `scrollWidth ${scrollWidth} ≤ ${width}`);
    for (const title of topTitles(10)) {
      // Exact: the hidden preheader also quotes the first title, inside a longer sentence.
      const shown = await page.getByText(title, { exact: true }).all();
      assert.ok(shown.length >= 1, `"${title}" is in the email`);
      for (const element of shown) assert.ok(await element.isVisible(), `"${title}" visible at ${width} px`);
    }
    await page.close();
  }
});

test('a template edit reaches the open page within 2 seconds; a broken one shows an error box until fixed', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const ground = playground(t);
  const url = await serve(t, ground);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url + ADA);
  await waitLive(page);

  const footer = join(ground.templatesDir, 'partials', 'footer.hbs');
  const original = readFileSync(footer, 'utf8');
  const marker = `preview-marker-${Date.now()}`;
  const started = Date.now();
  appendFileSync(footer, `<mj-section><mj-column><mj-text>${marker}</mj-text></mj-column></mj-section>\n`);
  await page.frameLocator('iframe >> nth=0').getByText(marker).waitFor({ timeout: 10_000 });
  // When the reloaded document (frames included) finished loading, by the wall clock the
  // browser shares with this process: exact, unlike the moment Playwright's polling noticed it.
  const loadedAt = (await page.evaluate(
    'performance.timeOrigin + performance.getEntriesByType("navigation")[0].loadEventStart',
  )) as number;
  const elapsed = Math.round(loadedAt - started);
  assert.ok(elapsed > 0, 'the page was reloaded after the edit');
  t.diagnostic(`the template edit showed on the open page after ${elapsed} ms`);
  assert.ok(elapsed <= 2000, `the edit showed after ${elapsed} ms`);

  await waitLive(page);
  writeFileSync(footer, `${original}\n{{#if more}}\n<mj-text>never closed</mj-text>\n`);
  const box = page.locator('.error[data-error-code="E_TEMPLATE"]');
  await box.waitFor({ timeout: 10_000 });
  assert.match(await shownText(box), /footer\.hbs/, 'the error names the template file');
  assert.equal(await page.locator('iframe').count(), 0);

  await waitLive(page);
  writeFileSync(footer, original);
  await page.frameLocator('iframe >> nth=0').getByText(topTitles(1)[0]!).first().waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.error').count(), 0, 'the fix recovers the page');
});

test('editing the subscriber list reloads the open start page', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const ground = playground(t);
  const url = await serve(t, ground);
  const page = await browser.newPage();
  await page.goto(url);
  await waitLive(page);
  assert.equal(await page.locator('tbody tr').count(), 3);

  writeFileSync(
    ground.subscribersFile,
    `${SUBSCRIBERS_YAML}  - email: margaret@example.org\n    topics: [speech]\n`,
  );
  await page.getByText('margaret@example.org').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('tbody tr').count(), 4);
});

test('papers ingested by another process reload the open page', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const ground = playground(t, { papers: PREVIEW_PAPERS.slice(0, 5) });
  const url = await serve(t, ground);
  const page = await browser.newPage();
  await page.goto(url);
  await waitLive(page);
  assert.match(await shownText(page.locator('.card h1 + p')), /^5 papers/);

  const other = openStore(ground.config.dbPath);
  t.after(() => other.close());
  other.papers.upsert(PREVIEW_PAPERS.slice(5), new Date());
  await page.getByText(`${PREVIEW_PAPERS.length} papers`).waitFor({ timeout: 10_000 });
});

test('answers only GET, only for its own host names; unknown subscribers are 404', async (t) => {
  const ground = playground(t);
  const url = await serve(t, ground);
  assert.equal((await fetch(url, { method: 'POST' })).status, 405);
  assert.equal((await fetch(`${url}s/nobody%40example.org`)).status, 404);
  assert.equal((await fetch(`${url}s/%E0%A4%A`)).status, 400);
  assert.equal((await fetch(`${url}nowhere`)).status, 404);
  const text = await fetch(`${url}${ADA}/text`);
  assert.equal(text.status, 200);
  assert.match(text.headers.get('content-type') ?? '', /^text\/plain/);
  assert.ok((await text.text()).includes(topTitles(1)[0]!));
  const email = await fetch(`${url}${ADA}/html`);
  assert.match(
    email.headers.get('content-security-policy') ?? '',
    /default-src 'none'/,
    'the email may run no script',
  );

  // A page on another site cannot read the preview through a DNS name pointing here.
  const { port } = new URL(url);
  const rebound = await new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', headers: { host: `attacker.example:${port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
  assert.equal(rebound, 403);
});

test('a port in use is E_USAGE naming --port', async (t) => {
  const ground = playground(t);
  const first = await startOn(ground, 0);
  t.after(() => first.close());
  const port = Number(new URL(first.url).port);
  await assert.rejects(startOn(ground, port), { code: 'E_USAGE' });
});

test('the size meter turns red past 90 KB (a big edition the clip guard squeezed under 100 KB)', async (t) => {
  const long = 'A sentence of a very long abstract that goes on. '.repeat(100);
  const papers = Array.from({ length: 60 }, (_, index) => ({
    ...PREVIEW_PAPERS[index % PREVIEW_PAPERS.length]!,
    id: `2612.${String(20000 + index)}`,
    arxivId: `2612.${String(20000 + index)}`,
    title: `Paper number ${index + 1} with a long title about scaling laws`,
    abstract: long,
    upvotes: 500 - index,
  }));
  const ground = playground(t, { papers, env: { MAX_PAPERS: '60' } });
  const url = await serve(t, ground);
  const page = await (await fetch(url + ADA)).text();
  const bytes = Number(/data-html-bytes="(\d+)"/.exec(page)?.[1]);
  assert.ok(bytes > 90 * 1024 && bytes <= 100 * 1024, `${bytes} bytes`);
  assert.match(page, /class="meter warn"/);
});

test('without a subscriber list the start page shows the sample reader', async (t) => {
  const ground = playground(t, { subscribers: null });
  const url = await serve(t, ground);
  const page = await (await fetch(url)).text();
  assert.match(page, /reader@example\.org/);
  assert.match(page, /does not exist yet/);
  assert.equal((await fetch(`${url}s/reader%40example.org/html`)).status, 200);
});

test("the preview's own pages at 375 px: no sideways scroll, the bar and controls in view", async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const ground = playground(t);
  const url = await serve(t, ground);
  const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  for (const path of ['', ADA]) {
    await page.goto(url + path);
    await page.locator('main .card').first().waitFor();
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= 375, `${path || 'start page'}: ${width} px wide`);
    const controls = await page.$$eval('header.bar > *, nav.crumbs > *', (nodes) =>
      nodes.map((node) => {
        const box = node.getBoundingClientRect();
        return { text: node.textContent?.trim().slice(0, 30), left: box.left, right: box.right };
      }),
    );
    for (const control of controls) {
      assert.ok(
        control.left >= 0 && control.right <= 375,
        `${path || 'start page'}: "${control.text}" in view (${control.left}–${control.right})`,
      );
    }
  }
  // The email frames keep their real widths (600 and 375 px) and scroll inside their own box.
  const frames = await page.$$eval('iframe', (nodes) => nodes.map((node) => node.getAttribute('width')));
  assert.deepEqual(frames, ['600', '375']);
});

test('the start page shows the newsletter: name, List-Id, postal address, archive', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const ground = playground(t, {
    env: {
      LIST_NAME: 'Lab Weekly',
      POSTAL_ADDRESS: 'Example Lab, 1 Main Street, Springfield',
      ARCHIVE_URL: 'https://papers.example.org/archive',
      LIST_ID: 'weekly.lab.example.org',
    },
  });
  const url = await serve(t, ground);
  const page = await browser.newPage();
  await page.goto(url);
  const card = page.locator('section[aria-labelledby="newsletter"]');
  const text = await shownText(card);
  for (const value of [
    'Lab Weekly',
    'weekly.lab.example.org',
    'Example Lab, 1 Main Street, Springfield',
    'https://papers.example.org/archive/',
  ]) {
    assert.ok(text.includes(value), `shows ${value}`);
  }
});
