// The audience of a send: the config list joined with the web subscribers.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadAudience, readAudience } from '../../src/app/audience.ts';
import { loadPreviewReaders } from '../../src/app/preview.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { tempDir, testConfig, testStore } from '../deliver/helpers.ts';

test('the list comes first and wins on names, topics are the union, confirmed web sign-ups follow', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'subscribers.csv');
  writeFileSync(
    file,
    'email,name,attributes,status\n' +
      'ada@example.org,Ada,"{""topics"":[""diffusion""]}",enabled\n' +
      'grace@example.org,,{},enabled\n' +
      'mallory@example.org,,{},blocklisted\n',
  );
  const store = testStore(t, testConfig(dir));
  store.webSubscribers.confirm({
    email: 'ADA@example.org',
    name: 'Web Ada',
    topics: ['robotics', 'diffusion'],
  });
  store.webSubscribers.confirm({ email: 'grace@example.org', name: 'Grace H', topics: [] });
  store.webSubscribers.confirm({ email: 'bob@example.org', name: 'Bob', topics: ['agents'] });
  store.webSubscribers.confirm({ email: 'mallory@example.org', name: null, topics: [] });
  store.webSubscribers.setTopics('carol@example.org', ['quantization']);

  assert.deepEqual(loadAudience(store, file, silentLogger), [
    { email: 'ada@example.org', name: 'Ada', topics: ['diffusion', 'robotics'] },
    { email: 'grace@example.org', name: 'Grace H', topics: [] },
    { email: 'bob@example.org', name: 'Bob', topics: ['agents'] },
  ]);
  const sources = readAudience(store, file).members.map((m) => [m.email, m.source, m.confirmedAt !== null]);
  assert.deepEqual(sources, [
    ['ada@example.org', 'list', true],
    ['grace@example.org', 'list', true],
    ['bob@example.org', 'web', true],
  ]);
  const preview = loadPreviewReaders(store, file);
  assert.deepEqual(
    preview.readers.map((r) => r.subscriber.email),
    ['ada@example.org', 'grace@example.org', 'bob@example.org'],
  );
});

test('an empty list is fine when readers signed up on the web; with nobody at all it is E_SUBSCRIBERS', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'subscribers.yaml');
  writeFileSync(file, 'subscribers: []\n');
  const store = testStore(t, testConfig(dir));
  assert.throws(
    () => loadAudience(store, file, silentLogger),
    (e: unknown) => isPaperwireError(e, 'E_SUBSCRIBERS'),
  );
  store.webSubscribers.confirm({ email: 'bob@example.org', name: null, topics: [] });
  assert.deepEqual(loadAudience(store, file, silentLogger), [
    { email: 'bob@example.org', name: null, topics: [] },
  ]);
  // No list file at all: a preview shows the web subscribers rather than the sample reader.
  const readers = loadPreviewReaders(store, join(dir, 'missing.yaml'));
  assert.equal(readers.source, 'file');
  assert.deepEqual(
    readers.readers.map((r) => r.subscriber.email),
    ['bob@example.org'],
  );
});
