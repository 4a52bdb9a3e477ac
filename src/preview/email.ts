// One reader's email as the preview shows it: the rendered parts, the headers as
// DELIVER would send them (Date left out), the sizes, and which content variant it is.
import { composeMessage, type MessageSettings } from '../deliver/headers.ts';
import type { PreparedEdition } from '../render/index.ts';
import type { RenderedEmail, Subscriber } from '../types.ts';

/** One reader's rendered email plus what the preview shows about it. */
export interface PreviewEmail {
  subscriber: Subscriber;
  rendered: RenderedEmail;
  /** The message headers as they would be sent (From, To, Subject, Message-ID, List-*), Date left out. */
  headers: Record<string, string>;
  htmlBytes: number;
  textBytes: number;
}

/** The preview of `rendered` for `subscriber`, with the headers composeMessage would give it. */
export function previewEmail(
  settings: MessageSettings,
  editionId: string,
  subscriber: Subscriber,
  rendered: RenderedEmail,
  messageId: string,
): PreviewEmail {
  const message = composeMessage(settings, { editionId, subscriber, rendered, messageId, date: new Date(0) });
  const { Date: _date, ...listHeaders } = message.headers;
  return {
    subscriber,
    rendered,
    headers: {
      From: message.from,
      To: message.to.name ? `${message.to.name} <${message.to.email}>` : message.to.email,
      ...(message.replyTo ? { 'Reply-To': message.replyTo } : {}),
      Subject: message.subject,
      'Message-ID': `<${message.messageId}>`,
      ...listHeaders,
    },
    htmlBytes: Buffer.byteLength(rendered.html),
    textBytes: Buffer.byteLength(rendered.text),
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
