// The render against real data in ../shared: the seed page (35 papers, no links,
// no upvotes) and a saved Hugging Face daily papers response.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freezeEdition } from '../../src/edition/index.ts';
import { ingestSources } from '../../src/ingest/index.ts';
import { CLIP_LIMIT_BYTES, loadTemplates, prepareEdition, renderEmail } from '../../src/render/index.ts';
import { tempStore } from '../edition/helpers.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { TEMPLATES_DIR, UNSUBSCRIBE_URL } from './helpers.ts';

const shared = (path: string) => fileURLToPath(new URL(`../../../shared/${path}`, import.meta.url));
const SEED = shared('seeds/000_5233890ffdda0128.txt');
const DAILY = shared('realdata/hf-daily-papers/2025-03-17.json');

/** Ingests `source`, freezes the edition of `week` (the week its papers are featured in) and renders it. */
async function renderSource(
  t: Parameters<typeof tempStore>[0],
  source: string,
  week: string,
  topics: string[],
) {
  const { store } = tempStore(t);
  const report = await ingestSources(store, [source], {
    fetchTimeoutMs: 1000,
    fetchMaxAttempts: 1,
    clock: () => new Date('2025-03-17T08:00:00Z'),
  });
  assert.ok(report.totals.new > 0);
  const frozen = freezeEdition(store, week, new Date('2025-03-17T08:00:00Z'));
  assert.ok(frozen.status === 'created');
  const prepared = await prepareEdition(frozen.edition, loadTemplates(TEMPLATES_DIR), { maxPapers: 10 });
  const email = await renderEmail(
    prepared,
    { email: 'reader@example.org', name: 'Reader', topics },
    {
      unsubscribeUrl: UNSUBSCRIBE_URL,
    },
  );
  return { edition: frozen.edition, email };
}

test('the seed page renders under 100 KB, listing the top 10 titles in HTML and text', async (t) => {
  if (!existsSync(SEED))
    return t.skip("../shared/seeds not found: this test needs ../shared (the mission's shared folder)");
  const { edition, email } = await renderSource(t, SEED, '2025-W11', ['reinforcement learning']); // the page of Friday 14 March
  assert.equal(edition.papers.length, 35);
  assert.ok(Buffer.byteLength(email.html) <= CLIP_LIMIT_BYTES);
  for (const { paper } of edition.papers.slice(0, 10)) {
    const escaped = paper.title.replaceAll('&', '&amp;').replaceAll("'", '&#x27;').replaceAll('"', '&quot;');
    assert.ok(email.html.includes(escaped), `HTML lists ${paper.title}`);
    assert.ok(email.text.includes(paper.title.slice(0, 40)), `text lists ${paper.title}`);
  }
  assert.match(email.html, /\+25 more papers this week/);
  assert.match(email.html, /For you<\/h2>/, 'a paper of the seed mentions reinforcement learning');
  assert.doesNotMatch(email.html, /href=""/);
});

test('a Hugging Face daily papers response renders with upvotes, AI summaries and code links', async (t) => {
  if (!existsSync(DAILY))
    return t.skip("../shared/realdata not found: this test needs ../shared (the mission's shared folder)");
  const { edition, email } = await renderSource(t, DAILY, '2025-W12', []);
  assert.ok(Buffer.byteLength(email.html) <= CLIP_LIMIT_BYTES);
  const top = edition.papers[0]!.paper;
  assert.ok(top.upvotes !== null && top.upvotes > 0);
  assert.match(email.html, new RegExp(`▲ ${top.upvotes} upvotes`));
  assert.match(email.html, /<strong>TL;DR<\/strong>|class="pw-links"/);
  const browser = await launchBrowser(t);
  if (!browser) return;
  const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  await page.setContent(email.html);
  assert.ok(((await page.evaluate('document.documentElement.scrollWidth')) as number) <= 375);
});
