// Picks the transport from the configuration: SMTP when SMTP_URL is set, else the
// local outbox folder.
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log.ts';
import type { Transport } from '../../types.ts';
import { type DkimSigningOptions, dkimSigningOptions } from '../../unsubscribe/dkim.ts';
import { senderAddress } from '../headers.ts';
import { createOutboxTransport } from './outbox.ts';
import { createSmtpTransport, type SmtpTimeouts } from './smtp.ts';

export { createOutboxTransport, outboxPath } from './outbox.ts';
export { createSmtpTransport, DEFAULT_SMTP_TIMEOUTS, redactedSmtpUrl, type SmtpTimeouts } from './smtp.ts';

/**
 * Checks what every message's sender needs, before anything is written: MAIL_FROM when
 * SMTP_URL is set, and a usable DKIM key (E_CONFIG otherwise); returns the DKIM options.
 */
export async function checkSender(config: Config): Promise<DkimSigningOptions | null> {
  senderAddress(config);
  return dkimSigningOptions(config);
}

/**
 * The transport `config` asks for: pooled SMTP to SMTP_URL (slow replies logged to
 * `options.log`), or .eml files in STATE_DIR/outbox. Throws E_CONFIG when SMTP_URL is set without MAIL_FROM, or the
 * DKIM key is unusable.
 */
export async function createTransport(
  config: Config,
  options: {
    smtpTimeouts?: SmtpTimeouts;
    log?: Logger;
    /** What checkSender returned, when the caller checked the sender already (the key is not read again). */
    dkim?: DkimSigningOptions | null;
  } = {},
): Promise<Transport> {
  const dkim = options.dkim === undefined ? await checkSender(config) : options.dkim;
  return config.smtpUrl
    ? createSmtpTransport(config, dkim, options.smtpTimeouts, options.log)
    : createOutboxTransport(config.outboxDir, dkim);
}
