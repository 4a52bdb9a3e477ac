// What a failed hand-off means for the ledger. The SMTP reply decides:
//   5xx to RCPT TO or DATA      → permanent for that address (failed row, never retried)
//   4xx to RCPT TO or DATA      → transient for that address (retried with backoff)
//   421, timeouts, dropped or refused connections → transient for the server
//   a refused login, a rejected sender, a TLS/certificate problem → the whole run stops
//     (retrying cannot help until the operator fixes the settings; rows stay pending)
import type { DeliveryFailure } from './ledger.ts';

/** How a send error is handled. */
export type SendOutcome =
  | { kind: 'permanent'; failure: DeliveryFailure }
  | { kind: 'transient'; scope: 'recipient' | 'server'; reason: string }
  | { kind: 'fatal'; reason: string; hint: string };

/** The fields nodemailer puts on its errors (all optional: not every error is nodemailer's). */
interface SmtpErrorLike {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

const TLS_PROBLEM =
  /certificate|self[- ]signed|CERT_|wrong version number|SSL routines|unable to verify|handshake/i;

/** The enhanced status code (`5.1.1`) in an SMTP reply, or null. */
export function enhancedCodeOf(response: string | undefined): string | null {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(response ?? '')?.[1] ?? null;
}

/** True for "no such mailbox": a 5.1.x enhanced code, or 550/551/553 whose text says 5.1. */
export function isMailboxUnknown(failure: DeliveryFailure): boolean {
  if (failure.enhancedCode?.startsWith('5.1.')) return true;
  return (
    failure.smtpCode !== null && [550, 551, 553].includes(failure.smtpCode) && failure.reason.includes('5.1.')
  );
}

/** Classifies an error thrown by a transport's send(). */
export function classifySendError(error: unknown): SendOutcome {
  const err = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as SmtpErrorLike;
  const response = (err.response ?? err.message ?? 'unknown error').trim();
  const code = typeof err.responseCode === 'number' ? err.responseCode : null;
  const command = (err.command ?? '').toUpperCase();

  if (err.code === 'EAUTH' || command.startsWith('AUTH')) {
    return {
      kind: 'fatal',
      reason: `the SMTP server refused the login: ${response}`,
      hint: 'Check the user and password in SMTP_URL (smtp://USER:PASS@host:587; percent-encode @ : / in them, e.g. %40).',
    };
  }
  if (code === null && TLS_PROBLEM.test(`${err.message ?? ''} ${err.code ?? ''}`)) {
    return {
      kind: 'fatal',
      reason: `TLS with the SMTP server failed: ${err.message ?? err.code}`,
      hint:
        'Port 465 is smtps:// (TLS from the start); ports 587 and 25 are smtp:// (STARTTLS). ' +
        'For a test server with a self-signed certificate set SMTP_TLS_REJECT_UNAUTHORIZED=false.',
    };
  }
  if (code !== null && code >= 500) {
    if (command === 'RCPT TO' || command === 'DATA' || err.code === 'EENVELOPE' || err.code === 'EMESSAGE') {
      return {
        kind: 'permanent',
        failure: { reason: response, smtpCode: code, enhancedCode: enhancedCodeOf(response) },
      };
    }
    return {
      kind: 'fatal',
      reason: `the SMTP server refused ${command || 'the session'}: ${response}`,
      hint:
        command === 'MAIL FROM'
          ? 'The relay does not accept MAIL_FROM as sender: use an address of a domain it may send for.'
          : 'Check SMTP_URL, and that this machine may relay through that server.',
    };
  }
  if (code !== null && code >= 400 && code !== 421 && (command === 'RCPT TO' || command === 'DATA')) {
    return { kind: 'transient', scope: 'recipient', reason: response };
  }
  return {
    kind: 'transient',
    scope: 'server',
    reason: code !== null ? response : `${err.code ?? 'error'}: ${response}`,
  };
}

/** The wait before retry number `retry` (1-based): 1 s, 2 s, 4 s … capped at 60 s, ±20 % jitter. */
export function backoffDelayMs(retry: number): number {
  const base = Math.min(1000 * 2 ** (retry - 1), 60_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Resolves after `ms`, or at once (false) when `signal` aborts; true when the full wait passed. */
export function waitUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
