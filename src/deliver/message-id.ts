// Message-IDs derived from (edition, subscriber): a message re-sent after a crash
// carries the same Message-ID as the copy that may already have arrived, so
// receivers (and people) can recognise the duplicate.
import { createHash, randomBytes } from 'node:crypto';
import { addressDomain, addressKey, bareAddress } from '../subscribers/address.ts';

/** The right-hand side used when MAIL_FROM is not set (the outbox placeholder). */
export const FALLBACK_MESSAGE_ID_DOMAIN = 'paperwire.invalid';

/** The domain Message-IDs are minted under: MAIL_FROM's domain, or paperwire.invalid. */
export function messageIdDomain(mailFrom: string | null): string {
  return (mailFrom && addressDomain(bareAddress(mailFrom))) || FALLBACK_MESSAGE_ID_DOMAIN;
}

/** The Message-ID (without angle brackets) of edition `editionId` for `email`: `<edition>.<24 hex>@<domain>`. */
export function deliveryMessageId(editionId: string, email: string, domain: string): string {
  const digest = createHash('sha256')
    .update(`${addressKey(email)}\n${editionId}`)
    .digest('hex')
    .slice(0, 24);
  return `${safeIdPart(editionId)}.${digest}@${domain}`;
}

/** A fresh Message-ID for a test copy (`send --to`), never equal to a real delivery's. */
export function testMessageId(editionId: string, domain: string): string {
  return `${safeIdPart(editionId)}.test-${randomBytes(12).toString('hex')}@${domain}`;
}

function safeIdPart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** A fresh Message-ID for a sign-up's confirmation email: `confirm.<24 hex>@<domain>`. */
export function confirmationMessageId(domain: string): string {
  return `confirm.${randomBytes(12).toString('hex')}@${domain}`;
}
