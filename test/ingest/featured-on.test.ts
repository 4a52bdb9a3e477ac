// The day each source features a paper on (featuredOn), kept on re-ingest, and upvotes that only
// ever take a newer observation (a URL's fetch time, a file's modification time).
import assert from 'node:assert/strict';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestSources } from '../../src/ingest/index.ts';
import { parseSource } from '../../src/ingest/parse.ts';
import { listenLocal } from '../helpers/net.ts';
import { fixture, fixtureText, NO_SHARED, sharedPath, tempStore, testOptions } from './helpers.ts';

const now = new Date('2026-11-20T12:00:00Z');
const featured = (name: string): (string | null | undefined)[] =>
  parseSource(fixtureText(name), { origin: name, now }).papers.map((paper) => paper.featuredOn);

test('each format gives the day its source features the paper on', () => {
  // Daily Papers: the day it was submitted there (05 Nov), not its arXiv date (03 Nov).
  assert.deepEqual(featured('hf-daily-new.json'), ['2026-11-05', '2026-11-05']);
  // An old-style answer without submittedOnDailyAt does not say.
  assert.deepEqual(featured('hf-daily-old.json'), [null, null, null]);
  assert.deepEqual(featured('hf-paper.json'), ['2026-11-05']);
  // arXiv: the submission date of the first version.
  assert.deepEqual(featured('arxiv-current.xml'), ['2026-11-03', '2026-11-06', '2001-12-14']);
  // The papers page: its date line ("Nov 18").
  assert.ok(featured('papers-page.txt').every((day) => day === '2026-11-18'));
  // paperwire entries: publishedAt, as written.
  assert.deepEqual(featured('paperwire-entries.json'), ['2026-11-12', null, null]);
});

test('real Daily Papers answers: the day is paper.submittedOnDailyAt, never the item publishedAt', (t) => {
  const path = sharedPath('realdata/hf-daily-papers/2025-03-17.json');
  if (!path) return t.skip(`realdata/hf-daily-papers/2025-03-17.json ${NO_SHARED}`);
  const { papers } = parseSource(readFileSync(path, 'utf8'), { origin: path, now });
  assert.equal(papers.length, 12);
  // The answer of ?date=2025-03-17: every paper is of that day, though arXiv dated them 7–14 March.
  assert.deepEqual(new Set(papers.map((paper) => paper.featuredOn)), new Set(['2025-03-17']));
});

test('the featured day is kept on re-ingest: a later source with another date does not move it', async (t) => {
  const { store, dir } = tempStore(t);
  await ingestSources(store, [fixture('hf-daily-new.json')], testOptions());
  const entries = join(dir, 'entries.json');
  writeFileSync(
    entries,
    JSON.stringify({
      format: 'paperwire-entries/1',
      papers: [
        { id: '2611.01234', title: 'Quiet Weights', abstract: '', authors: [], publishedAt: '2026-11-30' },
      ],
    }),
  );
  await ingestSources(store, [entries], testOptions());
  const paper = store.papers.list().find((stored) => stored.id === '2611.01234');
  assert.equal(paper?.featuredOn, '2026-11-05');
});

/** A daily-papers file holding one paper with `upvotes`, modified at `mtime`. */
function dailyFile(dir: string, name: string, upvotes: number, mtime: Date): string {
  const path = join(dir, name);
  const item = JSON.parse(fixtureText('hf-daily-new.json'))[0];
  item.paper.upvotes = upvotes;
  writeFileSync(path, JSON.stringify([item]));
  utimesSync(path, mtime, mtime);
  return path;
}

test('an older file ingested after a newer one does not take upvotes back (42 stays 42, not 2)', async (t) => {
  const { store, dir } = tempStore(t);
  const monday = dailyFile(dir, 'monday.json', 2, new Date('2026-11-23T09:00:00Z'));
  const sunday = dailyFile(dir, 'sunday.json', 42, new Date('2026-11-29T21:00:00Z'));
  await ingestSources(store, [sunday], testOptions());
  const again = await ingestSources(store, [monday], testOptions());
  assert.equal(again.totals.updated, 0);
  const [paper] = store.papers.list();
  assert.equal(paper?.upvotes, 42);
  assert.equal(paper?.upvotesObservedAt, '2026-11-29T21:00:00.000Z');
  // A newer observation still wins.
  const later = dailyFile(dir, 'later.json', 57, new Date('2026-11-30T07:00:00Z'));
  await ingestSources(store, [later], testOptions());
  assert.equal(store.papers.list()[0]?.upvotes, 57);
});

test("a URL's upvotes are observed at the fetch time, and beat an older file", async (t) => {
  const item = JSON.parse(fixtureText('hf-daily-new.json'))[0];
  item.paper.upvotes = 30;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([item]));
  });
  const url = `${(await listenLocal(server, t)).url}/api/daily_papers`;
  const { store, dir } = tempStore(t);
  const fetchedAt = new Date('2026-11-30T08:00:00Z');
  await ingestSources(store, [url], testOptions({ clock: () => fetchedAt }));
  // The same count seen again later moves the observation on without counting as an update.
  const seenAgain = await ingestSources(
    store,
    [url],
    testOptions({ clock: () => new Date('2026-11-30T09:00:00Z') }),
  );
  assert.equal(seenAgain.totals.updated, 0);
  assert.equal(store.papers.list()[0]?.upvotesObservedAt, '2026-11-30T09:00:00.000Z');
  const saved = dailyFile(dir, 'saved-last-week.json', 3, new Date('2026-11-24T09:00:00Z'));
  await ingestSources(store, [saved], testOptions());
  assert.equal(store.papers.list()[0]?.upvotes, 30);
});
