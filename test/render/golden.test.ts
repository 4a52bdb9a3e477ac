// The whole rendered email of a fixture edition, compared with the files in
// test/fixtures/render/. After an intended change: UPDATE_GOLDEN=1 to rewrite them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadTemplates, prepareEdition, renderEmail } from '../../src/render/index.ts';
import { ADA, fixtureEdition, TEMPLATES_DIR, UNSUBSCRIBE_URL } from './helpers.ts';

const golden = (name: string) => new URL(`../fixtures/render/${name}`, import.meta.url);

function compare(name: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden(name), actual);
  assert.equal(actual, readFileSync(golden(name), 'utf8'), `${name} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

test('the fixture edition renders to the golden HTML, text and subject for Ada', async () => {
  const prepared = await prepareEdition(fixtureEdition(), loadTemplates(TEMPLATES_DIR), { maxPapers: 10 });
  const email = await renderEmail(prepared, ADA, { unsubscribeUrl: UNSUBSCRIBE_URL });
  compare('golden.html', email.html);
  compare('golden.txt', email.text);
  assert.equal(
    email.subject,
    'paperwire, week 48: Sparse Diffusion Transformers Learn Faster with Token Dropping and 8 more',
  );
});
