// Every header of an outgoing message is decided here and nowhere else: From, To,
// Reply-To, Subject, Date, Message-ID, List-Id and the List-Unsubscribe pair. Each
// value is stripped of CR, LF and other control characters first, so no subscriber
// name, subject or paper title can start a header of its own.
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { OutgoingMessage, RenderedEmail, Subscriber } from '../types.ts';
import { listUnsubscribeHeaders, type UnsubscribeSettings } from '../unsubscribe/index.ts';
import { type BounceAddressSettings, envelopeSender } from './verp.ts';

/** The sender of outbox messages when MAIL_FROM is not set (never used over SMTP). */
export const PLACEHOLDER_FROM = 'paperwire <paperwire@localhost>';

// C0/C1 controls (CR, LF, TAB, NUL, ESC …) and the Unicode line/paragraph separators.
const UNSAFE = /[\p{Cc}\u2028\u2029]+/gu;

/** `value` on one line: control characters become a space, runs of spaces one, ends trimmed. */
export function headerSafe(value: string): string {
  return value.replace(UNSAFE, ' ').replace(/ {2,}/g, ' ').trim();
}

/** The From address: MAIL_FROM; the placeholder for the outbox; E_CONFIG when sending over SMTP without it. */
export function senderAddress(config: Pick<Config, 'mailFrom' | 'smtpUrl'>): string {
  if (config.mailFrom) return headerSafe(config.mailFrom);
  if (config.smtpUrl) {
    throw new PaperwireError('E_CONFIG', 'MAIL_FROM is not set, and it is required to send over SMTP_URL', {
      hint: 'Set MAIL_FROM in .env, e.g. MAIL_FROM="Paper digest <digest@your-domain.org>" (a domain whose SPF/DKIM you control).',
    });
  }
  return PLACEHOLDER_FROM;
}

/** What every message's headers are made from, resolved once per send (see messageSettings). */
export interface MessageSettings {
  /** The From header, already checked (senderAddress). */
  from: string;
  replyTo: string | null;
  listId: string;
  /** Where List-Unsubscribe points. */
  unsubscribe: UnsubscribeSettings;
  /** The envelope sender (BOUNCE_ADDRESS, maybe VERP). */
  bounce: BounceAddressSettings;
  /** Told once about an unsubscribe URL receivers will not honour (plain http). */
  log?: Logger;
}

/** The message settings of a configuration; throws E_CONFIG when SMTP_URL is set without MAIL_FROM. */
export function messageSettings(config: Config, log?: Logger): MessageSettings {
  return {
    from: senderAddress(config),
    replyTo: config.mailReplyTo ? headerSafe(config.mailReplyTo) : null,
    listId: config.listId,
    unsubscribe: config,
    bounce: { bounceAddress: config.bounceAddress, secret: config.unsubscribeSecret },
    log,
  };
}

/** The list headers of a message to `email`: List-Id and COMPLIANCE's List-Unsubscribe (+ -Post). */
export function messageHeaders(settings: MessageSettings, email: string): Record<string, string> {
  const headers: Record<string, string> = { 'List-Id': `<${headerSafe(settings.listId)}>` };
  for (const [name, value] of Object.entries(
    listUnsubscribeHeaders(settings.unsubscribe, email, settings.log),
  )) {
    headers[name] = headerSafe(value);
  }
  return headers;
}

/** What composeMessage needs besides the configuration. */
export interface ComposeInput {
  editionId: string;
  subscriber: Subscriber;
  rendered: RenderedEmail;
  /** Without angle brackets (see message-id.ts). */
  messageId: string;
  /** The Date header. */
  date: Date;
  /** Prepended to the subject, e.g. `[test] ` for `send --to`. */
  subjectPrefix?: string;
}

/** Builds the message for one subscriber: rendered content plus every header, all made header-safe. */
export function composeMessage(settings: MessageSettings, input: ComposeInput): OutgoingMessage {
  const { subscriber, rendered } = input;
  const name = subscriber.name === null ? null : headerSafe(subscriber.name) || null;
  return {
    editionId: input.editionId,
    to: { ...subscriber, email: headerSafe(subscriber.email), name },
    from: settings.from,
    replyTo: settings.replyTo,
    messageId: headerSafe(input.messageId).replace(/[<>\s]/g, ''),
    subject: headerSafe(`${input.subjectPrefix ?? ''}${rendered.subject}`),
    // Bytes, not strings: see OutgoingMessage (this keeps a long send's memory flat).
    html: Buffer.from(rendered.html, 'utf8'),
    text: Buffer.from(rendered.text, 'utf8'),
    headers: {
      Date: rfc5322Date(input.date),
      ...messageHeaders(settings, subscriber.email),
    },
    returnPath: headerSafe(envelopeSender(settings.bounce, settings.from, input.editionId, subscriber.email)),
  };
}

/** `Tue, 01 Dec 2026 08:00:00 +0000`. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}
