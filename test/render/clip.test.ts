// The clip guard: no rendered HTML passes 100 KB, whatever the edition holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLIP_LIMIT_BYTES, loadTemplates, prepareEdition, renderEmail } from '../../src/render/index.ts';
import type { Paper } from '../../src/types.ts';
import { paper } from '../edition/helpers.ts';
import { fixtureEdition, TEMPLATES_DIR } from './helpers.ts';

const templates = loadTemplates(TEMPLATES_DIR);
const LONG_URL = `https://news.example.org/unsubscribe?tk=${'a1B2'.repeat(70)}`; // 320 bytes

function hugePapers(count: number, abstractLength: number): Paper[] {
  const sentence = 'We propose a method that improves results considerably across many benchmarks. ';
  return Array.from({ length: count }, (_, i) => ({
    ...paper(
      `2611.${String(30000 + i)}`,
      1000 - i,
      `A rather long paper title number ${i} about scaling laws for everything everywhere all at once`,
    ),
    abstract: sentence.repeat(Math.ceil(abstractLength / sentence.length)).slice(0, abstractLength),
    authors: Array.from(
      { length: 40 },
      (_, a) => `Author Withaverylongname${a} Van Der Something-Hyphenated`,
    ),
    keywords: ['scaling', 'benchmarks'],
    links: {
      page: `https://huggingface.co/papers/2611.${30000 + i}`,
      arxiv: `https://arxiv.org/abs/2611.${30000 + i}`,
      pdf: `https://arxiv.org/pdf/2611.${30000 + i}`,
      code: `https://github.com/some-organisation-name/a-repository-with-a-long-name-${i}`,
      project: `https://some-organisation-name.github.io/a-project-page-with-a-long-name-${i}/`,
    },
  }));
}

test('200 papers with 5,000-character abstracts, MAX_PAPERS=200: under 100 KB, "+K more papers" links the list', async () => {
  assert.equal(LONG_URL.length, 320);
  const edition = fixtureEdition(hugePapers(200, 5000));
  const prepared = await prepareEdition(edition, templates, { maxPapers: 200 });
  const subscriber = {
    email: `${'x'.repeat(60)}@example.org`,
    name: 'Maximilian Alexander von Langername',
    topics: ['scaling'],
  };
  const email = await renderEmail(prepared, subscriber, { unsubscribeUrl: LONG_URL });
  const bytes = Buffer.byteLength(email.html);
  assert.ok(bytes <= CLIP_LIMIT_BYTES, `${bytes} bytes`);
  assert.ok(bytes > CLIP_LIMIT_BYTES * 0.8, `the guard keeps as many cards as fit (${bytes} bytes)`);
  const cards = email.html.match(/class="pw-title"/g)?.length ?? 0;
  assert.ok(cards > 10 && cards < 200, `${cards} cards`);
  // The lowest-ranked cards went; the best ones stayed, in order.
  assert.match(email.html, /A rather long paper title number 0 /);
  assert.doesNotMatch(email.html, /A rather long paper title number 199 /);
  const more = new RegExp(
    `\\+${200 - cards} more papers this week: <a href="https://huggingface.co/papers/week/2026-W48"`,
  );
  assert.match(email.html, more);
  // Abstracts were cut to the shortest length before cards were dropped.
  const summaries = [...email.html.matchAll(/<p class="pw-text"[^>]*>([^<]*)<\/p>/g)].map((m) => m[1] ?? '');
  assert.ok(
    summaries.every((summary) => summary.length <= 130),
    'summaries at most ~120 characters',
  );
  // Authors: the first three, then "et al.".
  assert.match(email.html, /Author Withaverylongname2 Van Der Something-Hyphenated et al\./);
  assert.doesNotMatch(email.html, /Withaverylongname3 /);
});

test('abstracts are shortened before any card is dropped', async () => {
  // 35 cards fit with ~120-character summaries but not with 300.
  const prepared = await prepareEdition(fixtureEdition(hugePapers(35, 5000)), templates, { maxPapers: 35 });
  const email = await renderEmail(
    prepared,
    { email: 'a@x.org', name: null, topics: [] },
    { unsubscribeUrl: LONG_URL },
  );
  assert.ok(Buffer.byteLength(email.html) <= CLIP_LIMIT_BYTES);
  assert.equal(email.html.match(/class="pw-title"/g)?.length, 35, 'every card kept');
  assert.doesNotMatch(email.html, /more papers? this week/);
  const summary = /<p class="pw-text"[^>]*>([^<]*)<\/p>/.exec(email.html)?.[1] ?? '';
  assert.ok(summary.length < 300 && summary.endsWith('…'), `shortened: ${summary.length}`);
});

test('an unsubscribe link far longer than the budget still yields an email under the limit', async () => {
  const prepared = await prepareEdition(fixtureEdition(hugePapers(200, 5000)), templates, { maxPapers: 200 });
  const huge = `https://news.example.org/u?t=${'z&'.repeat(2000)}`;
  const email = await renderEmail(
    prepared,
    { email: 'a@x.org', name: 'A'.repeat(3000), topics: [] },
    { unsubscribeUrl: huge },
  );
  assert.ok(Buffer.byteLength(email.html) <= CLIP_LIMIT_BYTES, `${Buffer.byteLength(email.html)} bytes`);
  assert.ok(email.html.includes('A'.repeat(3000)));
});

test('runaway titles are cut, so the email still fits', async () => {
  const papers = hugePapers(30, 5000).map((p, i) => ({
    ...p,
    title: `Runaway title ${i} ${'and more words '.repeat(2000)}`,
  }));
  const prepared = await prepareEdition(fixtureEdition(papers), templates, { maxPapers: 30 });
  const topic = `runaway ${'x'.repeat(500)}`;
  const email = await renderEmail(
    prepared,
    { email: 'a@x.org', name: null, topics: ['runaway', topic] },
    { unsubscribeUrl: LONG_URL },
  );
  assert.ok(Buffer.byteLength(email.html) <= CLIP_LIMIT_BYTES);
  assert.match(email.html, /For you/);
  const title = /<h3 class="pw-title"[^>]*><a [^>]*>([^<]*)<\/a>/.exec(email.html)?.[1] ?? '';
  assert.ok(title.length <= 300 && title.endsWith('…'), `title cut to ${title.length}`);
});
