// The outbox transport: each message becomes an .eml file under
// STATE_DIR/outbox/<edition>/, the embedded default when no SMTP_URL is set, so a
// fresh checkout runs its whole main job. nodemailer's stream transport composes it
// from the same fields and DKIM options the SMTP pool sends, with CRLF line ends, so
// a file holds what SMTP would carry.
//
// A file is never replaced. Each address has a name of its own (a readable part and a
// hash of the address); the bytes go to a temporary file that is then hard-linked to
// that name, which fails when a file is there already (and a crash leaves a whole
// file or none). A message whose file exists is then:
//   - the same message (same Message-ID: same edition and subscriber), written before a
//     crash kept the ledger from recording it: delivered, and the file stays as it was;
//   - anything else: refused, for that message alone (a permanent failure in the ledger).
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { addressKey } from '../../subscribers/address.ts';
import type { OutgoingMessage, Transport, TransportResult } from '../../types.ts';
import type { DkimSigningOptions } from '../../unsubscribe/dkim.ts';
import { mailFields } from './mime.ts';

/** A file-name-safe form of an address or edition id (other characters become `_`). */
export function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9._@+-]/g, '_').replace(/^\.+/, '_');
}

/** How much of an address shows in its file name (the hash keeps names apart past that). */
const READABLE_CHARS = 64;

/**
 * Where the outbox puts the message of `editionId` for `email`:
 * `<edition>/<readable address>.<10 hex chars of its SHA-256>.eml`. The readable part
 * loses what a file name cannot hold (`jörg@` and `j#rg@` both read `j_rg@`); the hash,
 * of the address as subscribers are compared, keeps every address's file its own.
 */
export function outboxPath(outboxDir: string, editionId: string, email: string): string {
  const key = addressKey(email);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 10);
  return join(
    outboxDir,
    safeFileName(editionId),
    `${safeFileName(key).slice(0, READABLE_CHARS)}.${hash}.eml`,
  );
}

/** The Message-ID header of a stored message, or null. */
function storedMessageId(raw: Buffer): string | null {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  return /^Message-ID:[ \t]*(<[^>\r\n]*>)/im.exec(head)?.[1] ?? null;
}

/**
 * Thrown when the message's file holds another message. Shaped like the SMTP error of
 * a message refused after DATA (nodemailer's `EMESSAGE`, a 5xx reply), so the ledger
 * records it as failed for this subscriber alone; the enhanced code 5.3.0 ("mail
 * system") keeps it from ever counting as an unknown mailbox.
 */
class OutboxRefusal extends Error {
  readonly code = 'EMESSAGE';
  readonly responseCode = 554;
  readonly command = 'DATA';
  readonly response: string;
  constructor(path: string, found: string | null) {
    const response = `554 5.3.0 outbox: ${path} already holds ${found ? `another message (Message-ID ${found})` : 'a file that is not this message'}; it is never overwritten: move it away, then send this one again`;
    super(response);
    this.response = response;
  }
}

/** A transport writing .eml files under `outboxDir`, DKIM-signed when `dkim` is given. */
export function createOutboxTransport(outboxDir: string, dkim: DkimSigningOptions | null): Transport {
  const composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    // SMTP turns every line end into CRLF on the wire; a file gets them written so.
    newline: 'windows',
    ...(dkim ? { dkim } : {}),
  });
  const made = new Set<string>();
  return {
    name: `outbox ${outboxDir}`,
    async send(message: OutgoingMessage): Promise<TransportResult> {
      const path = outboxPath(outboxDir, message.editionId, message.to.email);
      const dir = join(path, '..');
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      const { message: raw } = await composer.sendMail(mailFields(message));
      const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, raw as Buffer);
        await link(temporary, path); // never replaces: EEXIST when the name is taken
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const found = storedMessageId(await readFile(path));
        if (found !== `<${message.messageId}>`) throw new OutboxRefusal(path, found);
        return { response: `already in the outbox: ${path}` };
      } finally {
        await rm(temporary, { force: true });
      }
      return { response: `written ${path}` };
    },
    async close(): Promise<void> {
      composer.close();
    },
  };
}
