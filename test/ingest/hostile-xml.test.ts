// XML a hostile or broken file can hold. Each variant used to escape as a plain
// Error ("unexpected error … this is a bug", every later source skipped); now
// each is a rejected source naming its file and what is wrong, the other sources
// are still ingested, and nothing declared in a DOCTYPE is expanded or read.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportLines } from '../../src/cli/present/ingest.ts';
import { ingestSources } from '../../src/ingest/index.ts';
import { MAX_XML_TAGS } from '../../src/ingest/limits.ts';
import { parseSource } from '../../src/ingest/parse.ts';
import { fixture, tempStore, testOptions } from './helpers.ts';

const ENTRY =
  '<entry><id>http://arxiv.org/abs/2611.07001v1</id><title>A title &e;</title><summary>An abstract.</summary></entry>';

/** An Atom feed with `prolog` between the XML declaration and the root, and `body` inside it. */
function feed(prolog: string, body = ENTRY): string {
  return `<?xml version="1.0"?>\n${prolog}\n<feed xmlns="http://www.w3.org/2005/Atom">\n${body}\n</feed>\n`;
}

const laughs = (levels: number): string =>
  Array.from({ length: levels }, (_, i) =>
    i === 0 ? '<!ENTITY l0 "lol">' : `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`,
  ).join('');

/** The variants, each with what its error must say (besides the file). */
const HOSTILE: Record<string, { text: string; says: RegExp }> = {
  'parameter-entity.xml': {
    text: feed('<!DOCTYPE feed [<!ENTITY % p "x"> <!ENTITY e "y">]>'),
    says: /line 2: .*DOCTYPE.*% parameter entity/,
  },
  'two-doctypes.xml': {
    text: feed('<!DOCTYPE feed [<!ENTITY e "y">]>\n<!DOCTYPE feed [<!ENTITY e "z">]>'),
    says: /line 2: the XML has 2 DOCTYPEs/,
  },
  'billion-laughs.xml': {
    text: feed(`<!DOCTYPE feed [${laughs(9)}<!ENTITY e "&l8;">]>`),
    says: /DOCTYPE, declaring 10 entities/,
  },
  'oversized-entity.xml': {
    text: feed(`<!DOCTYPE feed [<!ENTITY e "${'x'.repeat(200_000)}">]>`),
    says: /DOCTYPE, declaring 1 entity/,
  },
  'many-entities.xml': {
    text: feed(
      `<!DOCTYPE feed [${Array.from({ length: 1500 }, (_, i) => `<!ENTITY e${i} "v">`).join('')}<!ENTITY e "y">]>`,
    ),
    says: /DOCTYPE, declaring 1,?501 entities/,
  },
  'doctype-in-body.xml': {
    // fast-xml-parser honours a DOCTYPE anywhere, not only before the root.
    text: feed('', `<!DOCTYPE x [<!ENTITY e "injected">]>${ENTRY}`),
    says: /line 4: .*DOCTYPE/,
  },
  'proto.xml': {
    text: feed('', `<__proto__><polluted>1</polluted></__proto__>${ENTRY}`),
    says: /<__proto__>/,
  },
  'constructor.xml': {
    text: feed('', ENTRY.replace('<summary>', '<arxiv:constructor>1</arxiv:constructor><summary>')),
    says: /line 4: an element named <constructor>/,
  },
  'prototype.xml': { text: feed('', `<prototype/>${ENTRY}`), says: /<prototype>/ },
  'nested.xml': {
    text: feed('', `${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}${ENTRY}`),
    says: /nested more than 100 levels deep/,
  },
  'nested-unclosed.xml': {
    text: `<feed xmlns="http://www.w3.org/2005/Atom">${'<a>'.repeat(20_000)}`,
    says: /ends with 20,001 elements still open \(<feed>, <a>, <a>, …\): it was cut off/,
  },
  'declaration-only.xml': { text: '<?xml version="1.0"?>\n', says: /no root element/ },
  'too-many-tags.xml': {
    text: feed('', '<entry/>'.repeat(MAX_XML_TAGS)),
    says: /more than 500,000 tags/,
  },
};

for (const [name, { text, says }] of Object.entries(HOSTILE)) {
  test(`hostile XML (${name}): a rejected source naming its file and the problem; the next source is stored`, async (t) => {
    const { store, dir } = tempStore(t);
    const path = join(dir, name);
    writeFileSync(path, text);
    const report = await ingestSources(store, [path, fixture('arxiv-current.xml')], testOptions());
    const [bad, good] = report.sources;
    assert.equal(bad?.problem?.code, 'E_SOURCE_FORMAT', bad?.problem?.message ?? '');
    assert.ok(bad?.problem?.message.startsWith(`${path}: `), bad?.problem?.message ?? '');
    assert.match(bad?.problem?.message ?? '', says);
    assert.ok(bad?.problem?.hint);
    assert.ok((bad?.problem?.message ?? '').length < 300, 'a short message');
    assert.doesNotMatch(reportLines(report).join('\n'), /undefined|\[object Object\]/);
    assert.equal(good?.problem, null);
    assert.equal(good?.new, 3);
    assert.equal(report.failedSources, 1);
    // Nothing of the refused feed reached the store.
    const titles = store.papers.list().map((paper) => paper.title);
    assert.equal(titles.length, 3);
    assert.ok(!titles.some((title) => /lol|injected|A title/.test(title)), titles.join(' | '));
  });
}

test('a SYSTEM entity naming a real file is refused, and the file never leaks into the store or a message', async (t) => {
  const { store, dir } = tempStore(t);
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET-CONTENT');
  const variants = {
    'system.xml': feed(`<!DOCTYPE feed [<!ENTITY e SYSTEM "file://${secret}">]>`),
    'system-bare-path.xml': feed(`<!DOCTYPE feed [<!ENTITY e SYSTEM "${secret}">]>`),
    'public.xml': feed(`<!DOCTYPE feed [<!ENTITY e PUBLIC "-//x//y" "file://${secret}">]>`),
    'system-in-body.xml': feed('', `<!DOCTYPE x [<!ENTITY e SYSTEM "file://${secret}">]>${ENTRY}`),
    'external-dtd.xml': feed(`<!DOCTYPE feed SYSTEM "file://${secret}">`),
  };
  const paths = Object.entries(variants).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
  const report = await ingestSources(store, [...paths, fixture('arxiv-legacy.xml')], testOptions());
  assert.equal(report.failedSources, paths.length);
  for (const source of report.sources.slice(0, paths.length)) {
    assert.equal(source.problem?.code, 'E_SOURCE_FORMAT', source.problem?.message ?? '');
    assert.match(source.problem?.message ?? '', /DOCTYPE/);
  }
  assert.equal(report.sources.at(-1)?.problem, null);
  const everything = JSON.stringify([report, store.papers.list()]);
  assert.doesNotMatch(everything, /TOP-SECRET/);
  assert.ok(store.papers.list().length > 0);
});

test('XML character references are decoded (&#233;, &#x1F600;, &amp;); a lone surrogate or NUL never reaches a title', () => {
  const text = feed(
    '',
    '<entry><id>2611.07002</id><title>Caf&#233; &amp; &#x1F600; &#xD800;x&#0;y&nbsp;z</title><summary>s</summary></entry>',
  );
  const result = parseSource(text, { origin: 'refs.xml', now: new Date('2026-11-20T12:00:00Z') });
  assert.deepEqual(
    result.papers.map((paper) => paper.title),
    ['Café & 😀 xy z'],
  );
});

test('an attribute named __proto__ or constructor is harmless and the feed is read', () => {
  const text = feed(
    '',
    ENTRY.replace('<entry>', '<entry __proto__="x" constructor="y">').replace(' &e;', ''),
  );
  const result = parseSource(text, { origin: 'attrs.xml', now: new Date('2026-11-20T12:00:00Z') });
  assert.deepEqual(
    result.papers.map((paper) => paper.title),
    ['A title'],
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
