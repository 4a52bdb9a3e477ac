import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { type PreviewInput, safeLocalPart, writePreview as writePreviewAt } from '../../src/app/preview.ts';
import type { Config } from '../../src/config/index.ts';
import { freezeEdition } from '../../src/edition/index.ts';
import { silentLogger } from '../../src/log.ts';
import { describeHtmlSize } from '../../src/preview/index.ts';
import type { Store } from '../../src/store/index.ts';
import { isoWeekOf } from '../../src/week.ts';
import { flowed, playground, topTitles, visibleText } from '../preview/fixture.ts';

const NOW = new Date('2026-11-25T09:00:00Z');
/** The edition due at NOW: the last complete week. */
const WEEK = isoWeekOf(new Date(NOW.getTime() - 7 * 86_400_000));

/** writePreview with the clock at `now` (NOW unless given). */
const writePreview = (store: Store, config: Config, input: PreviewInput & { now?: Date } = {}) =>
  writePreviewAt({ store, config, log: silentLogger, clock: () => input.now ?? NOW }, input);

test('writes <edition>-<local part>.html and .txt under STATE_DIR/preview, listing the top 10', async (t) => {
  const { store, config } = playground(t);
  const result = await writePreview(store, config, { now: NOW });

  assert.equal(result.editionId, WEEK);
  assert.equal(result.editionStored, false, 'no edition was frozen: it previews the next one');
  assert.equal(result.subscriber.email, 'ada@example.org', 'the first active subscriber');
  assert.equal(dirname(result.htmlPath), config.previewDir);
  assert.equal(basename(result.htmlPath), `${WEEK}-ada.html`);
  assert.equal(basename(result.textPath), `${WEEK}-ada.txt`);
  const html = readFileSync(result.htmlPath, 'utf8');
  const text = readFileSync(result.textPath, 'utf8');
  assert.equal(result.htmlBytes, Buffer.byteLength(html));
  assert.equal(result.marginBytes, 100 * 1024 - result.htmlBytes);
  assert.ok(result.htmlBytes < 100 * 1024);
  for (const title of topTitles(10)) {
    assert.ok(visibleText(html).includes(title), `HTML lists ${title}`);
    assert.ok(flowed(text).includes(title), `text lists ${title}`);
  }
  assert.equal(store.editions.summaries().length, 0, 'preview froze nothing');
});

test('the size line: kilobytes of 1024 bytes, margin under (or over) the 100 KB clip limit', () => {
  assert.equal(describeHtmlSize(55_501), 'HTML 54.2 KB, 45.8 KB under the 100 KB clip limit');
  assert.equal(describeHtmlSize(102_400), 'HTML 100.0 KB, 0.0 KB under the 100 KB clip limit');
  assert.equal(describeHtmlSize(103_731), 'HTML 101.3 KB, 1.3 KB over the 100 KB clip limit');
});

test('--subscriber picks that subscriber; --out picks the folder; an address off the list is E_USAGE', async (t) => {
  const { store, config, dir } = playground(t);
  const out = join(dir, 'elsewhere');
  const result = await writePreview(store, config, {
    subscriberEmail: 'Grace@EXAMPLE.org',
    outDir: out,
    now: NOW,
  });
  assert.equal(result.subscriber.email, 'grace@example.org');
  assert.equal(result.htmlPath, join(out, `${WEEK}-grace.html`));
  assert.ok(existsSync(result.textPath));

  await assert.rejects(writePreview(store, config, { subscriberEmail: 'nobody@example.org', now: NOW }), {
    code: 'E_USAGE',
  });
});

test('--out naming a file, not a folder, is E_USAGE naming the file, with a hint to choose another folder', async (t) => {
  const { store, config, dir } = playground(t);
  const taken = join(dir, 'a-file');
  writeFileSync(taken, 'not a folder\n');
  await assert.rejects(
    writePreview(store, config, { outDir: 'a-file', now: NOW }),
    (error: { code?: string; message: string; hint?: string }) =>
      error.code === 'E_USAGE' && error.message.includes(taken) && /--out DIR/.test(error.hint ?? ''),
  );
});

test('the first subscriber who has not unsubscribed is the default', async (t) => {
  const { store, config } = playground(t);
  store.suppressions.suppress('ada@example.org', 'link', 't');
  const result = await writePreview(store, config, { now: NOW });
  assert.equal(result.subscriber.email, 'grace@example.org');
});

test('without a subscriber list it previews for a sample reader', async (t) => {
  const { store, config } = playground(t, { subscribers: null });
  const result = await writePreview(store, config, { now: NOW });
  assert.equal(result.subscriber.email, 'reader@example.org');
  assert.equal(basename(result.htmlPath), `${WEEK}-reader.html`);
});

test('--week renders that stored edition; a past week with no edition is E_NO_EDITION', async (t) => {
  const { store, config } = playground(t);
  const frozen = freezeEdition(store, WEEK, NOW);
  assert.equal(frozen.status, 'created');
  const result = await writePreview(store, config, { week: WEEK, now: NOW });
  assert.equal(result.editionId, WEEK);
  assert.equal(result.editionStored, true);

  await assert.rejects(writePreview(store, config, { week: '2026-W01', now: NOW }), { code: 'E_NO_EDITION' });
});

test("without --week it shows this week's stored edition, as send would", async (t) => {
  const { store, config } = playground(t);
  freezeEdition(store, WEEK, NOW);
  const result = await writePreview(store, config, { now: NOW });
  assert.equal(result.editionId, WEEK);
  assert.equal(result.editionStored, true);
});

test('an empty store is E_NO_EDITION (the hint says to ingest first)', async (t) => {
  const { store, config } = playground(t, { papers: [] });
  await assert.rejects(
    writePreview(store, config, { now: NOW }),
    (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, 'E_NO_EDITION');
      assert.match(error.hint ?? '', /paperwire ingest/);
      return true;
    },
  );
});

test('nothing new since the last edition, a week later: E_NO_EDITION pointing at --week', async (t) => {
  const { store, config } = playground(t, { env: { EDITION_WEEK: 'previous' } });
  freezeEdition(store, WEEK, NOW);
  const nextWeek = new Date(NOW.getTime() + 7 * 86_400_000);
  await assert.rejects(
    writePreview(store, config, { now: nextWeek }),
    (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, 'E_NO_EDITION');
      assert.match(error.hint ?? '', new RegExp(`--week ${WEEK}`));
      return true;
    },
  );
});

test('file names keep only safe characters of the local part', () => {
  assert.equal(safeLocalPart('ada@example.org'), 'ada');
  assert.equal(safeLocalPart('a.b+news@example.org'), 'a.b_news');
  assert.equal(safeLocalPart('../../etc@example.org'), '_.._etc');
  assert.equal(safeLocalPart('ünïcode@example.org'), '_n_code');
});
