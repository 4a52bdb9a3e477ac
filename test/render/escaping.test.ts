// Everything from a source is text: no markup, no template syntax, no unsafe link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTemplates, prepareEdition, renderEmail } from '../../src/render/index.ts';
import type { Paper } from '../../src/types.ts';
import { paper } from '../edition/helpers.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { fixtureEdition, TEMPLATES_DIR, UNSUBSCRIBE_URL } from './helpers.ts';

const HOSTILE_TITLES = [
  '<script>alert(1)</script>',
  '{{constructor}}',
  '{{#each}} {{> header}} {{{raw}}}',
  'Back\\{{subscriber.email}} slash \\',
  'Quotes " and \' & ampersands <b>bold</b>',
];

function hostilePapers(): Paper[] {
  return HOSTILE_TITLES.map((title, index) => ({
    ...paper(`2611.1000${index}`, 100 - index, title),
    abstract: `Abstract {{unsubscribeUrl}} with <img src=x onerror=alert(2)> and {{#if 1}}yes{{/if}} ${index}`,
    authors: ['{{subscriber.name}}', '<i>Mallory</i>'],
    keywords: ['{{lookup this "constructor"}}'],
    links: {
      page: 'javascript:alert(1)',
      arxiv: ' JAVASCRIPT:alert(2)',
      pdf: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==',
      code: `https://example.org/code?x={{constructor}}&n=${index}`,
      project: 'vbscript:msgbox(1)',
    },
    arxivId: null,
  }));
}

/** Attribute text as a browser reads it. */
function decodeEntities(value: string): string {
  const named: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };
  return value.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, body: string) =>
    body.startsWith('#x')
      ? String.fromCodePoint(Number.parseInt(body.slice(2), 16))
      : body.startsWith('#')
        ? String.fromCodePoint(Number(body.slice(1)))
        : (named[body] ?? entity),
  );
}

async function renderHostile() {
  const prepared = await prepareEdition(fixtureEdition(hostilePapers()), loadTemplates(TEMPLATES_DIR), {
    maxPapers: 10,
  });
  return renderEmail(
    prepared,
    { email: 'eve@example.org', name: '{{unsubscribeUrl}} <b>Eve</b>', topics: ['constructor', 'script'] },
    { unsubscribeUrl: UNSUBSCRIBE_URL },
  );
}

test('source text with markup or template syntax comes out as text, in HTML, text and subject', async () => {
  const email = await renderHostile();
  assert.doesNotMatch(email.html, /<script/i);
  assert.doesNotMatch(email.html, /<img/i);
  assert.doesNotMatch(email.html, /<i>Mallory/);
  assert.match(email.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(email.html, /&#123;&#123;constructor&#125;&#125;/);
  // The subscriber's own name is escaped too, and never evaluated as a template.
  assert.ok(email.html.includes('Hi {{unsubscribeUrl}} &lt;b&gt;Eve&lt;/b&gt;, here'));

  for (const title of HOSTILE_TITLES) assert.ok(email.text.includes(title), `text part shows ${title}`);
  assert.ok(email.text.includes('Abstract {{unsubscribeUrl}} with <img src=x onerror=alert(2)>'));
  assert.ok(email.text.includes('{{subscriber.name}}, <i>Mallory</i>'));
  assert.ok(email.text.includes('Hi {{unsubscribeUrl}} <b>Eve</b>,'));
  assert.equal(email.subject, 'paperwire, week 48: <script>alert(1)</script> and 4 more');
});

test('only http(s) links from sources are used; a paper without one links to a title search', async () => {
  const email = await renderHostile();
  const hrefs = [...email.html.matchAll(/href="([^"]*)"/g)].map((match) => decodeEntities(match[1] ?? ''));
  assert.ok(hrefs.length > 10);
  for (const href of hrefs) {
    assert.notEqual(href, '', 'no empty href');
    // Links leave for https (or mailto:), or go to a card of this very email (#paper-N).
    assert.match(href, /^(https:\/\/|mailto:|#paper-\d+$)/, `unsafe href ${href}`);
  }
  assert.doesNotMatch(email.html, /javascript:|vbscript:|data:text/i);
  assert.ok(hrefs.includes('https://example.org/code?x={{constructor}}&n=0'), 'the https code link stays');
  assert.ok(
    hrefs.some((href) => href.startsWith('https://arxiv.org/search/?query=')),
    'title search instead',
  );
  assert.doesNotMatch(email.text, /javascript:|vbscript:|data:text/i);
});

test('in a browser, the hostile titles show as text and nothing runs', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const email = await renderHostile();
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.setContent(email.html, { waitUntil: 'load' });
  const titles = await page.$$eval('.pw-title a', (links) => links.map((link) => link.textContent));
  assert.deepEqual(titles, HOSTILE_TITLES);
  const linkHrefs = await page.$$eval('a', (links) => links.map((link) => link.getAttribute('href')));
  assert.ok(linkHrefs.some((href) => href === 'https://example.org/code?x={{constructor}}&n=0'));
  assert.deepEqual(dialogs, []);
  assert.equal(await page.locator('script, img').count(), 0);
});
