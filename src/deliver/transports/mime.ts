// How an OutgoingMessage becomes an RFC 5322 message (multipart/alternative: text +
// HTML), in one place for both transports: `mailFields` is what nodemailer composes
// from — the SMTP pool streams it straight into the connection, the outbox builds it
// into a file — so an .eml in the outbox has exactly the headers SMTP would send.
import type { Readable } from 'node:stream';
import type { SendMailOptions } from 'nodemailer';
import DKIM from 'nodemailer/lib/dkim';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMessage } from '../../types.ts';
import type { DkimSigningOptions } from '../../unsubscribe/dkim.ts';
import { bareAddress } from '../../unsubscribe/index.ts';

/** The SMTP envelope of a message: the bare sender address and the one recipient. */
export type Envelope = {
  from: string;
  to: string[];
};

/** The SMTP envelope for `message`: MAIL FROM is its return path (BOUNCE_ADDRESS), else the From address. */
export function envelopeOf(message: OutgoingMessage): Envelope {
  return { from: message.returnPath ?? bareAddress(message.from), to: [message.to.email] };
}

/** The nodemailer message fields for `message`: every header comes from headers.ts, nothing is added. */
export function mailFields(message: OutgoingMessage): SendMailOptions {
  return {
    envelope: envelopeOf(message),
    from: message.from,
    to: message.to.name ? { name: message.to.name, address: message.to.email } : message.to.email,
    replyTo: message.replyTo ?? undefined,
    subject: message.subject,
    messageId: `<${message.messageId}>`,
    headers: message.headers,
    // Named, so nodemailer does not decode the bytes again to pick an encoding itself.
    text: { content: message.text, contentTransferEncoding: 'quoted-printable' },
    html: { content: message.html, contentTransferEncoding: 'quoted-printable' },
    // The content is always a string handed over by render: never read a path or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The whole message as bytes with CRLF line ends (for a file); DKIM-signed when `dkim` is given. */
export async function buildRawMessage(
  message: OutgoingMessage,
  dkim: DkimSigningOptions | null,
): Promise<Buffer> {
  // SMTP turns every line end into CRLF on the wire; a file needs it done here.
  const raw = await new MailComposer({ ...mailFields(message), newline: 'win' }).compile().build();
  if (!dkim) return raw;
  return collect(new DKIM(dkim).sign(raw));
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
