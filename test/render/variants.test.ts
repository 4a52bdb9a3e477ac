// "For you" matching and content variants: MJML runs once per variant, never per subscriber.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPaperwireError } from '../../src/errors.ts';
import { FOR_YOU_MAX, loadTemplates, prepareEdition, renderEmail } from '../../src/render/index.ts';
import { TopicMatcher, topicPattern } from '../../src/render/topics.ts';
import type { RenderedEmail, Subscriber } from '../../src/types.ts';
import { paper } from '../edition/helpers.ts';
import { fixtureEdition, TEMPLATES_DIR, UNSUBSCRIBE_URL } from './helpers.ts';

const templates = loadTemplates(TEMPLATES_DIR);
const personal = { unsubscribeUrl: UNSUBSCRIBE_URL };

function matchedIds(topics: string[]): [string, string][] {
  return new TopicMatcher(fixtureEdition().papers).match(topics).map((m) => [m.paper.paper.id, m.topic]);
}

test('topics match whole words, case-insensitively, in title, abstract and keywords', () => {
  const cases: [string, string, boolean][] = [
    ['agent', 'A Single Agent for Tasks', true],
    ['agent', 'lets an agent write', true],
    ['agent', 'Agent-based planning', true],
    ['agent', 'Language-model agents', false],
    ['agent', 'Agentic Workflows', false],
    ['agent', 'subagent', false],
    ['Diffusion', 'video DIFFUSION models', true],
    ['long context', 'in long\n context windows', true],
    ['c++', 'written in C++ today', true],
  ];
  for (const [topic, text, expected] of cases) {
    assert.equal(topicPattern(topic).test(text), expected, `${topic} in ${JSON.stringify(text)}`);
  }
  // Keywords count: "interpretability" is only a keyword of 2611.06633.
  assert.deepEqual(matchedIds(['interpretability']), [['2611.06633', 'interpretability']]);
  // "agent" skips the paper that only says "agents" and "Agentic".
  assert.deepEqual(matchedIds(['AGENT']), [
    ['2611.03318', 'agent'],
    ['2611.05502', 'agent'],
  ]);
  // Each paper shows the first of the subscriber's topics it matches, in rank order.
  assert.deepEqual(matchedIds(['quantization', 'diffusion', 'transformers']), [
    ['2611.04127', 'diffusion'],
    ['2611.01990', 'quantization'],
    ['2611.02214', 'diffusion'],
  ]);
});

test('"For you" lists the matches with their topic, and is left out when nothing matches', async () => {
  const prepared = await prepareEdition(fixtureEdition(), templates, { maxPapers: 10 });
  const matched = await renderEmail(
    prepared,
    { email: 'q@x.org', name: null, topics: ['quantization'] },
    personal,
  );
  assert.match(matched.html, /For you<\/h2>/);
  assert.match(
    matched.html,
    /Quantization-Aware Distillation[^<]*<\/a><br>\s*<span class="pw-topic"[^>]*>quantization</,
  );
  assert.match(
    matched.text,
    /FOR YOU\n- Quantization-Aware Distillation for 2-bit Language Models \[quantization\]/,
  );
  const none = await renderEmail(prepared, { email: 'n@x.org', name: null, topics: ['astronomy'] }, personal);
  assert.doesNotMatch(none.html, /For you/);
  assert.doesNotMatch(none.text, /FOR YOU/);
});

test('"For you" lists at most FOR_YOU_MAX papers and counts the rest', async () => {
  const papers = Array.from({ length: 9 }, (_, i) => paper(`2611.2000${i}`, 50 - i, `Robots number ${i}`));
  const prepared = await prepareEdition(fixtureEdition(papers), templates, { maxPapers: 10 });
  const email = await renderEmail(prepared, { email: 'r@x.org', name: null, topics: ['robots'] }, personal);
  assert.equal(email.text.match(/\[robots\]/g)?.length, FOR_YOU_MAX);
  assert.match(email.text, /and 4 more matching your topics/);
});

test('subscribers who see the same papers share one variant; MJML never runs per subscriber', async () => {
  const prepared = await prepareEdition(fixtureEdition(), templates, { maxPapers: 10 });
  assert.equal(prepared.variantCount, 1, 'the plain variant is rendered up front');
  const topicSets = [[], ['astronomy'], ['diffusion'], ['Diffusion'], ['diffusion', 'astronomy'], ['agent']];
  const emails: RenderedEmail[] = [];
  for (let i = 0; i < 60; i++) {
    const subscriber: Subscriber = { email: `s${i}@example.org`, name: `S${i}`, topics: topicSets[i % 6]! };
    emails.push(await renderEmail(prepared, subscriber, personal));
  }
  // plain (no topics, no match), diffusion (three topic lists, same matches), agent.
  assert.equal(prepared.variantCount, 3);
  // Once a variant is built, rendering is synchronous.
  const again = renderEmail(prepared, { email: 'x@example.org', name: null, topics: ['agent'] }, personal);
  assert.ok(!(again instanceof Promise));
  // Two subscribers of one variant differ only in their own values.
  const [a, b] = [emails[2]!, emails[8]!];
  assert.equal(
    a.html.replaceAll('s2@example.org', 'X').replaceAll('S2', 'Y'),
    b.html.replaceAll('s8@example.org', 'X').replaceAll('S8', 'Y'),
  );
  assert.match(a.html, /Hi S2, here are/);
  assert.match(a.html, /because s2@example\.org is subscribed/);
});

test('greeting without a name, the unsubscribe link in HTML and text, and a bad link refused', async () => {
  const prepared = await prepareEdition(fixtureEdition(), templates, { maxPapers: 10 });
  const mailto = 'mailto:unsubscribe@example.org?subject=unsubscribe%20ada%40example.org';
  const email = await renderEmail(
    prepared,
    { email: 'a@x.org', name: null, topics: [] },
    { unsubscribeUrl: mailto },
  );
  assert.match(email.html, /<p style="margin:20px 0 0;">Here are the research papers/);
  assert.ok(
    email.html.includes('href="mailto:unsubscribe@example.org?subject&#x3D;unsubscribe%20ada%40example.org"'),
  );
  assert.ok(email.text.includes(`Unsubscribe: ${mailto}`));
  assert.throws(
    () =>
      renderEmail(
        prepared,
        { email: 'a@x.org', name: null, topics: [] },
        { unsubscribeUrl: 'javascript:alert(1)' },
      ),
    (error: unknown) => isPaperwireError(error, 'E_CONFIG'),
  );
});

test('options: MAX_PAPERS caps the cards, the full-list link can be changed or left out', async () => {
  const edition = fixtureEdition();
  const three = await prepareEdition(edition, templates, {
    maxPapers: 3,
    fullListUrl: 'https://news.example.org/2026-W48',
    listName: 'Lab digest',
  });
  const email = await renderEmail(three, { email: 'a@x.org', name: null, topics: [] }, personal);
  assert.equal(email.html.match(/class="pw-title"/g)?.length, 3);
  assert.match(email.html, /\+6 more papers this week: <a href="https:\/\/news\.example\.org\/2026-W48"/);
  assert.match(email.subject, /^Lab digest, week 48: /);
  const none = await prepareEdition(edition, templates, { maxPapers: 3, fullListUrl: null });
  const bare = await renderEmail(none, { email: 'a@x.org', name: null, topics: [] }, personal);
  assert.match(bare.html, /\+6 more papers this week<\/p>/);
  assert.doesNotMatch(bare.html, /huggingface\.co\/papers\/week/);
  await assert.rejects(prepareEdition(edition, templates, { maxPapers: 0 }), (error: unknown) =>
    isPaperwireError(error, 'E_CONFIG'),
  );
});
