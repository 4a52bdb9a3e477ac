// What the configuration leaves out of the Gmail/Yahoo bulk-sender rules: warnings,
// never errors, since a local outbox or a test relay needs none of it.
import type { Config } from '../config/index.ts';
import { addressDomain, bareAddress } from '../subscribers/address.ts';
import { isInsecurePublicUrl } from './index.ts';

function domainOf(address: string): string {
  return addressDomain(bareAddress(address)) ?? '';
}

/** True when two domains share an organizational domain as far as can be told without the public suffix list. */
function aligned(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

/** One line per deliverability gap of a configuration that sends over SMTP; empty when none is seen. */
export function deliverabilityWarnings(config: Config): string[] {
  if (!config.smtpUrl) return [];
  const warnings: string[] = [];
  if (!config.publicUrl) {
    warnings.push(
      'PUBLIC_URL is not set: messages offer only a mailto: unsubscribe, and Gmail and Yahoo ask bulk senders for one-click (set PUBLIC_URL and run `paperwire serve` behind https)',
    );
  } else if (isInsecurePublicUrl(config.publicUrl)) {
    warnings.push(
      `PUBLIC_URL ${config.publicUrl} is plain http: one-click unsubscribe (RFC 8058) needs https`,
    );
  }
  if (!config.dkim) {
    warnings.push(
      'DKIM is not configured: unless the SMTP relay signs for your domain, set DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE',
    );
  } else if (config.mailFrom && !aligned(domainOf(config.mailFrom), config.dkim.domain.toLowerCase())) {
    warnings.push(
      `DKIM_DOMAIN ${config.dkim.domain} does not match the MAIL_FROM domain ${domainOf(config.mailFrom)}: DMARC needs them aligned`,
    );
  }
  if (!config.postalAddress) {
    warnings.push(
      "POSTAL_ADDRESS is not set: US CAN-SPAM asks every commercial email for the sender's postal address (set POSTAL_ADDRESS; it becomes a footer line)",
    );
  }
  return warnings;
}
