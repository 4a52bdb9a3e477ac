// The whole sign-up as a reader lives it, in headless Chromium against the public site
// and a real SMTP sink: the form, the confirmation email, the link (a GET alone confirms
// nobody), the confirmation, the next `send` with their topics in "For you", a change of
// topics on the preferences page, and the edition after that following it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { sendEdition } from '../../src/app/send.ts';
import type { Paper } from '../../src/types.ts';
import { makePapers, noDelay } from '../deliver/helpers.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { confirmationLink, local, startSignupSite } from './helpers.ts';

/** Papers featured in ISO week `week` of November 2026, ids and titles of their own. */
function papersOf(prefix: string, day: string, idBase: number): Paper[] {
  return makePapers(8, prefix).map((paper, i) => ({
    ...paper,
    id: `2611.${idBase + i}`,
    arxivId: `2611.${idBase + i}`,
    links: { arxiv: `https://arxiv.org/abs/2611.${idBase + i}` },
    publishedAt: `${day}T00:00:00.000Z`,
  }));
}

/** The topics the "For you" part of a plain-text edition lists, e.g. ['diffusion', 'diffusion']. */
function forYouTopics(text: string): string[] {
  const part = /FOR YOU\n([\s\S]*?)\n\n/.exec(text)?.[1] ?? '';
  return [...part.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]!);
}

test('a reader signs up in the browser, confirms, gets the next edition with their topics, and changes them', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const setup = await startSignupSite(t, { start: '2026-11-23T09:00:00Z' });
  const { store, sink, ctx } = setup;
  store.papers.upsert(papersOf('study', '2026-11-19', 20000), new Date('2026-11-20T00:00:00Z'));

  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  t.after(() => context.close());
  const page = await context.newPage();

  // 1. The form.
  await page.goto(`${setup.base}/subscribe`);
  await page.getByLabel('Email address').fill('ada@example.org');
  await page.getByLabel('Name').fill('Ada');
  await page.getByLabel('diffusion').check();
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await page.waitForSelector('h1:text("Check your inbox")');
  assert.deepEqual(await context.cookies(), [], 'no cookies');

  // 2. The confirmation email.
  await sink.waitForAccepted(1);
  const confirmation = sink.receivedBy('ada@example.org');
  assert.equal(confirmation.length, 1);
  const link = local(setup, await confirmationLink(confirmation[0]!.raw));

  // 3. A scanner follows the link: a plain GET, and a browser without JavaScript. Nobody is subscribed.
  assert.equal((await fetch(link)).status, 200);
  const scanner = await browser.newContext({ javaScriptEnabled: false });
  t.after(() => scanner.close());
  const scanned = await scanner.newPage();
  await scanned.goto(link);
  assert.equal(await scanned.locator('h1').textContent(), 'Confirm your subscription');
  assert.equal(store.webSubscribers.find('ada@example.org'), null, 'following the link confirms nobody');

  // 4. The reader's browser runs the page's script, which presses the button: subscribed.
  await page.goto(link);
  await page.waitForSelector('h1:text("You are subscribed")');
  assert.deepEqual(store.webSubscribers.find('ada@example.org')?.topics, ['diffusion']);

  // 5. The next send reaches them, with their topics in "For you", and a link to manage them.
  const first = await sendEdition(ctx, { retryDelayMs: noDelay });
  assert.equal(first.kind, 'delivered');
  const [edition] = sink.receivedBy('ada@example.org').slice(1);
  assert.ok(edition, 'the edition reached the new reader');
  const firstMail = await simpleParser(edition.raw);
  assert.match(firstMail.text ?? '', /Hi Ada,/);
  const topics = forYouTopics(firstMail.text ?? '');
  assert.ok(topics.length > 0 && topics.every((topic) => topic === 'diffusion'), topics.join());
  assert.equal(sink.receivedBy('grace@example.org').length, 1, 'the list is mailed as before');

  // 6. The preferences page, from the edition's own link: diffusion out, quantization in.
  const preferences = /Manage your topics: (\S+)/.exec(firstMail.text ?? '')?.[1];
  assert.ok(preferences);
  await page.goto(local(setup, preferences));
  assert.equal(await page.getByLabel('diffusion').isChecked(), true);
  await page.getByLabel('diffusion').uncheck();
  await page.getByLabel('quantization').check();
  await page.getByRole('button', { name: 'Save topics' }).click();
  await page.waitForSelector('text=Saved. The next edition follows your topics.');
  assert.equal(await page.getByLabel('quantization').isChecked(), true);

  // 7. The edition after that follows the new topics.
  setup.advance(7 * 24 * 3_600_000);
  store.papers.upsert(papersOf('trial', '2026-11-26', 30000), new Date('2026-11-27T00:00:00Z'));
  const second = await sendEdition(ctx, { retryDelayMs: noDelay });
  assert.equal(second.kind, 'delivered');
  const latest = sink.receivedBy('ada@example.org').at(-1)!;
  assert.notEqual(latest, edition);
  const after = forYouTopics((await simpleParser(latest.raw)).text ?? '');
  assert.ok(after.length > 0 && after.every((topic) => topic === 'quantization'), after.join());

  // 8. The unsubscribe button on the preferences page works too.
  await page.goto(local(setup, preferences));
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await page.waitForSelector('h1:text("You are unsubscribed")');
  assert.equal(store.suppressions.find('ada@example.org')?.via, 'link');
});
