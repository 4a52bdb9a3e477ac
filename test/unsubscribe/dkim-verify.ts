// DKIM verification for tests, without DNS: mailauth (the verifier by nodemailer's
// author) checks a message, its resolver hook answering the key query with the public
// key the test holds. A second, small check with node:crypto alone recomputes the
// header signature (RFC 6376 relaxed canonicalization), so that the tests of the
// signer never rest on one verifier.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
// The entry point mailauth's README gives for DKIM verification alone.
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';

/** What mailauth found for the message's first DKIM-Signature. */
export interface DkimResult {
  /** The signature verifies: body hash and header signature. */
  ok: boolean;
  bodyHashOk: boolean;
  signatureOk: boolean;
  /** mailauth's word on a failure (`bad signature`, `body hash did not verify` …). */
  comment: string | undefined;
  /** The d=, s= and c= tags. */
  domain: string;
  selector: string | undefined;
  canonicalization: string | undefined;
  /** The signed header names, lower-cased, in h= order. */
  signedHeaders: string[];
}

function keyObject(publicKey: KeyObject | string): KeyObject {
  return typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
}

/** Verifies the message's DKIM-Signature with `publicKey` (mailauth); throws when there is none. */
export async function verifyDkim(
  message: string | Buffer,
  publicKey: KeyObject | string,
): Promise<DkimResult> {
  const p = keyObject(publicKey).export({ type: 'spki', format: 'der' }).toString('base64');
  const { results } = await dkimVerify(
    typeof message === 'string' ? Buffer.from(message, 'latin1') : message,
    {
      // Every DNS question is answered here: any DKIM key record is the test's key, nothing else exists.
      resolver: async (name: string, type: string) => {
        if (type === 'TXT' && name.includes('._domainkey.')) return [[`v=DKIM1; k=rsa; p=${p}`]];
        throw Object.assign(new Error(`no DNS in tests (${type} ${name})`), { code: 'ENOTFOUND' });
      },
    },
  );
  const [result] = results;
  // Without a signature mailauth still reports one result, with status "none".
  if (!result || result.status.result === 'none') throw new Error('the message has no DKIM-Signature header');
  const details = result as typeof result & {
    bodyHash?: string;
    bodyHashExpecting?: string;
    format?: string;
    signingHeaders?: { keys: string };
  };
  return {
    ok: result.status.result === 'pass',
    bodyHashOk: details.bodyHash !== undefined && details.bodyHash === details.bodyHashExpecting,
    signatureOk: result.status.result === 'pass',
    comment: result.status.comment,
    domain: result.signingDomain,
    selector: result.selector,
    canonicalization: details.format,
    signedHeaders: (details.signingHeaders?.keys ?? '')
      .split(':')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  };
}

interface HeaderField {
  name: string;
  /** The whole field as it appears, folding included, without the final CRLF. */
  raw: string;
}

/** The header fields of a message, unfolded into one entry each. */
function headerFields(message: string): HeaderField[] {
  const normalized = message.replace(/\r?\n/g, '\r\n');
  const end = normalized.indexOf('\r\n\r\n');
  const fields: HeaderField[] = [];
  for (const line of (end < 0 ? normalized : normalized.slice(0, end)).split('\r\n')) {
    const last = fields.at(-1);
    if (/^[ \t]/.test(line) && last) last.raw += `\r\n${line}`;
    else fields.push({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), raw: line });
  }
  return fields;
}

/** RFC 6376 3.4.2: lower-case name, unfolded value, runs of whitespace as one space, trimmed. */
function relaxed(field: HeaderField): string {
  const value = field.raw.slice(field.raw.indexOf(':') + 1);
  return `${field.name}:${value
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim()}`;
}

/**
 * The independent check: node:crypto alone verifies b= over the h= headers and the
 * DKIM-Signature with b= emptied (relaxed canonicalization, rsa-sha256, as paperwire signs).
 */
export function headerSignatureVerifies(message: string | Buffer, publicKey: KeyObject | string): boolean {
  const fields = headerFields(typeof message === 'string' ? message : message.toString('latin1'));
  const signature = fields.find((field) => field.name === 'dkim-signature');
  if (!signature) throw new Error('the message has no DKIM-Signature header');
  const tags = new Map(
    signature.raw
      .slice(signature.raw.indexOf(':') + 1)
      .split(';')
      .map((part) => [
        part.slice(0, part.indexOf('=')).trim(),
        part.slice(part.indexOf('=') + 1).replace(/\s+/g, ''),
      ]),
  );
  if (tags.get('a') !== 'rsa-sha256' || !tags.get('c')?.startsWith('relaxed')) {
    throw new Error(
      `this check knows rsa-sha256 with relaxed headers, not a=${tags.get('a')} c=${tags.get('c')}`,
    );
  }
  // Each name in h= takes the next instance of that header from the bottom up.
  const taken = new Map<string, number>();
  const lines: string[] = [];
  for (const name of (tags.get('h') ?? '').toLowerCase().split(':')) {
    const instances = fields.filter((field) => field.name === name);
    const field = instances[instances.length - 1 - (taken.get(name) ?? 0)];
    taken.set(name, (taken.get(name) ?? 0) + 1);
    if (field) lines.push(`${relaxed(field)}\r\n`);
  }
  // The signature header itself, b= emptied, without a final CRLF.
  lines.push(relaxed({ name: signature.name, raw: signature.raw.replace(/(^|;)(\s*b\s*=)[^;]*/, '$1$2') }));
  return verify(
    'sha256',
    Buffer.from(lines.join(''), 'latin1'),
    keyObject(publicKey),
    Buffer.from(tags.get('b') ?? '', 'base64'),
  );
}
