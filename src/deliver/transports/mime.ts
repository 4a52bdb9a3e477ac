// Turns an OutgoingMessage into the bytes of an RFC 5322 message (multipart/
// alternative: text + HTML), DKIM-signed when a key is configured. Both transports
// use it, so an .eml in the outbox is byte-for-byte what SMTP would have sent.
import type { Readable } from 'node:stream';
import DKIM from 'nodemailer/lib/dkim';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMessage } from '../../types.ts';
import type { DkimSigningOptions } from '../../unsubscribe/dkim.ts';

/** The SMTP envelope of a message: the bare sender address and the one recipient. */
export type Envelope = {
  from: string;
  to: string[];
};

/** The bare address of `"Name <a@b.c>"` or `a@b.c`. */
function bare(address: string): string {
  return (/<([^>]+)>\s*$/.exec(address)?.[1] ?? address).trim();
}

/** The SMTP envelope for `message`. */
export function envelopeOf(message: OutgoingMessage): Envelope {
  return { from: bare(message.from), to: [message.to.email] };
}

/** Builds the raw message once; with `dkim`, the signature is prepended. */
export async function buildRawMessage(
  message: OutgoingMessage,
  dkim: DkimSigningOptions | null,
): Promise<Buffer> {
  const composer = new MailComposer({
    from: message.from,
    to: message.to.name ? { name: message.to.name, address: message.to.email } : message.to.email,
    replyTo: message.replyTo ?? undefined,
    subject: message.subject,
    messageId: `<${message.messageId}>`,
    headers: message.headers,
    text: message.text,
    html: message.html,
    newline: 'win',
    // The content is always a string handed over by render: never read a path or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const raw = await composer.compile().build();
  if (!dkim) return raw;
  return collect(new DKIM(dkim).sign(raw));
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
