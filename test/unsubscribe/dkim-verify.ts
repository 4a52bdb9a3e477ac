// A DNS-free DKIM verifier for tests (RFC 6376, rsa-sha256, relaxed/relaxed or
// simple): written from the RFC, not from nodemailer's signer, so the two check
// each other. It verifies the first DKIM-Signature with the public key it is given.
import { createHash, type KeyObject, verify } from 'node:crypto';

/** What the verifier found; `ok` only when both the body hash and the signature match. */
export interface DkimResult {
  ok: boolean;
  bodyHashOk: boolean;
  signatureOk: boolean;
  /** The tags of the DKIM-Signature header (`h`, `bh`, `b`, `d`, `s`…), whitespace removed. */
  tags: Record<string, string>;
  /** The signed header names, lower-cased, in `h=` order. */
  signedHeaders: string[];
}

interface HeaderField {
  name: string;
  /** The whole field as it appears, folding included, without the final CRLF. */
  raw: string;
}

function splitMessage(message: string): { headers: HeaderField[]; body: string } {
  const normalized = message.replace(/\r?\n/g, '\r\n');
  const end = normalized.indexOf('\r\n\r\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const body = end < 0 ? '' : normalized.slice(end + 4);
  const headers: HeaderField[] = [];
  for (const line of head.split('\r\n')) {
    const last = headers.at(-1);
    if (/^[ \t]/.test(line) && last) last.raw += `\r\n${line}`;
    else headers.push({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), raw: line });
  }
  return { headers, body };
}

function relaxedHeader(field: HeaderField): string {
  const value = field.raw.slice(field.raw.indexOf(':') + 1);
  return `${field.name}:${value
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '')}`;
}

function simpleHeader(field: HeaderField): string {
  return field.raw;
}

function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

function simpleBody(body: string): string {
  const trimmed = body.replace(/(\r\n)+$/, '');
  return `${trimmed}\r\n`;
}

function parseTags(value: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    tags[part.slice(0, eq).trim()] = part.slice(eq + 1).replace(/[ \t\r\n]+/g, '');
  }
  return tags;
}

/** Verifies the message's DKIM-Signature with `publicKey`; throws when there is none. */
export function verifyDkim(message: string | Buffer, publicKey: KeyObject | string): DkimResult {
  // latin1 keeps every byte as one char, so hashing with latin1 reproduces the bytes.
  const { headers, body } = splitMessage(typeof message === 'string' ? message : message.toString('latin1'));
  const signatureField = headers.find((field) => field.name === 'dkim-signature');
  if (!signatureField) throw new Error('the message has no DKIM-Signature header');
  const tags = parseTags(signatureField.raw.slice(signatureField.raw.indexOf(':') + 1));
  if (tags.a !== 'rsa-sha256') throw new Error(`unsupported DKIM algorithm ${tags.a}`);
  const [headerCanon = 'simple', bodyCanon = 'simple'] = (tags.c ?? 'simple/simple').split('/');

  const canonicalBody = bodyCanon === 'relaxed' ? relaxedBody(body) : simpleBody(body);
  const limited = tags.l === undefined ? canonicalBody : canonicalBody.slice(0, Number(tags.l));
  const bodyHash = createHash('sha256').update(limited, 'latin1').digest('base64');
  const bodyHashOk = bodyHash === tags.bh;

  // Each name in h= takes the next instance of that header from the bottom up.
  const canon = headerCanon === 'relaxed' ? relaxedHeader : simpleHeader;
  const signedHeaders = (tags.h ?? '').split(':').map((name) => name.trim().toLowerCase());
  const used = new Map<string, number>();
  const lines: string[] = [];
  for (const name of signedHeaders) {
    const instances = headers.filter((field) => field.name === name);
    const taken = used.get(name) ?? 0;
    used.set(name, taken + 1);
    const field = instances[instances.length - 1 - taken];
    if (field) lines.push(`${canon(field)}\r\n`);
  }
  // The signature header itself, with the b= value emptied, and no trailing CRLF.
  const unsigned = {
    name: signatureField.name,
    raw: signatureField.raw.replace(/(^|;)([ \t\r\n]*b[ \t\r\n]*=)[^;]*/, '$1$2'),
  };
  lines.push(canon(unsigned));
  const signatureOk = verify(
    'sha256',
    Buffer.from(lines.join(''), 'latin1'),
    publicKey,
    Buffer.from(tags.b ?? '', 'base64'),
  );
  return { ok: bodyHashOk && signatureOk, bodyHashOk, signatureOk, tags, signedHeaders };
}
