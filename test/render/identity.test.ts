// The newsletter's identity and web home in every email: LIST_NAME in the brand line,
// subject and footer, POSTAL_ADDRESS in the footer, and with an archive a "View in your
// browser" link and "+K more" / "full list" links to the edition's page on it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { loadTemplates, prepareEdition, renderEmail, renderOptionsFrom } from '../../src/render/index.ts';
import { paper } from '../edition/helpers.ts';
import { ADA, fixtureEdition, TEMPLATES_DIR, UNSUBSCRIBE_URL } from './helpers.ts';

const templates = loadTemplates(TEMPLATES_DIR);
const personal = { unsubscribeUrl: UNSUBSCRIBE_URL };
const PAGE = 'https://papers.example.org/archive/2026-W48/';

function identityOptions(maxPapers = 3) {
  const config = loadConfig(
    {
      LIST_NAME: 'Lab Weekly',
      POSTAL_ADDRESS: 'Example Lab, 1 Main Street, Springfield',
      PUBLIC_URL: 'https://papers.example.org',
      UNSUBSCRIBE_SECRET: 'a-secret-of-enough-length',
      MAX_PAPERS: String(maxPapers),
    },
    '/srv/paperwire',
  );
  return renderOptionsFrom(config, '2026-W48');
}

/** Every href of an HTML string, entities decoded the way a browser reads them. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) =>
    (m[1] ?? '').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'),
  );
}

test('LIST_NAME is the brand line, the subject and the footer; POSTAL_ADDRESS a footer line in HTML and text', async () => {
  const prepared = await prepareEdition(fixtureEdition(), templates, identityOptions());
  const email = await renderEmail(prepared, ADA, personal);
  assert.match(
    email.subject,
    /^Lab Weekly, week 48: Sparse Diffusion Transformers Learn Faster with Token Dropping and 8 more$/,
  );
  assert.doesNotMatch(email.subject, /2026-W48/, 'no ISO week code in the subject');
  assert.match(email.html, /<span class="pw-brand"[^>]*>Lab Weekly<\/span>/);
  assert.doesNotMatch(email.html, /paper<span/);
  assert.match(email.html, /<title>Lab Weekly · week 48, 2026<\/title>/);
  assert.match(email.html, /You receive Lab Weekly because ada@example\.org is subscribed/);
  assert.match(email.html, /<p[^>]*>Example Lab, 1 Main Street, Springfield<\/p>/);
  assert.match(email.text, /^Lab Weekly · Trending papers of the week$/m);
  assert.match(email.text, /^You receive Lab Weekly because ada@example\.org is subscribed/m);
  assert.match(email.text, /^Example Lab, 1 Main Street, Springfield$/m);
  assert.doesNotMatch(email.html + email.text, /paperwire/i, 'the default name is gone everywhere');
});

test('with an archive: "View in your browser", "+K more" and "the full list" go to the edition page', async () => {
  const prepared = await prepareEdition(fixtureEdition(), templates, identityOptions(3));
  const email = await renderEmail(prepared, ADA, personal);
  const links = hrefs(email.html);
  assert.equal(links.filter((href) => href === PAGE).length, 2, 'the header and the footer');
  assert.equal((email.html.match(/>View in your browser</g) ?? []).length, 2);
  // "+6 more" points at the first paper the email left out.
  assert.match(
    email.html,
    /\+6 more papers this week: <a href="https:\/\/papers\.example\.org\/archive\/2026-W48\/#paper-4"/,
  );
  // A "For you" paper without a card here links to its place on the page.
  assert.ok(links.includes(`${PAGE}#paper-5`), 'For you #5 is on the web page');
  assert.ok(links.includes('#paper-1'), 'For you #1 is the card below');
  assert.doesNotMatch(email.html, /huggingface\.co\/papers\/week/);
  assert.match(email.text, new RegExp(`^View in your browser: ${PAGE}$`, 'm'));
  assert.match(
    email.text,
    /^\+6 more papers this week: https:\/\/papers\.example\.org\/archive\/2026-W48\/#paper-4$/m,
  );
  assert.match(email.text, new RegExp(`^All papers of the week: ${PAGE}$`, 'm'));

  const without = await prepareEdition(fixtureEdition(), templates, { maxPapers: 3 });
  const plain = await renderEmail(without, ADA, personal);
  assert.doesNotMatch(plain.html + plain.text, /View in your browser/);
  assert.match(
    plain.html,
    /\+6 more papers this week: <a href="https:\/\/huggingface\.co\/papers\/week\/2026-W48"/,
  );
});

test('past the size limit the plain text lists the same papers as the HTML, and the same "+K more"', async () => {
  const sentence = 'We propose a method that improves results considerably across many benchmarks. ';
  const papers = Array.from({ length: 200 }, (_, i) => ({
    ...paper(
      `2611.${String(30000 + i)}`,
      1000 - i,
      `A long paper title number ${i} about scaling laws for everything`,
    ),
    abstract: sentence.repeat(40),
    authors: Array.from({ length: 5 }, (_, a) => `Author Withaverylongname${a}`),
  }));
  const prepared = await prepareEdition(fixtureEdition(papers), templates, { maxPapers: 200 });
  const email = await renderEmail(prepared, { email: 'a@x.org', name: null, topics: [] }, personal);
  const cards = email.html.match(/class="pw-title"/g)?.length ?? 0;
  assert.ok(cards > 10 && cards < 200, `${cards} cards`);
  const listed = email.text.match(/^\d+\. A long paper title/gm)?.length ?? 0;
  assert.equal(listed, cards, 'the text lists as many papers as the HTML has cards');
  assert.match(email.text, new RegExp(`^TOP ${cards} THIS WEEK$`, 'm'));
  assert.match(email.text, new RegExp(`^\\+${200 - cards} more papers this week: `, 'm'));
});

test('a subscriber without a name is greeted without "Hi ,"; a preferences link shows only when given', async () => {
  const prepared = await prepareEdition(fixtureEdition(), templates, { maxPapers: 3 });
  for (const name of [null, '', '   ']) {
    const email = await renderEmail(prepared, { email: 'n@x.org', name, topics: [] }, personal);
    for (const part of [email.html, email.text]) {
      assert.doesNotMatch(part, /Hi\s*,/);
      assert.match(part, /Here are the research papers/);
    }
    assert.doesNotMatch(email.html + email.text, /Manage your topics/);
  }
  const withPrefs = await renderEmail(prepared, ADA, {
    ...personal,
    preferencesUrl: 'https://papers.example.org/preferences?token=abc',
  });
  assert.match(
    withPrefs.html,
    /<a href="https:\/\/papers\.example\.org\/preferences\?token&#x3D;abc"[^>]*>Manage your topics<\/a>/,
  );
  assert.match(
    withPrefs.text,
    /^Manage your topics: https:\/\/papers\.example\.org\/preferences\?token=abc$/m,
  );
});
