// End to end: a real send over a real SMTP server, with DKIM and the unsubscribe
// endpoint running. Every message carries the List-Unsubscribe pair with a token
// for its own recipient only, a visible link, a valid DKIM signature covering both
// headers; the one-click POST from a message's header suppresses its reader, who
// is then skipped in the next edition.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { sendEdition } from '../../src/app/send.ts';
import { loadConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/index.ts';
import type { Paper } from '../../src/types.ts';
import { verifyUnsubscribeToken } from '../../src/unsubscribe/index.ts';
import { runCli } from '../helpers/cli.ts';
import { startSiteFor } from '../helpers/site.ts';
import { type SinkMessage, startSmtpSink } from '../helpers/smtp-sink.ts';
import { verifyDkim } from './dkim-verify.ts';

const SECRET = 'an-end-to-end-secret-of-enough-length';
const LIST = 'weekly.papers.example.org';
const TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));
const READERS = ['ada@example.org', 'bob@example.net', 'carol@example.com'];

function paper(n: number): Paper {
  const id = `2611.${String(n).padStart(5, '0')}`;
  return {
    id,
    arxivId: id,
    title: `A study of sparse ledgers, part ${n}`,
    abstract: `We look at ledgers, part ${n}.`,
    authors: ['Ada Lovelace'],
    links: { arxiv: `https://arxiv.org/abs/${id}` },
    upvotes: 10 + n,
    keywords: ['ledgers'],
    aiSummary: null,
    publishedAt: '2026-11-16T00:00:00.000Z',
    source: 'paperwire-json',
    origin: 'e2e.json',
  };
}

/** The header block of a raw message, folded lines joined. */
function headerLines(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  return text
    .slice(0, text.indexOf('\r\n\r\n'))
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n');
}

/** An attribute value as a browser reads it (Handlebars writes `=` as `&#x3D;`). */
function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function headerValues(raw: Buffer, name: string): string[] {
  const prefix = `${name.toLowerCase()}:`;
  return headerLines(raw)
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

test('a send carries verifiable one-click headers and DKIM; an unsubscribe skips the reader next time', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'dkim.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'subscribers.yaml'), `subscribers:\n${READERS.map((r) => `  - ${r}\n`).join('')}`);

  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const base = {
    STATE_DIR: join(dir, 'var'),
    SUBSCRIBERS_FILE: join(dir, 'subscribers.yaml'),
    TEMPLATES_DIR: TEMPLATES,
    SMTP_URL: sink.url,
    MAIL_FROM: 'Paper digest <digest@example.org>',
    UNSUBSCRIBE_SECRET: SECRET,
    LIST_ID: LIST,
    DKIM_DOMAIN: 'example.org',
    DKIM_SELECTOR: 'pw2026',
    DKIM_PRIVATE_KEY_FILE: join(dir, 'dkim.pem'),
  };
  const store = openStore(loadConfig(base, dir).dbPath);
  t.after(() => store.close());
  // The endpoint first, so PUBLIC_URL can point at it (the reverse proxy's job in production).
  const server = await startSiteFor(store, loadConfig(base, dir), {
    port: 0,
    host: '127.0.0.1',
  });
  t.after(() => server.close());
  const config = loadConfig({ ...base, PUBLIC_URL: server.url }, dir);

  // Edition 1: everyone.
  store.papers.upsert([paper(1), paper(2), paper(3)], new Date('2026-11-23T08:00:00Z'));
  const first = await sendEdition(
    { store, config, log: silentLogger, clock: () => new Date('2026-11-23T09:00:00Z') },
    { yes: true },
  );
  assert.equal(first.kind, 'delivered');
  assert.equal(sink.accepted.length, READERS.length);

  const oneClickUrls = new Map<string, string>();
  for (const message of sink.accepted as SinkMessage[]) {
    const [recipient = ''] = message.to;
    const unsubscribe = headerValues(message.raw, 'List-Unsubscribe');
    assert.equal(unsubscribe.length, 1, `${recipient}: exactly one List-Unsubscribe header`);
    const match =
      /^<(http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=([A-Za-z0-9_.-]+))>, <(mailto:[^>]+)>$/.exec(
        unsubscribe[0] ?? '',
      );
    assert.ok(match, `${recipient}: <https…>, <mailto…> in ${unsubscribe[0]}`);
    const [, url = '', token = '', mailto] = match;
    assert.equal(mailto, 'mailto:digest@example.org?subject=unsubscribe');
    assert.deepEqual(headerValues(message.raw, 'List-Unsubscribe-Post'), ['List-Unsubscribe=One-Click']);
    // The token is this reader's, and nobody else's.
    assert.equal(verifyUnsubscribeToken(SECRET, LIST, token), recipient);
    assert.equal(verifyUnsubscribeToken(SECRET, 'another.list.example', token), null);
    oneClickUrls.set(recipient, url);

    const dkim = await verifyDkim(message.raw, keys.publicKey);
    assert.equal(dkim.bodyHashOk, true, `${recipient}: DKIM body hash`);
    assert.equal(dkim.signatureOk, true, `${recipient}: DKIM signature`);
    assert.ok(dkim.signedHeaders.includes('list-unsubscribe'), 'h= lists list-unsubscribe');
    assert.ok(dkim.signedHeaders.includes('list-unsubscribe-post'), 'h= lists list-unsubscribe-post');

    // The visible link in both parts is the confirm page for the same token.
    const parsed = await simpleParser(message.raw);
    const hrefs = [...String(parsed.html).matchAll(/href="([^"]*)"/g)].map((m) => decodeEntities(m[1] ?? ''));
    assert.ok(hrefs.includes(url), `${recipient}: HTML unsubscribe link`);
    assert.ok(parsed.text?.includes(url), `${recipient}: text unsubscribe link`);
  }
  assert.deepEqual([...oneClickUrls.keys()].sort(), [...READERS].sort());

  // Ada's mail provider performs the one-click POST from her header.
  const response = await fetch(oneClickUrls.get('ada@example.org') ?? '', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  assert.equal(response.status, 200);
  assert.equal(store.suppressions.find('ada@example.org')?.via, 'link');
  // `paperwire subscribers` shows who left, how and when.
  const listed = await runCli(['subscribers', '--json'], { cwd: dir, env: base });
  assert.equal(listed.status, 0, listed.stderr);
  const report = JSON.parse(listed.stdout) as {
    active: number;
    suppressed: number;
    subscribers: Record<string, string>[];
  };
  assert.equal(report.active, 2);
  assert.equal(report.suppressed, 1);
  const ada = report.subscribers.find((s) => s.email === 'ada@example.org');
  assert.equal(ada?.status, 'suppressed');
  assert.equal(ada?.suppressedVia, 'link');
  assert.ok(Date.parse(ada?.suppressedAt ?? '') > 0);

  // Edition 2, a week later: Ada is skipped, the others get it.
  store.papers.upsert([paper(4), paper(5)], new Date('2026-11-30T08:00:00Z'));
  const second = await sendEdition(
    { store, config, log: silentLogger, clock: () => new Date('2026-11-30T09:00:00Z') },
    { yes: true },
  );
  assert.equal(second.kind, 'delivered');
  if (second.kind !== 'delivered') return;
  assert.equal(second.summary.sent, 2);
  assert.equal(second.summary.skipped, 1);
  const counts = sink.countsByRecipient();
  assert.equal(counts.get('ada@example.org'), 1, 'Ada got the first edition only');
  assert.equal(counts.get('bob@example.net'), 2);
  assert.equal(counts.get('carol@example.com'), 2);
});
