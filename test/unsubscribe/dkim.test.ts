import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import nodemailer from 'nodemailer';
import { loadConfig } from '../../src/config/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { type DkimSigningOptions, dkimSigningOptions } from '../../src/unsubscribe/dkim.ts';
import { listUnsubscribeHeaders, unsubscribeToken } from '../../src/unsubscribe/index.ts';
import { headerSignatureVerifies, verifyDkim } from './dkim-verify.ts';

const SECRET = 'a-test-secret-of-sufficient-length';

let dir: string;
let keyFile: string;
let publicKey: KeyObject;
let privatePem: string;

function config(env: Record<string, string>) {
  return loadConfig(
    {
      PUBLIC_URL: 'https://papers.example.org',
      UNSUBSCRIBE_SECRET: SECRET,
      LIST_ID: 'weekly.papers.example.org',
      MAIL_FROM: 'paperwire <papers@example.org>',
      DKIM_DOMAIN: 'example.org',
      DKIM_SELECTOR: 'pw2026',
      ...env,
    },
    dir,
  );
}

/** Builds and signs a message the way paperwire's transports do: nodemailer, `dkim` option, headers. */
async function signedMessage(dkim: DkimSigningOptions, extra: { to?: string; text?: string } = {}) {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'crlf',
    dkim,
  });
  const to = extra.to ?? 'ada@example.org';
  const info = await transport.sendMail({
    from: 'paperwire <papers@example.org>',
    to: `Ada <${to}>`,
    subject: 'Papers of the week — 2026-W48',
    messageId: '<2026-W48.ada@papers.example.org>',
    text:
      extra.text ?? 'Hello,  this is the plain part.   \n\n\nUnsubscribe: https://papers.example.org/…\n\n',
    html: '<p>Hello,<br>this is the <b>HTML</b> part.</p>',
    headers: {
      'List-Id': '<weekly.papers.example.org>',
      ...listUnsubscribeHeaders(config({ DKIM_PRIVATE_KEY_FILE: keyFile }), to),
    },
  });
  return (info as unknown as { message: Buffer }).message;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  publicKey = pair.publicKey;
  privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  keyFile = join(dir, 'dkim.pem');
  writeFileSync(keyFile, privatePem);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('dkimSigningOptions', () => {
  test('null when DKIM is not configured', async () => {
    assert.equal(await dkimSigningOptions(config({ DKIM_DOMAIN: '', DKIM_SELECTOR: '' })), null);
  });

  test('reads DKIM_PRIVATE_KEY_FILE and names every header RFC 8058 needs signed', async () => {
    const options = await dkimSigningOptions(config({ DKIM_PRIVATE_KEY_FILE: keyFile }));
    assert.ok(options);
    assert.equal(options.domainName, 'example.org');
    assert.equal(options.keySelector, 'pw2026');
    assert.equal(options.privateKey, privatePem);
    const names = options.headerFieldNames.toLowerCase().split(':');
    for (const name of [
      'from',
      'to',
      'subject',
      'date',
      'message-id',
      'list-id',
      'list-unsubscribe',
      'list-unsubscribe-post',
      'mime-version',
      'content-type',
    ]) {
      assert.ok(names.includes(name), `signs ${name}`);
    }
  });

  test('takes an inline DKIM_PRIVATE_KEY with its newlines written as \\n', async () => {
    const options = await dkimSigningOptions(config({ DKIM_PRIVATE_KEY: privatePem.replace(/\n/g, '\\n') }));
    assert.equal(options?.privateKey, privatePem);
  });

  test('an unreadable, non-PEM, non-RSA or too short key is E_CONFIG naming the variable', async () => {
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const ed25519 = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const short = generateKeyPairSync('rsa', { modulusLength: 512 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const cases: [Record<string, string>, RegExp][] = [
      [{ DKIM_PRIVATE_KEY_FILE: join(dir, 'missing.pem') }, /DKIM_PRIVATE_KEY_FILE.*missing\.pem/],
      [{ DKIM_PRIVATE_KEY_FILE: write('text.pem', 'not a key\n') }, /DKIM_PRIVATE_KEY_FILE.*text\.pem/],
      [
        {
          DKIM_PRIVATE_KEY_FILE: write(
            'broken.pem',
            '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
          ),
        },
        /broken\.pem/,
      ],
      [{ DKIM_PRIVATE_KEY_FILE: write('ed.pem', ed25519) }, /ed\.pem/],
      [{ DKIM_PRIVATE_KEY_FILE: write('short.pem', short) }, /short\.pem/],
      [{ DKIM_PRIVATE_KEY: 'nonsense' }, /DKIM_PRIVATE_KEY\b/],
    ];
    for (const [env, where] of cases) {
      await assert.rejects(
        dkimSigningOptions(config(env)),
        (error: unknown) =>
          isPaperwireError(error, 'E_CONFIG') && where.test(error.message) && Boolean(error.hint),
        JSON.stringify(env),
      );
    }
  });
});

describe('a DKIM-signed message (real nodemailer, verified by mailauth without DNS)', () => {
  test('verifies with the public key and signs both List-Unsubscribe headers', async () => {
    const options = await dkimSigningOptions(config({ DKIM_PRIVATE_KEY_FILE: keyFile }));
    assert.ok(options);
    const message = await signedMessage(options);
    const result = await verifyDkim(message, publicKey);
    assert.equal(result.bodyHashOk, true, 'body hash');
    assert.equal(result.signatureOk, true, 'signature');
    assert.equal(result.domain, 'example.org');
    assert.equal(result.selector, 'pw2026');
    assert.equal(result.canonicalization, 'relaxed/relaxed');
    for (const name of [
      'from',
      'to',
      'subject',
      'message-id',
      'list-id',
      'list-unsubscribe',
      'list-unsubscribe-post',
    ]) {
      assert.ok(result.signedHeaders.includes(name), `h= lists ${name}`);
    }
    // One List-Unsubscribe header holding both targets: the signed one carries the https URL.
    const raw = message.toString('latin1');
    assert.equal(raw.match(/^List-Unsubscribe:/gim)?.length, 1);
    const token = unsubscribeToken(SECRET, 'weekly.papers.example.org', 'ada@example.org');
    assert.ok(
      raw.replace(/\r\n[ \t]+/g, ' ').includes(`<https://papers.example.org/unsubscribe?token=${token}>`),
    );
  });

  test('the verifier catches a changed unsubscribe URL, a changed body and the wrong key', async () => {
    const options = await dkimSigningOptions(config({ DKIM_PRIVATE_KEY_FILE: keyFile }));
    assert.ok(options);
    const message = (await signedMessage(options)).toString('latin1');

    const otherUrl = message.replace(
      'https://papers.example.org/unsubscribe',
      'https://evil.example/unsubscribe',
    );
    assert.notEqual(otherUrl, message);
    assert.equal((await verifyDkim(otherUrl, publicKey)).signatureOk, false);

    const otherPost = message.replace('List-Unsubscribe=One-Click', 'List-Unsubscribe=Two-Clicks');
    assert.equal((await verifyDkim(otherPost, publicKey)).signatureOk, false);

    const otherBody = message.replace('this is the plain part', 'this is another part');
    assert.equal((await verifyDkim(otherBody, publicKey)).bodyHashOk, false);

    const otherKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    assert.equal((await verifyDkim(message, otherKey)).ok, false);
  });

  test('an independent check with node:crypto alone agrees: the header signature holds, and breaks', async () => {
    const options = await dkimSigningOptions(config({ DKIM_PRIVATE_KEY_FILE: keyFile }));
    assert.ok(options);
    const message = (await signedMessage(options)).toString('latin1');
    assert.equal(headerSignatureVerifies(message, publicKey), true);
    const otherUrl = message.replace(
      'https://papers.example.org/unsubscribe',
      'https://evil.example/unsubscribe',
    );
    assert.equal(headerSignatureVerifies(otherUrl, publicKey), false);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    assert.equal(headerSignatureVerifies(message, otherKey), false);
  });
});
