// The web archive, as readers meet it: three weekly runs write it, `paperwire serve`
// serves it under ARCHIVE_URL's path, and headless Chromium reads it — the index links
// every edition, each page lists every paper (also those past MAX_PAPERS), no page holds
// a subscriber's address or token, and axe-core finds no WCAG A/AA violation in light and
// dark mode at 375 and 1280 px. feed.xml is parsed as XML and checked as Atom.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../../src/config/index.ts';
import { unsubscribeToken } from '../../src/unsubscribe/index.ts';
import { axeViolations, launchBrowser } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';
import { startProjectSite } from '../helpers/site.ts';
import { addEntries, workspace } from '../schedule/helpers.ts';

const SECRET = 'an-archive-test-secret-of-enough-length';
// Each Monday's run sends the week before it (EDITION_WEEK=previous): 2026-W47, W48, W49.
const MONDAYS = ['2026-11-23T09:00:00Z', '2026-11-30T09:00:00Z', '2026-12-07T09:00:00Z'];
/** Papers per week: the second week has more than MAX_PAPERS (3). */
const PER_WEEK = [2, 7, 4];

/** Three weekly runs (with an archive configured) in a fresh workspace; the archive is written by each run. */
async function threeWeeks(t: { after: (fn: () => void) => void }) {
  const ws = workspace(t, 3);
  const env = ws.env({
    MAX_PAPERS: '3',
    LIST_NAME: 'Lab Weekly',
    POSTAL_ADDRESS: 'Example Lab, 1 Main Street, Springfield',
    PUBLIC_URL: 'https://papers.example.org/news',
    UNSUBSCRIBE_SECRET: SECRET,
  });
  const titles: string[][] = [];
  for (const [index, monday] of MONDAYS.entries()) {
    const file = addEntries(ws.inbox, PER_WEEK[index]!);
    titles.push(
      (JSON.parse(readFileSync(file, 'utf8')) as { papers: { title: string }[] }).papers.map((p) => p.title),
    );
    const run = await runCli(['run'], { cwd: ws.dir, env, clock: () => new Date(monday) });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^archive: ${index + 1} editions? in `, 'm'));
  }
  const config = loadConfig(env, ws.dir);
  return { ws, env, config, titles, archive: config.archiveDir };
}

test('three weekly runs write index.html, a page per edition with every paper, and feed.xml, with no subscriber in them', async (t) => {
  const { ws, archive, titles } = await threeWeeks(t);
  assert.deepEqual(readdirSync(archive).sort(), [
    '2026-W47',
    '2026-W48',
    '2026-W49',
    'feed.xml',
    'index.html',
  ]);
  const index = readFileSync(join(archive, 'index.html'), 'utf8');
  // Newest first, each with week, dates and paper count.
  const order = ['2026-W49', '2026-W48', '2026-W47'].map((id) => index.indexOf(`href="${id}/"`));
  assert.ok(order.every((at) => at > 0) && order[0]! < order[1]! && order[1]! < order[2]!, `order ${order}`);
  assert.match(index, /Week 48, 2026<\/a><\/h2>\n<p class="meta">23–29 November 2026 · 7 papers<\/p>/);
  for (const [i, id] of ['2026-W47', '2026-W48', '2026-W49'].entries()) {
    const page = readFileSync(join(archive, id, 'index.html'), 'utf8');
    for (const title of titles[i]!)
      assert.ok(page.includes(title.replace(/&/g, '&amp;')), `${id} lists ${title}`);
    assert.equal(
      page.match(/<li id="paper-\d+">/g)?.length,
      PER_WEEK[i],
      `${id}: every paper, past MAX_PAPERS too`,
    );
    assert.match(page, /Example Lab, 1 Main Street, Springfield/);
  }
  for (const file of [
    'index.html',
    'feed.xml',
    '2026-W47/index.html',
    '2026-W48/index.html',
    '2026-W49/index.html',
  ]) {
    const text = readFileSync(join(archive, file), 'utf8');
    for (const email of ws.emails) {
      assert.ok(!text.includes(email), `${file} holds no address`);
      assert.ok(
        !text.includes(unsubscribeToken(SECRET, 'weekly.paperwire.invalid', email)),
        `${file} holds no token`,
      );
    }
    assert.doesNotMatch(text, /@example\.org|token=|unsubscribe/i, `${file}: nothing about subscribers`);
  }
});

test('feed.xml is Atom: id, title, updated, author, self link, and an entry per edition with its full list', async (t) => {
  const { archive, titles } = await threeWeeks(t);
  const xml = readFileSync(join(archive, 'feed.xml'), 'utf8');
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml);
  const feed = parsed.feed;
  assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  assert.equal(feed.id, 'https://papers.example.org/news/archive/');
  assert.equal(feed.title, 'Lab Weekly');
  assert.ok(!Number.isNaN(Date.parse(feed.updated)), `updated ${feed.updated}`);
  assert.equal(feed.author.name, 'Lab Weekly');
  const links = [feed.link].flat();
  assert.ok(
    links.some(
      (link: Record<string, string>) =>
        link['@rel'] === 'self' && link['@href'] === 'https://papers.example.org/news/archive/feed.xml',
    ),
  );
  const entries = [feed.entry].flat();
  assert.equal(entries.length, 3);
  assert.deepEqual(
    entries.map((entry: { id: string }) => entry.id),
    ['2026-W49', '2026-W48', '2026-W47'].map((id) => `https://papers.example.org/news/archive/${id}/`),
  );
  for (const [i, entry] of entries.entries()) {
    assert.ok(entry.title, 'entry title');
    assert.ok(!Number.isNaN(Date.parse(entry.updated)), 'entry updated');
    assert.equal(entry.content['@type'], 'html');
    const content = String(entry.content['#text']);
    // Entries are newest first; titles[] is oldest first.
    for (const title of titles[2 - i]!)
      assert.ok(content.includes(title.replace(/&/g, '&amp;')), `entry ${i} lists ${title}`);
  }
});

test("serve: the archive at ARCHIVE_URL's path, in Chromium: links work, every paper listed, axe clean light and dark at 375 and 1280 px", async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const { config, titles } = await threeWeeks(t);
  const site = await startProjectSite(t, config);
  const base = `${site.url}/news/archive/`;
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [375, 1280]) {
      // The site's Content-Security-Policy forbids scripts; axe is injected past it.
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        colorScheme,
        bypassCSP: true,
      });
      const page = await context.newPage();
      assert.equal((await page.goto(base))?.status(), 200);
      const where = `${colorScheme} ${width}px`;
      assert.deepEqual(await axeViolations(page), [], `index, ${where}`);
      assert.ok(
        ((await page.evaluate('document.documentElement.scrollWidth')) as number) <= width,
        `index fits ${where}`,
      );
      const editions = await page.$$eval('main h2 a', (links) =>
        links.map((link) => (link as unknown as { href: string }).href),
      );
      assert.equal(editions.length, 3);
      for (const [i, href] of editions.entries()) {
        assert.equal((await page.goto(href))?.status(), 200, href);
        const papers = await page.$$eval('main li h2', (nodes) =>
          nodes.map((node) => node.textContent?.trim()),
        );
        assert.deepEqual(papers, titles[2 - i], `${href} lists every paper`);
        assert.deepEqual(await axeViolations(page), [], `${href}, ${where}`);
        assert.ok(
          ((await page.evaluate('document.documentElement.scrollWidth')) as number) <= width,
          `${href} fits ${where}`,
        );
        // Back to the index by its own link.
        await page.click('header a.brand');
        assert.equal(page.url(), base);
      }
      await context.close();
    }
  }
});

test('serve: caching headers and 304, redirects to the folder, HEAD, and nothing outside the archive', async (t) => {
  const { config } = await threeWeeks(t);
  const site = await startProjectSite(t, config);
  const at = (path: string, init?: RequestInit) =>
    fetch(`${site.url}/news${path}`, { redirect: 'manual', ...init });
  const page = await at('/archive/2026-W48/');
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'public, max-age=300');
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const etag = page.headers.get('etag');
  assert.ok(etag && page.headers.get('last-modified'));
  assert.equal((await at('/archive/2026-W48/', { headers: { 'If-None-Match': etag } })).status, 304);
  const feed = await at('/archive/feed.xml');
  assert.match(feed.headers.get('content-type') ?? '', /^application\/atom\+xml/);
  const bare = await at('/archive/2026-W48');
  assert.equal(bare.status, 301);
  assert.equal(
    new URL(bare.headers.get('location') ?? '', `${site.url}/news/archive/2026-W48`).pathname,
    '/news/archive/2026-W48/',
  );
  assert.equal((await at('/archive')).status, 301);
  const head = await at('/archive/', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal((await head.text()).length, 0);
  assert.equal((await at('/archive/', { method: 'POST', body: 'x' })).status, 405);
  for (const path of [
    '/archive/../paperwire.db',
    '/archive/%2e%2e/paperwire.db',
    '/archive/.1234.tmp',
    '/archive/nothing/',
  ]) {
    assert.equal((await at(path)).status, 404, path);
  }
  // The unsubscribe endpoint still answers beside it.
  assert.equal((await at('/unsubscribe?token=bad')).status, 400);
});

test('paperwire archive --out DIR writes the same archive elsewhere; with nothing delivered, an empty index (and feed with ARCHIVE_URL)', async (t) => {
  const { ws, env } = await threeWeeks(t);
  const out = await runCli(['archive', '--out', 'site'], { cwd: ws.dir, env });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^archive: 3 editions \(2026-W49 newest\) written to site$/m);
  assert.match(out.stdout, /readers find it at https:\/\/papers\.example\.org\/news\/archive\//);
  assert.deepEqual(readdirSync(join(ws.dir, 'site')).sort(), [
    '2026-W47',
    '2026-W48',
    '2026-W49',
    'feed.xml',
    'index.html',
  ]);

  // A folder that cannot be written (here a file stands where it should be) is a usage error.
  writeFileSync(join(ws.dir, 'taken'), 'a file\n');
  const refused = await runCli(['archive', '--out', 'taken'], { cwd: ws.dir, env });
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /--out DIR/);

  const fresh = workspace(t, 1);
  const empty = await runCli(['archive'], { cwd: fresh.dir, env: fresh.env() });
  assert.equal(empty.status, 0, empty.stderr);
  assert.match(empty.stdout, /no edition delivered yet/);
  assert.match(empty.stdout, /no ARCHIVE_URL or PUBLIC_URL is set/);
  assert.match(readFileSync(join(fresh.stateDir, 'archive', 'index.html'), 'utf8'), /All editions/);
  // A feed needs absolute links: without ARCHIVE_URL there is none, and no page links one.
  assert.deepEqual(readdirSync(join(fresh.stateDir, 'archive')), ['index.html']);
  assert.doesNotMatch(readFileSync(join(fresh.stateDir, 'archive', 'index.html'), 'utf8'), /feed\.xml/);

  const listed = workspace(t, 1);
  const withUrl = await runCli(['archive'], {
    cwd: listed.dir,
    env: listed.env({ ARCHIVE_URL: 'https://static.example.org/past' }),
  });
  assert.equal(withUrl.status, 0, withUrl.stderr);
  const feed = new XMLParser().parse(readFileSync(join(listed.stateDir, 'archive', 'feed.xml'), 'utf8')).feed;
  assert.equal(feed.id, 'https://static.example.org/past/');
  assert.equal(feed.entry, undefined);
});

test('a sent email, LIST_NAME, POSTAL_ADDRESS and PUBLIC_URL set: subject, footer, and its links land on its archive page', async (t) => {
  const { ws, config, titles } = await threeWeeks(t);
  const dir = join(ws.stateDir, 'outbox', '2026-W48');
  const file = readdirSync(dir).find((name) => name.startsWith('s1@example.org'));
  assert.ok(file, 'the outbox holds s1 message');
  const mail = await simpleParser(readFileSync(join(dir, file)));
  assert.equal(mail.subject, `Lab Weekly, week 48: ${titles[1]![0]} and 6 more`);
  const html = String(mail.html);
  assert.match(html, /You receive Lab Weekly because s1@example\.org is subscribed/);
  assert.match(html, /<p[^>]*>Example Lab, 1 Main Street, Springfield<\/p>/);
  assert.match(mail.text ?? '', /^Example Lab, 1 Main Street, Springfield$/m);
  const page = 'https://papers.example.org/news/archive/2026-W48/';
  const view = [...html.matchAll(/<a href="([^"]+)"[^>]*>View in your browser<\/a>/g)].map((m) => m[1]);
  assert.deepEqual(view, [page, page], 'in the header and the footer');
  const more = /\+4 more papers this week: <a href="([^"]+)"/.exec(html)?.[1];
  assert.equal(more, `${page}#paper-4`);

  // Those links resolve on the site `serve` runs: the page is there and holds paper #4 and the rest.
  const site = await startProjectSite(t, config);
  const served = await fetch(`${site.url}${new URL(page).pathname}`);
  assert.equal(served.status, 200);
  const body = await served.text();
  for (const rank of [4, 5, 6, 7]) assert.match(body, new RegExp(`<li id="paper-${rank}">`));
});
