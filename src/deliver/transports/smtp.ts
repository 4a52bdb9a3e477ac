// The SMTP transport: nodemailer's pooled SMTP client, a few connections kept open
// and reused, STARTTLS whenever the server offers it, DKIM-signing as it streams.
// Retrying is the ledger's job (deliver/index.ts), so the pool is told never to re-queue
// a message on its own. On top of the pool:
//   - SMTP_RATE_PER_SECOND is a hard cap over any one-second window (rate.ts);
//   - a message lost after it was handed over whole (the connection dropped or timed out
//     before the reply to the final ".") is marked `afterData`: it may have arrived;
//   - a reply awaited longer than slowReplyWarningMs is logged (the socket timeout ends it);
//   - an address with non-ASCII characters before the @ goes only to a server that offers
//     SMTPUTF8 (RFC 6531), asked once per run; otherwise that message alone is refused.
//
// The message is composed while it streams into the connection rather than built
// into a buffer first: measured, a prebuilt buffer per message costs ~15 % more CPU
// (copies and GC of ~80 KB a message). A retry composes the same OutgoingMessage
// again — same Message-ID, Date and headers; only the MIME boundaries differ.
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Config } from '../../config/index.ts';
import { type Logger, silentLogger } from '../../log.ts';
import type { OutgoingMessage, Transport, TransportResult } from '../../types.ts';
import type { DkimSigningOptions } from '../../unsubscribe/dkim.ts';
import { localRefusal } from '../retry.ts';
import { mailFields, NON_ASCII } from './mime.ts';
import { createRateLimiter } from './rate.ts';

/** Timeouts of the SMTP client, in milliseconds (tests shorten them). */
export interface SmtpTimeouts {
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  /** Inactivity on an open connection, e.g. no reply after the final "." of DATA: the message is given up. */
  socketTimeoutMs: number;
  /** A message still without a reply this long after it was handed over is logged. */
  slowReplyWarningMs?: number;
}

/** Defaults: generous enough for a slow relay, short enough that a dead one is noticed within the run. */
export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionTimeoutMs: 30_000,
  greetingTimeoutMs: 30_000,
  socketTimeoutMs: 120_000,
  slowReplyWarningMs: 60_000,
};

/** `smtp://host:port` of an SMTP_URL, without the credentials (for logs). */
export function redactedSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
}

/** What the pool is handed for one message: its fields, and whether it has gone out whole. */
type TrackedMail = SendMailOptions & { handedOver?: { whole: boolean } };

/** A pooled SMTP transport for `config.smtpUrl`, signing with `dkim` when given; slow replies go to `log`. */
export function createSmtpTransport(
  config: Config,
  dkim: DkimSigningOptions | null,
  timeouts: SmtpTimeouts = DEFAULT_SMTP_TIMEOUTS,
  log: Logger = silentLogger,
): Transport {
  const { smtpUrl } = config;
  if (!smtpUrl) throw new Error('createSmtpTransport needs SMTP_URL');
  const connection = {
    connectionTimeout: timeouts.connectionTimeoutMs,
    greetingTimeout: timeouts.greetingTimeoutMs,
    socketTimeout: timeouts.socketTimeoutMs,
    tls: { rejectUnauthorized: config.smtpTlsRejectUnauthorized },
  };
  const pool = nodemailer.createTransport({
    pool: true,
    url: smtpUrl,
    maxConnections: config.smtpMaxConnections,
    // A dropped connection fails the message back to us, to be counted in the ledger and retried.
    maxRequeues: 0,
    ...connection,
    ...(dkim ? { dkim } : {}),
  });
  // Marks a message whose last byte left for the server (a stream plugin runs before DKIM's
  // signer, which reads all of it before it writes: "whole" is then a moment early, which
  // only errs on the side of "may have arrived").
  pool.use('stream', (mail, done) => {
    const tracked = (mail.data as TrackedMail).handedOver;
    if (tracked) {
      mail.message.processFunc((input) => {
        input.once('end', () => {
          tracked.whole = true;
        });
        return input;
      });
    }
    done();
  });
  const limiter = config.smtpRatePerSecond ? createRateLimiter(config.smtpRatePerSecond) : null;
  const slowMs = timeouts.slowReplyWarningMs ?? DEFAULT_SMTP_TIMEOUTS.slowReplyWarningMs!;
  let smtpUtf8: Promise<boolean> | null = null;
  const offersSmtpUtf8 = (): Promise<boolean> => {
    smtpUtf8 ??= askSmtpUtf8({ ...parseConnectionUrl(smtpUrl), ...connection }).catch((error: unknown) => {
      smtpUtf8 = null; // ask again with the next such message
      throw error;
    });
    return smtpUtf8;
  };

  return {
    name: redactedSmtpUrl(smtpUrl),
    async send(message: OutgoingMessage): Promise<TransportResult> {
      const fields: TrackedMail = mailFields(message);
      const envelope = fields.envelope as { from: string; to: string[] };
      if ((NON_ASCII.test(envelope.to[0]!) || NON_ASCII.test(envelope.from)) && !(await offersSmtpUtf8())) {
        throw NON_ASCII.test(envelope.from)
          ? localRefusal(
              'MAIL FROM',
              `553 5.6.7 paperwire: the sender ${envelope.from} has non-ASCII characters before the @ and the relay does not offer SMTPUTF8`,
            )
          : localRefusal(
              'RCPT TO',
              `553 5.6.7 paperwire: ${envelope.to[0]} has non-ASCII characters before the @ and the relay does not offer SMTPUTF8 (RFC 6531), so it cannot take this address; use a relay that does, or an ASCII address for this subscriber`,
            );
      }
      const release = limiter ? await limiter.acquire() : null;
      fields.handedOver = { whole: false };
      const slow = setTimeout(() => {
        log.warn(
          `no reply from the SMTP server ${slowMs / 1000} s after the message was handed over; it is given up ${timeouts.socketTimeoutMs / 1000} s after the last activity on the connection (the socket timeout)`,
          { email: message.to.email },
        );
      }, slowMs);
      try {
        const info = await pool.sendMail(fields);
        return { response: String(info.response ?? '250 accepted') };
      } catch (error) {
        const err = error as { responseCode?: number; afterData?: boolean };
        if (
          typeof err === 'object' &&
          err !== null &&
          err.responseCode === undefined &&
          fields.handedOver.whole
        ) {
          err.afterData = true;
        }
        throw error;
      } finally {
        clearTimeout(slow);
        release?.();
      }
    },
    async close(): Promise<void> {
      pool.close();
    },
  };
}

/**
 * Whether the server at `options` offers SMTPUTF8 in its EHLO reply (after STARTTLS, as the
 * pool's connections see it). Rejects with the connection's error when it cannot be asked,
 * which fails the message like any connection problem (retried).
 */
function askSmtpUtf8(options: ConstructorParameters<typeof SMTPConnection>[0]): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = new SMTPConnection(options);
    probe.on('error', reject);
    probe.connect((error?: Error | null) => {
      if (error) return reject(error);
      resolve(/^\d{3}[ -]SMTPUTF8\b/im.test(String(probe.lastServerResponse || '')));
      probe.quit();
    });
  });
}
