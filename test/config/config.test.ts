import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUNDLED_TEMPLATES_DIR, DEFAULT_SCHEDULE, loadConfig } from '../../src/config/index.ts';
import { isPaperwireError } from '../../src/errors.ts';

const cwd = '/srv/paperwire';

test('an empty environment gives the embedded defaults, relative to the working directory', () => {
  const config = loadConfig({}, cwd);
  // Only what the operator sets is read: no inbox, and the Hugging Face Daily Papers of the week
  // (today: data/inbox, the demo's sample papers, mailed to every real list).
  assert.equal(config.inboxDir, null);
  assert.deepEqual(config.sources, ['hf']);
  assert.equal(config.editionWeek, 'previous');
  assert.equal(config.stateDir, '/srv/paperwire/var');
  assert.equal(config.dbPath, '/srv/paperwire/var/paperwire.db');
  assert.equal(config.outboxDir, '/srv/paperwire/var/outbox');
  assert.equal(config.subscribersFile, '/srv/paperwire/subscribers.yaml');
  assert.equal(config.templatesDir, BUNDLED_TEMPLATES_DIR);
  assert.match(BUNDLED_TEMPLATES_DIR, /templates$/);
  assert.equal(config.smtpUrl, null);
  assert.equal(config.mailFrom, null);
  assert.equal(config.maxPapers, 10);
  assert.equal(config.sendMaxAttempts, 5);
  assert.equal(config.schedule, DEFAULT_SCHEDULE);
  assert.equal(config.scheduleCatchUp, true);
  assert.equal(config.dkim, null);
  assert.deepEqual(config.sourceUrls, []);
});

test('paths may be absolute or relative, and SOURCE_URLS is a comma-separated list', () => {
  const config = loadConfig(
    { STATE_DIR: '/tmp/state', INBOX_DIR: 'in', SOURCE_URLS: ' https://a.example/x , http://b.example/y ,' },
    cwd,
  );
  assert.equal(config.stateDir, '/tmp/state');
  assert.equal(config.dbPath, '/tmp/state/paperwire.db');
  assert.equal(config.inboxDir, '/srv/paperwire/in');
  assert.deepEqual(config.sourceUrls, ['https://a.example/x', 'http://b.example/y']);
  assert.deepEqual(
    config.sources,
    ['https://a.example/x', 'http://b.example/y'],
    'no hf when sources are set',
  );
  assert.deepEqual(loadConfig({ INBOX_DIR: 'in' }, cwd).sources, [], 'an inbox alone is what was set');
  assert.deepEqual(loadConfig({ SOURCES: 'arxiv:cat:cs.CL' }, cwd).sources, ['arxiv:cat:cs.CL']);
});

test('EDITION_WEEK: previous, current or an ISO week; anything else names the variable', () => {
  assert.equal(loadConfig({ EDITION_WEEK: 'Current' }, cwd).editionWeek, 'current');
  assert.equal(loadConfig({ EDITION_WEEK: '2026-W53' }, cwd).editionWeek, '2026-W53');
  for (const value of ['last', '2025-W53', '2026-48', 'next week']) {
    assert.throws(
      () => loadConfig({ EDITION_WEEK: value }, cwd),
      (error: unknown) => isPaperwireError(error, 'E_CONFIG') && /^EDITION_WEEK=/.test(error.message),
      value,
    );
  }
});

const invalid: [string, Record<string, string>][] = [
  ['MAX_PAPERS', { MAX_PAPERS: 'ten' }],
  ['MAX_PAPERS', { MAX_PAPERS: '0' }],
  ['SEND_MAX_ATTEMPTS', { SEND_MAX_ATTEMPTS: '2.5' }],
  ['SMTP_URL', { SMTP_URL: 'http://mail.example.org' }],
  ['SMTP_URL', { SMTP_URL: 'not a url' }],
  ['MAIL_FROM', { MAIL_FROM: 'bob@' }],
  ['SOURCE_URLS', { SOURCE_URLS: 'ftp://x.example/feed' }],
  ['SMTP_TLS_REJECT_UNAUTHORIZED', { SMTP_TLS_REJECT_UNAUTHORIZED: 'maybe' }],
  ['LOG_FORMAT', { LOG_FORMAT: 'xml' }],
  ['UNSUBSCRIBE_SECRET', { PUBLIC_URL: 'https://p.example.org' }],
  ['DKIM_SELECTOR', { DKIM_DOMAIN: 'example.org' }],
  ['DKIM_PRIVATE_KEY_FILE', { DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'pw' }],
  ['FETCH_TIMEOUT_MS', { FETCH_TIMEOUT_MS: '-1' }],
  ['FETCH_MAX_ATTEMPTS', { FETCH_MAX_ATTEMPTS: 'many' }],
  ['FETCH_MAX_BYTES', { FETCH_MAX_BYTES: '64MB' }],
  ['HF_API_URL', { HF_API_URL: 'huggingface.co' }],
  ['ARXIV_API_URL', { ARXIV_API_URL: 'ftp://export.arxiv.org' }],
  ['SMTP_MAX_CONNECTIONS', { SMTP_MAX_CONNECTIONS: '0' }],
  ['SMTP_RATE_PER_SECOND', { SMTP_RATE_PER_SECOND: 'fast' }],
  ['SCHEDULE_CATCH_UP', { SCHEDULE_CATCH_UP: 'sometimes' }],
  ['PUBLIC_URL', { PUBLIC_URL: 'papers.example.org', UNSUBSCRIBE_SECRET: 'x'.repeat(32) }],
  ['PUBLIC_URL', { PUBLIC_URL: 'ftp://papers.example.org', UNSUBSCRIBE_SECRET: 'x'.repeat(32) }],
  // Paths are appended to these: `…?x=1` + `/archive/2026-W48/` would be no URL at all.
  ['PUBLIC_URL', { PUBLIC_URL: 'https://papers.example.org/?utm=x', UNSUBSCRIBE_SECRET: 'x'.repeat(32) }],
  ['ARCHIVE_URL', { ARCHIVE_URL: 'https://static.example.org/past#top' }],
  ['HF_API_URL', { HF_API_URL: 'https://hf.example.org/api?x=1' }],
  ['MAIL_REPLY_TO', { MAIL_REPLY_TO: 'editor at example.org' }],
  ['UNSUBSCRIBE_MAILTO', { UNSUBSCRIBE_MAILTO: '@example.org' }],
  ['UNSUBSCRIBE_SECRET', { UNSUBSCRIBE_SECRET: 'too-short' }],
];

for (const [name, env] of invalid) {
  test(`a bad ${name} is a configuration error naming the variable`, () => {
    assert.throws(
      () => loadConfig(env, cwd),
      (error: unknown) =>
        isPaperwireError(error, 'E_CONFIG') && error.message.includes(name) && Boolean(error.hint),
    );
  });
}

test('SOURCES: hf, arxiv:QUERY, URLs and paths, then SOURCE_URLS; the API settings have defaults', () => {
  const config = loadConfig(
    {
      SOURCES:
        ' HF , arxiv:cat:cs.LG  AND abs:diffusion, https://a.example/x, inbox/extra.json, /srv/feeds ,',
      SOURCE_URLS: 'https://a.example/x, https://b.example/y',
    },
    cwd,
  );
  assert.deepEqual(config.sources, [
    'hf',
    'arxiv:cat:cs.LG AND abs:diffusion',
    'https://a.example/x',
    '/srv/paperwire/inbox/extra.json',
    '/srv/feeds',
    'https://b.example/y',
  ]);
  assert.equal(config.hfApiUrl, 'https://huggingface.co');
  assert.equal(config.hfToken, null);
  assert.equal(config.arxivApiUrl, 'https://export.arxiv.org');
  const local = loadConfig({ HF_API_URL: 'http://127.0.0.1:9/', HF_TOKEN: ' hf_abc ' }, cwd);
  assert.equal(local.hfApiUrl, 'http://127.0.0.1:9');
  assert.equal(local.hfToken, 'hf_abc');
  assert.equal(loadConfig({}, cwd).fetchMaxBytes, 64 * 2 ** 20);
});

for (const item of [
  'arxiv:',
  'arxiv:(cat:cs.CL',
  'ftp://x.example/feed',
  'hf:2026-W48',
  'arxiv',
  'https://',
]) {
  test(`SOURCES item ${JSON.stringify(item)} is a configuration error naming SOURCES and the item`, () => {
    assert.throws(
      () => loadConfig({ SOURCES: `hf, ${item}` }, cwd),
      (error: unknown) =>
        isPaperwireError(error, 'E_CONFIG') &&
        error.message.startsWith(`SOURCES item ${JSON.stringify(item)}`) &&
        Boolean(error.hint),
    );
  });
}

test('MAIL_FROM accepts a display name, and DKIM needs all three parts', () => {
  const config = loadConfig(
    {
      MAIL_FROM: 'paperwire <papers@example.org>',
      DKIM_DOMAIN: 'example.org',
      DKIM_SELECTOR: 'pw',
      DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
    },
    cwd,
  );
  assert.equal(config.mailFrom, 'paperwire <papers@example.org>');
  assert.equal(config.dkim?.selector, 'pw');
  assert.equal(config.dkim?.privateKey, '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
});

test('address settings follow the same address rule as the subscriber list: no invisible characters, real domains', () => {
  for (const [name, value] of [
    ['MAIL_FROM', 'Papers <papers\u200B@example.org>'],
    ['MAIL_FROM', 'papers@example..org'],
    ['MAIL_REPLY_TO', 'editor@-example.org'],
    ['UNSUBSCRIBE_MAILTO', 'leave\u202E@example.org'],
  ] as const) {
    assert.throws(
      () => loadConfig({ [name]: value }, cwd),
      (error: unknown) =>
        isPaperwireError(error, 'E_CONFIG') &&
        error.message.startsWith(`${name}=`) &&
        !/[\u200B\u202E]/.test(error.message) &&
        Boolean(error.hint?.includes(name)),
      `${name}=${JSON.stringify(value)}`,
    );
  }
});

test('PUBLIC_URL loses its trailing slash', () => {
  const config = loadConfig(
    { PUBLIC_URL: 'https://p.example.org/', UNSUBSCRIBE_SECRET: 'x'.repeat(32) },
    cwd,
  );
  assert.equal(config.publicUrl, 'https://p.example.org');
});

test('LIST_NAME and POSTAL_ADDRESS are one line each; LIST_ID defaults to weekly.<MAIL_FROM domain> and is checked', () => {
  const plain = loadConfig({}, cwd);
  assert.equal(plain.listName, 'paperwire');
  assert.equal(plain.postalAddress, null);
  assert.equal(plain.listId, 'weekly.paperwire.invalid');
  const named = loadConfig(
    {
      LIST_NAME: 'AI Weekly',
      POSTAL_ADDRESS: '1 Main St, Springfield',
      MAIL_FROM: 'AI <ai@News.Example.org>',
    },
    cwd,
  );
  assert.equal(named.listName, 'AI Weekly');
  assert.equal(named.postalAddress, '1 Main St, Springfield');
  assert.equal(named.listId, 'weekly.news.example.org');
  assert.equal(loadConfig({ LIST_ID: '<papers.example.org>' }, cwd).listId, 'papers.example.org');
  for (const [name, value] of [
    ['LIST_ID', 'nodot'],
    ['LIST_ID', 'two words.example.org'],
    ['LIST_NAME', 'x'.repeat(101)],
    ['POSTAL_ADDRESS', 'line one\nline two'],
  ] as const) {
    assert.throws(
      () => loadConfig({ [name]: value }, cwd),
      (error: unknown) => isPaperwireError(error, 'E_CONFIG') && error.message.startsWith(`${name}=`),
      `${name}=${JSON.stringify(value)}`,
    );
  }
});

test('TOPICS, SIGNUP_RATE_PER_HOUR and LOG_ADDRESSES: defaults, cleaning, and errors naming the variable', () => {
  const plain = loadConfig({}, cwd);
  assert.deepEqual(plain.topics, []);
  assert.equal(plain.signupRatePerHour, 10);
  assert.equal(plain.logAddresses, false);
  const set = loadConfig(
    {
      TOPICS: ' Diffusion, quantization,,diffusion , Large Language Models',
      SIGNUP_RATE_PER_HOUR: '3',
      LOG_ADDRESSES: 'true',
    },
    cwd,
  );
  assert.deepEqual(set.topics, ['diffusion', 'quantization', 'large language models']);
  assert.equal(set.signupRatePerHour, 3);
  assert.equal(set.logAddresses, true);
  for (const [name, value] of [
    ['TOPICS', `ok, ${'x'.repeat(61)}`],
    ['TOPICS', 'one\ttwo'],
    ['TOPICS', Array.from({ length: 51 }, (_, i) => `t${i}`).join(',')],
    ['SIGNUP_RATE_PER_HOUR', '0'],
    ['SIGNUP_RATE_PER_HOUR', 'ten'],
    ['LOG_ADDRESSES', 'maybe'],
  ] as const) {
    assert.throws(
      () => loadConfig({ [name]: value }, cwd),
      (error: unknown) => isPaperwireError(error, 'E_CONFIG') && error.message.startsWith(`${name}=`),
      `${name}=${JSON.stringify(value)}`,
    );
  }
});

test('ARCHIVE_URL defaults to PUBLIC_URL + /archive, is checked, and the archive folder is STATE_DIR/archive', () => {
  assert.equal(loadConfig({}, cwd).archiveUrl, null);
  assert.equal(loadConfig({}, cwd).archiveDir, join(cwd, 'var', 'archive'));
  const secret = { UNSUBSCRIBE_SECRET: 'a-secret-of-enough-length' };
  assert.equal(
    loadConfig({ ...secret, PUBLIC_URL: 'https://p.example.org/news/' }, cwd).archiveUrl,
    'https://p.example.org/news/archive',
  );
  assert.equal(
    loadConfig(
      { ...secret, PUBLIC_URL: 'https://p.example.org', ARCHIVE_URL: 'https://static.example.org/past/' },
      cwd,
    ).archiveUrl,
    'https://static.example.org/past',
  );
  assert.throws(
    () => loadConfig({ ARCHIVE_URL: 'ftp://example.org/archive' }, cwd),
    (error: unknown) => isPaperwireError(error, 'E_CONFIG') && error.message.startsWith('ARCHIVE_URL='),
  );
});
