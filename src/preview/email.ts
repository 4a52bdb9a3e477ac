// Renders one reader's email exactly as `send` would: the same templates, the
// same render options, the same unsubscribe link and the headers DELIVER builds.
import type { Config } from '../config/index.ts';
import { composeMessage, senderAddress } from '../deliver/headers.ts';
import { deliveryMessageId, messageIdDomain } from '../deliver/message-id.ts';
import {
  type PreparedEdition,
  prepareEdition,
  renderEmail,
  renderOptionsFrom,
  type Templates,
} from '../render/index.ts';
import type { Edition, RenderedEmail, Subscriber } from '../types.ts';
import { bodyUnsubscribeUrl } from '../unsubscribe/index.ts';

/** One reader's rendered email plus what the preview shows about it. */
export interface PreviewEmail {
  subscriber: Subscriber;
  rendered: RenderedEmail;
  /** The message headers as they would be sent (From, To, Subject, Message-ID, List-*), Date left out. */
  headers: Record<string, string>;
  htmlBytes: number;
  textBytes: number;
}

/** Prepares `edition` for rendering with the options `send` uses. */
export function preparePreview(
  edition: Edition,
  templates: Templates,
  config: Config,
): Promise<PreparedEdition> {
  return prepareEdition(edition, templates, renderOptionsFrom(config));
}

/** Renders the email `subscriber` would get from `prepared`. */
export async function renderPreviewEmail(
  prepared: PreparedEdition,
  config: Config,
  subscriber: Subscriber,
): Promise<PreviewEmail> {
  const rendered = await renderEmail(prepared, subscriber, {
    unsubscribeUrl: bodyUnsubscribeUrl(config, subscriber.email),
  });
  return {
    subscriber,
    rendered,
    headers: previewHeaders(config, prepared.edition.id, subscriber, rendered),
    htmlBytes: Buffer.byteLength(rendered.html),
    textBytes: Buffer.byteLength(rendered.text),
  };
}

function previewHeaders(
  config: Config,
  editionId: string,
  subscriber: Subscriber,
  rendered: RenderedEmail,
): Record<string, string> {
  let from: string;
  try {
    from = senderAddress(config);
  } catch {
    // A preview still renders; the missing setting shows where the address would be.
    from = '(MAIL_FROM is not set: required to send over SMTP_URL)';
  }
  const messageId = deliveryMessageId(editionId, subscriber.email, messageIdDomain(config.mailFrom));
  const message = composeMessage(config, { editionId, subscriber, rendered, messageId, from });
  const { Date: _date, ...listHeaders } = message.headers;
  return {
    From: message.from,
    To: message.to.name ? `${message.to.name} <${message.to.email}>` : message.to.email,
    ...(message.replyTo ? { 'Reply-To': message.replyTo } : {}),
    Subject: message.subject,
    'Message-ID': `<${message.messageId}>`,
    ...listHeaders,
  };
}

/** Which content variant a reader gets: a key shared by readers who see the same papers, and a label. */
export function describeVariant(
  prepared: PreparedEdition,
  topics: readonly string[],
): { key: string; label: string } {
  const content = prepared.contentFor(topics);
  const top = Math.min(prepared.context.maxPapers, prepared.edition.papers.length);
  if (content.forYou.length === 0) {
    const why = topics.length ? ' (no paper matches their topics)' : '';
    return { key: content.key, label: `top ${top} only${why}` };
  }
  const matched = [...new Set(content.forYou.map((match) => match.topic))].join(', ');
  const count = content.forYou.length + content.forYouMore;
  return {
    key: content.key,
    label: `top ${top} + For you: ${count} ${count === 1 ? 'paper' : 'papers'} (${matched})`,
  };
}
