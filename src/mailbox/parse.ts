// A raw message from the mailbox, read with mailparser into the plain facts the
// classifier needs: who it is from and to, its report parts (RFC 3464 delivery
// status, RFC 5965 feedback report) as field groups, and what it quotes of an
// original message (Message-IDs, Return-Paths). No MIME is decoded here by hand.
import { createHash } from 'node:crypto';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';

/** Header-style fields of one group of a report part, keys lower-cased, values unfolded. */
export type ReportFields = Map<string, string>;

/** A message as the classifier sees it. */
export interface MailboxMessage {
  /** The Message-ID without angle brackets, or `sha256:<hex>` of the raw message when it has none. */
  key: string;
  /** The Message-ID, or null. */
  messageId: string | null;
  /** Date header, or null. */
  date: Date | null;
  subject: string;
  /** The From address (bare, as written), or null. */
  from: string | null;
  /** Every address it was delivered to: To, Cc, Delivered-To, X-Original-To (bare, lower-cased). */
  recipients: string[];
  /** The Return-Path (bare); '' for the null sender `<>`; null when absent. */
  returnPath: string | null;
  /** The Auto-Submitted header (`auto-replied`, `auto-generated` …), lower-cased, or null. */
  autoSubmitted: string | null;
  /** True for list mail (List-Id, List-Unsubscribe, or Precedence bulk/list/junk): never a person's request. */
  bulk: boolean;
  /** `report-type` of a multipart/report (`delivery-status`, `feedback-report`), or null. */
  reportType: string | null;
  /** The groups of a message/delivery-status part: [per-message fields, per-recipient fields …]. */
  deliveryStatus: ReportFields[] | null;
  /** The fields of a message/feedback-report part. */
  feedbackReport: ReportFields | null;
  /** The message's plain text (HTML-only mail converted); enclosed originals are not in it, inline quotes are. */
  text: string;
  /** Message-IDs of the original message(s) it quotes or encloses (without angle brackets). */
  quotedMessageIds: string[];
  /** Envelope senders the quoted original names: its Return-Path, X-Postfix-Sender, Original-Mail-From. */
  quotedSenders: string[];
  /** The raw bytes (DMARC is checked on them). */
  raw: Buffer;
}

const PARSE_OPTIONS = {
  keepDeliveryStatus: true,
  skipImageLinks: true,
  skipTextLinks: true,
  skipTextToHtml: true,
} as const;

/** Reads `raw` into a MailboxMessage. */
export async function parseMailboxMessage(raw: Buffer): Promise<MailboxMessage> {
  const mail = await simpleParser(raw, PARSE_OPTIONS);
  const messageId = bareMessageId(mail.messageId);
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> };
  const reportType =
    contentType?.value?.toLowerCase() === 'multipart/report'
      ? (contentType.params?.['report-type']?.toLowerCase() ?? null)
      : null;

  let deliveryStatus: ReportFields[] | null = null;
  let feedbackReport: ReportFields | null = null;
  const quotedMessageIds: string[] = [];
  const quotedSenders: string[] = [];
  for (const part of mail.attachments) {
    const type = part.contentType.toLowerCase();
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      deliveryStatus = await fieldGroups(part.content);
      const sender = deliveryStatus[0]?.get('x-postfix-sender');
      if (sender) quotedSenders.push(typedAddress(sender));
    } else if (type === 'message/feedback-report') {
      feedbackReport = (await fieldGroups(part.content))[0] ?? new Map();
      const sender = feedbackReport.get('original-mail-from');
      if (sender) quotedSenders.push(bareAddress(sender));
    } else if (
      type === 'message/rfc822' ||
      type === 'message/global' ||
      type === 'text/rfc822-headers' ||
      type === 'message/global-headers'
    ) {
      const original = await simpleParser(headerBlock(part.content), PARSE_OPTIONS);
      const id = bareMessageId(original.messageId);
      if (id) quotedMessageIds.push(id);
      const returnPath = headerText(original, 'return-path');
      if (returnPath) quotedSenders.push(bareAddress(returnPath));
    }
  }

  const text = mail.text ?? '';
  // Bounces that are not RFC 3464 (older Exim, some providers) quote the original's headers in the text.
  for (const match of text.matchAll(/^[ \t>]*Message-ID:[ \t]*<([^>\s]+)>/gim))
    quotedMessageIds.push(match[1]!);
  for (const match of text.matchAll(/^[ \t>]*Return-Path:[ \t]*<([^>\s]+)>/gim))
    quotedSenders.push(match[1]!);

  const recipients = [
    ...addresses(mail.to),
    ...addresses(mail.cc),
    ...headerAddresses(mail, 'delivered-to'),
    ...headerAddresses(mail, 'x-original-to'),
  ].map((address) => address.toLowerCase());

  const returnPathText = headerText(mail, 'return-path');
  return {
    key: messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    messageId,
    date: mail.date ?? null,
    subject: mail.subject ?? '',
    from: addresses(mail.from)[0] ?? null,
    recipients: [...new Set(recipients)],
    returnPath: returnPathText === null ? null : bareAddress(returnPathText),
    autoSubmitted: headerText(mail, 'auto-submitted')?.toLowerCase().split(';')[0]?.trim() ?? null,
    bulk:
      headerText(mail, 'list-id') !== null ||
      headerText(mail, 'list-unsubscribe') !== null ||
      /^(bulk|list|junk)$/i.test(headerText(mail, 'precedence') ?? ''),
    reportType,
    deliveryStatus,
    feedbackReport,
    text,
    quotedMessageIds: [...new Set(quotedMessageIds)],
    quotedSenders: [...new Set(quotedSenders.filter(Boolean).map((s) => s.toLowerCase()))],
    raw,
  };
}

/** A Message-ID without its angle brackets (`<a@b>` → `a@b`), the key a message is recorded under; null for nothing. */
export function bareMessageId(id: string | undefined): string | null {
  const bare = id?.trim().replace(/^<|>$/g, '');
  return bare ? bare : null;
}

/** The bare address in `Name <a@b>`, `<a@b>` or `a@b`; '' for `<>`. */
function bareAddress(value: string): string {
  return (addressparser(value)[0]?.address ?? '').trim();
}

/** `rfc822; a@b` (a DSN's typed address) → `a@b`. */
export function typedAddress(value: string): string {
  return bareAddress(value.replace(/^[^;]*;/, ''));
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.flatMap((entry) => (entry.address ? [entry.address] : [])));
}

/** The first value of header `name` as text, or null. */
function headerText(mail: ParsedMail, name: string): string | null {
  const line = mail.headerLines.find((header) => header.key === name)?.line;
  return line === undefined ? null : line.slice(line.indexOf(':') + 1).trim();
}

function headerAddresses(mail: ParsedMail, name: string): string[] {
  return mail.headerLines
    .filter((header) => header.key === name)
    .map((header) => bareAddress(header.line.slice(header.line.indexOf(':') + 1)))
    .filter(Boolean);
}

/** Headers alone (text/rfc822-headers) need the blank line that ends a header section. */
function headerBlock(content: Buffer): Buffer {
  return Buffer.concat([content, Buffer.from('\r\n\r\n')]);
}

/** The blank-line-separated field groups of a report part, each read as a header section. */
async function fieldGroups(content: Buffer): Promise<ReportFields[]> {
  const groups = content
    .toString('utf8')
    .split(/\r?\n[ \t]*\r?\n/)
    .filter((group) => group.trim() !== '');
  const result: ReportFields[] = [];
  for (const group of groups) {
    const parsed = await simpleParser(headerBlock(Buffer.from(group.trim(), 'utf8')), PARSE_OPTIONS);
    const fields: ReportFields = new Map();
    for (const header of parsed.headerLines) {
      if (!fields.has(header.key)) {
        fields.set(
          header.key,
          header.line
            .slice(header.line.indexOf(':') + 1)
            .replace(/\s+/g, ' ')
            .trim(),
        );
      }
    }
    result.push(fields);
  }
  return result;
}
