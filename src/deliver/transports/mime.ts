// How an OutgoingMessage becomes an RFC 5322 message (multipart/alternative: text +
// HTML), in one place for both transports: `mailFields` is what nodemailer composes
// from — the SMTP pool streams it into the connection, the outbox's stream transport
// into a file, each signing with the same DKIM options — so an .eml in the outbox
// holds exactly what SMTP would send.
import { domainToASCII } from 'node:url';
import type { SendMailOptions } from 'nodemailer';
import { bareAddress } from '../../subscribers/address.ts';
import type { OutgoingMessage } from '../../types.ts';
import { localRefusal } from '../retry.ts';

/** A character outside ASCII. */
export const NON_ASCII = /[^\p{ASCII}]/u;

/** The SMTP envelope of a message: the bare sender address and the one recipient. */
export type Envelope = {
  from: string;
  to: string[];
};

/**
 * `address` with its domain in ASCII (IDNA: `ada@bücher.example` → `ada@xn--bcher-kva.example`),
 * as every server takes it; a domain IDNA cannot convert is refused for this message alone.
 */
export function asciiDomain(address: string, command: 'RCPT TO' | 'MAIL FROM'): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  if (!NON_ASCII.test(domain)) return address;
  const ascii = domainToASCII(domain);
  if (ascii === '') {
    throw localRefusal(
      command,
      `553 5.1.3 paperwire: "${domain}" in ${address} is not a valid international domain name (IDNA)`,
    );
  }
  return `${address.slice(0, at + 1)}${ascii}`;
}

/** The SMTP envelope for `message`: MAIL FROM is its return path (BOUNCE_ADDRESS), else the From address; domains in ASCII. */
export function envelopeOf(message: OutgoingMessage): Envelope {
  return {
    from: asciiDomain(message.returnPath ?? bareAddress(message.from), 'MAIL FROM'),
    to: [asciiDomain(message.to.email, 'RCPT TO')],
  };
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
