// How an OutgoingMessage becomes an RFC 5322 message (multipart/alternative: text +
// HTML), in one place for both transports: `mailFields` is what nodemailer composes
// from — the SMTP pool streams it into the connection, the outbox's stream transport
// into a file, each signing with the same DKIM options — so an .eml in the outbox
// holds exactly what SMTP would send.
import type { SendMailOptions } from 'nodemailer';
import { bareAddress } from '../../subscribers/address.ts';
import type { OutgoingMessage } from '../../types.ts';

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
