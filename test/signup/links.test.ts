// Every newsletter carries a "Manage your topics" link signed for its reader, when there is a PUBLIC_URL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareForSend, renderFor } from '../../src/app/render.ts';
import { loadConfig } from '../../src/config/index.ts';
import { PREFERENCES_PATH, verifyPreferencesToken } from '../../src/signup/index.ts';
import { ADA, fixtureEdition, TEMPLATES_DIR } from '../render/helpers.ts';

const SECRET = 'a-test-secret-of-sufficient-length';
const LIST = 'weekly.papers.example.org';

test('the email links each reader to their own preferences page, in the HTML and the text', async () => {
  const config = loadConfig(
    {
      PUBLIC_URL: 'https://papers.example.org/news',
      UNSUBSCRIBE_SECRET: SECRET,
      LIST_ID: LIST,
      TEMPLATES_DIR,
    },
    '/tmp',
  );
  const render = renderFor(await prepareForSend(fixtureEdition(), config), config);
  const email = await render(ADA);
  const link = /<a href="([^"]+)"[^>]*>Manage your topics<\/a>/
    .exec(email.html)?.[1]
    ?.replace(/&#x3D;/g, '=');
  assert.ok(link, 'the HTML has the link');
  const url = new URL(link);
  assert.equal(url.origin + url.pathname, `https://papers.example.org/news${PREFERENCES_PATH}`);
  assert.equal(verifyPreferencesToken(SECRET, LIST, url.searchParams.get('token') ?? ''), ADA.email);
  assert.match(email.text, new RegExp(`Manage your topics: ${link.replace(/[.?]/g, '\\$&')}\n`));
  const other = await render({ ...ADA, email: 'grace@example.org' });
  assert.notEqual(
    /Manage your topics: (\S+)/.exec(other.text)?.[1],
    /Manage your topics: (\S+)/.exec(email.text)?.[1],
  );
});

test('without PUBLIC_URL there is no preferences page, so no link', async () => {
  const config = loadConfig({ TEMPLATES_DIR }, '/tmp');
  const email = await renderFor(await prepareForSend(fixtureEdition(), config), config)(ADA);
  assert.doesNotMatch(email.html, /Manage your topics/);
  assert.doesNotMatch(email.text, /Manage your topics/);
  assert.match(email.text, /Unsubscribe: mailto:/);
});
