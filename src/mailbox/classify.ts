// What a message in the mailbox is, decided from its parsed facts alone:
//
// 1. a delivery report (RFC 3464 multipart/report; report-type=delivery-status, or
//    a non-standard bounce from a mailer daemon that quotes the original) about a
//    message paperwire sent → `bounce`, with the recipient's status code;
// 2. a complaint (RFC 5965 report-type=feedback-report) about such a message → `complaint`;
// 3. a message to UNSUBSCRIBE_MAILTO with "unsubscribe" in its subject or its own text
//    (quotes of the newsletter do not count) → `unsubscribe` by its From address; a
//    client's automatic one (Auto-Submitted: auto-generated) counts, an auto-reply or
//    list mail (another newsletter's footer) does not;
// 4. anything else (auto-replies, reports about mail paperwire did not send,
//    newsletters) → `other`, left alone.
//
// A report is tied to its delivery by the VERP address it came back to, or by the
// original's Message-ID, which the ledger holds.

import type { BounceAddressSettings } from '../deliver/verp.ts';
import { editionPart, readVerpToken, verpTokenMatches } from '../deliver/verp.ts';
import { shorten } from '../text.ts';
import { type MailboxMessage, type ReportFields, typedAddress } from './parse.ts';

/** The longest diagnostic kept from a delivery report. */
const DIAGNOSTIC_MAX = 300;

/** A delivery paperwire made, found from a report. */
export interface MatchedDelivery {
  editionId: string;
  email: string;
  /** How it was found. */
  by: 'verp' | 'message-id';
}

/** What the classifier may look up (in the store). */
export interface DeliveryLookup {
  /** The delivery sent with Message-ID `messageId`, or null. */
  byMessageId(messageId: string): { editionId: string; email: string } | null;
  /** Every edition id with deliveries. */
  editionIds(): string[];
  /** The addresses edition `editionId` went to. */
  recipients(editionId: string): string[];
}

/** Settings the classifier needs. */
export interface ClassifySettings {
  /** UNSUBSCRIBE_MAILTO's bare address, lower-cased. */
  unsubscribeMailto: string;
  bounce: BounceAddressSettings;
}

/** The class of a message, with what is known about it. */
export type Classification =
  | {
      class: 'bounce';
      delivery: MatchedDelivery;
      /** The enhanced status code, e.g. 5.1.1 or 4.2.2. */
      status: string;
      permanent: boolean;
      /** The server's words (Diagnostic-Code), shortened. */
      diagnostic: string;
    }
  | { class: 'complaint'; delivery: MatchedDelivery; feedbackType: string; userAgent: string | null }
  | { class: 'unsubscribe'; sender: string; autoSubmitted: string | null }
  | { class: 'other'; reason: string };

/** Classifies `message`; see the top of this file for the rules, in order. */
export function classifyMessage(
  message: MailboxMessage,
  settings: ClassifySettings,
  lookup: DeliveryLookup,
): Classification {
  if (message.reportType === 'feedback-report' || message.feedbackReport) {
    const delivery = matchDelivery(message, settings, lookup);
    if (!delivery) return { class: 'other', reason: 'a complaint about a message paperwire did not send' };
    return {
      class: 'complaint',
      delivery,
      feedbackType: message.feedbackReport?.get('feedback-type') ?? 'abuse',
      userAgent: message.feedbackReport?.get('user-agent') ?? null,
    };
  }

  const isReport = message.reportType === 'delivery-status' || message.deliveryStatus !== null;
  if (isReport || looksLikeBounce(message)) {
    const delivery = matchDelivery(message, settings, lookup);
    if (delivery) {
      const outcome = message.deliveryStatus
        ? reportedOutcome(message.deliveryStatus, delivery.email)
        : textOutcome(message);
      if (outcome === null) return { class: 'other', reason: 'a delivery report that is not a failure' };
      return { class: 'bounce', delivery, ...outcome };
    }
    if (isReport)
      return { class: 'other', reason: 'a delivery report about a message paperwire did not send' };
  }

  if (isUnsubscribeRequest(message, settings)) {
    return { class: 'unsubscribe', sender: message.from!, autoSubmitted: message.autoSubmitted };
  }
  if (message.autoSubmitted && message.autoSubmitted !== 'no') {
    return { class: 'other', reason: `an automatic message (Auto-Submitted: ${message.autoSubmitted})` };
  }
  return { class: 'other', reason: 'not a report or an unsubscribe request' };
}

/** Finds the delivery a report is about: its VERP address first, then the quoted Message-ID. */
function matchDelivery(
  message: MailboxMessage,
  settings: ClassifySettings,
  lookup: DeliveryLookup,
): MatchedDelivery | null {
  const secret = settings.bounce.secret;
  if (secret) {
    for (const address of [...message.recipients, ...message.quotedSenders]) {
      const token = readVerpToken(settings.bounce, address);
      if (!token) continue;
      for (const editionId of lookup.editionIds()) {
        // The token names its edition: only that edition's recipients are worth a MAC each.
        if (editionPart(editionId) !== token.edition) continue;
        for (const email of lookup.recipients(editionId)) {
          if (verpTokenMatches(secret, token, editionId, email)) return { editionId, email, by: 'verp' };
        }
      }
    }
  }
  for (const id of message.quotedMessageIds) {
    const found = lookup.byMessageId(id);
    if (found) return { ...found, by: 'message-id' };
  }
  return null;
}

const DAEMON_SENDER = /^(mailer-daemon|mail-daemon|mailerdaemon|postmaster|mail delivery subsystem)@/i;
const BOUNCE_SUBJECT =
  /undeliver|returned mail|failure notice|delivery (status notification|failure|has failed|incomplete)|mail delivery (failed|system)|non-?delivery|could not be delivered/i;

/** A bounce that is not RFC 3464: from a mailer daemon, or with a bounce's subject. */
function looksLikeBounce(message: MailboxMessage): boolean {
  return (message.from !== null && DAEMON_SENDER.test(message.from)) || BOUNCE_SUBJECT.test(message.subject);
}

type Outcome = { status: string; permanent: boolean; diagnostic: string };

/** The outcome for `email` in an RFC 3464 report (its recipient group, else the first failed one). */
function reportedOutcome(groups: readonly ReportFields[], email: string): Outcome | null {
  const recipients = groups.filter((group) => group.has('final-recipient') || group.has('action'));
  const key = email.toLowerCase();
  const mine =
    recipients.find((group) =>
      ['final-recipient', 'original-recipient'].some(
        (field) => typedAddress(group.get(field) ?? '').toLowerCase() === key,
      ),
    ) ??
    recipients.find((group) => /^(failed|delayed)$/i.test(group.get('action') ?? '')) ??
    recipients[0];
  if (!mine) return null;
  const action = (mine.get('action') ?? '').toLowerCase();
  const status = /\b([245])\.\d{1,3}\.\d{1,3}\b/.exec(mine.get('status') ?? '')?.[0];
  const klass = status?.[0] ?? (action === 'failed' ? '5' : action === 'delayed' ? '4' : '2');
  if (klass === '2' || (action !== '' && action !== 'failed' && action !== 'delayed')) return null;
  return {
    status: status ?? `${klass}.0.0`,
    permanent: klass === '5',
    diagnostic: shorten((mine.get('diagnostic-code') ?? '').replace(/^[^;]*;\s*/, ''), DIAGNOSTIC_MAX),
  };
}

/** The outcome a non-standard bounce states in its text, before the quoted original. */
function textOutcome(message: MailboxMessage): Outcome {
  const ownText = message.text.split(/^[ \t>]*(?:Return-Path|Received|Message-ID):/im)[0] ?? '';
  const basicCode = /\b([45])\d\d\b/.exec(ownText)?.[1];
  const status =
    /\b[45]\d\d[ -]([45]\.\d{1,3}\.\d{1,3})\b/.exec(ownText)?.[1] ??
    /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(ownText)?.[1] ??
    (basicCode ? `${basicCode}.0.0` : null) ??
    (/delay|will (be )?retr|temporar/i.test(ownText + message.subject) ? '4.0.0' : '5.0.0');
  const line =
    ownText.split('\n').find((candidate) => candidate.includes(status)) ??
    ownText.split('\n').find((candidate) => /\b[45]\d\d\b/.test(candidate)) ??
    '';
  return { status, permanent: status.startsWith('5'), diagnostic: shorten(line, DIAGNOSTIC_MAX) };
}

/** To UNSUBSCRIBE_MAILTO, from someone, with "unsubscribe" in the subject or its own text; not an auto-reply. */
function isUnsubscribeRequest(message: MailboxMessage, settings: ClassifySettings): boolean {
  if (!message.from || message.autoSubmitted === 'auto-replied' || message.bulk) return false;
  if (!message.recipients.includes(settings.unsubscribeMailto)) return false;
  return /\bunsubscribe\b/i.test(message.subject) || /\bunsubscribe\b/i.test(ownText(message.text));
}

/** The text someone wrote, without what they quote: stops at the first quote marker. */
function ownText(text: string): string {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*>/.test(line) || /^On .+wrote:\s*$/.test(line) || /^-{2,}\s*Original Message/i.test(line)) break;
    if (/^(From|Sent|To|Subject):\s/.test(line) && lines.length > 0) break;
    lines.push(line);
  }
  return lines.join('\n');
}
