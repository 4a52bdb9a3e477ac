// What a failed hand-off means for the ledger. The SMTP reply decides:
//   the sender refused: any 5xx to MAIL FROM, or a reply about the sender anywhere (X.1.7,
//   X.1.8, "Sender address rejected", which Postfix gives at RCPT TO); a login required
//   (530) or refused; relaying denied; the connection refused; a TLS/certificate problem
//                               → the whole run stops: retrying cannot help until the
//                                 operator fixes a setting, named in the hint; rows stay pending
//   5xx to RCPT TO or DATA      → permanent for that address (failed row, never retried)
//   4xx to RCPT TO or DATA      → transient for that address (retried with backoff)
//   421, timeouts, dropped or refused connections → transient for the server
//   lost after the whole message went out → transient, and it may have arrived
// Only a reply about the recipient's own mailbox counts toward the bounce rule
// (isMailboxUnknown); a refusal the server gives everyone is the circuit breaker's
// (breaker.ts), which compares `pattern`s.
import type { DeliveryFailure } from './ledger.ts';

/** The setting the envelope sender (MAIL FROM) comes from: BOUNCE_ADDRESS when set, else MAIL_FROM. */
export type SenderSetting = 'MAIL_FROM' | 'BOUNCE_ADDRESS';

/** How a send error is handled. */
export type SendOutcome =
  | {
      kind: 'permanent';
      failure: DeliveryFailure;
      /** The server's reply without its addresses (see replyPattern); null for paperwire's own refusal. */
      pattern: string | null;
    }
  | {
      kind: 'transient';
      scope: 'recipient' | 'server';
      reason: string;
      /** As for a permanent outcome; null when there was no reply (a dropped connection, a timeout). */
      pattern: string | null;
      /** The connection was lost after the whole message went out: the server may have stored it. */
      mayHaveArrived: boolean;
    }
  | { kind: 'fatal'; reason: string; hint: string };

/** The fields nodemailer puts on its errors (all optional: not every error is nodemailer's). */
export interface SmtpErrorLike {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  /** Set by the SMTP transport when the connection was lost after the whole message was handed over. */
  afterData?: boolean;
}

/** The `code` of paperwire's own refusal of one message (e.g. no SMTPUTF8 for a non-ASCII address). */
export const LOCAL_REFUSAL = 'EPAPERWIRE';

/**
 * paperwire's own refusal of one message, shaped like a 553 reply to `command` (`response`
 * starts `553 5.x.x paperwire:`). At RCPT TO it fails that message alone and never counts as
 * a bounce or toward the breaker; `code` EENVELOPE at MAIL FROM is a refused sender (the run stops).
 */
export function localRefusal(command: 'RCPT TO' | 'MAIL FROM', response: string): Error {
  const code = command === 'RCPT TO' ? LOCAL_REFUSAL : 'EENVELOPE';
  return Object.assign(new Error(response), { code, command, responseCode: 553, response });
}

const TLS_PROBLEM =
  /certificate|self[- ]signed|CERT_|wrong version number|SSL routines|unable to verify|handshake/i;

// Postfix's wording for its sender restrictions (given at RCPT TO: smtpd_delay_reject), Exim's
// sender verification; and the enhanced codes of a bad sender address (RFC 3463 X.1.7, X.1.8).
const SENDER_REJECTED = /sender address rejected|sender verify failed|\b[45]\.1\.[78]\b/i;
const LOGIN_REQUIRED =
  /authentication required|auth(entication)? (is )?required|must (log ?in|authenticate)/i;
const RELAY_DENIED = /relay(ing)? (access )?(denied|not permitted|prohibited)|not permitted to relay/i;
// What a server says for "no such mailbox" when its enhanced code is 5.1.0 or missing.
const USER_UNKNOWN =
  /user unknown|unknown (user|recipient|mailbox)|no such (user|mailbox|recipient|address)|(user|mailbox|recipient|address) (does not|doesn't) exist|(mailbox|recipient) not found/i;

/** The enhanced status code (`5.1.1`) in an SMTP reply, or null. */
export function enhancedCodeOf(response: string | undefined): string | null {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(response ?? '')?.[1] ?? null;
}

/**
 * True for "no such mailbox" — the only permanent failure the bounce rule counts: a reply
 * about the recipient's own mailbox, 5.1.1 or 5.1.10 (null MX), or 5.1.0 or no enhanced code
 * with words like "user unknown". Never a reply about the sender (5.1.8 "Sender address
 * rejected: Domain not found" names the sender's domain, whoever the recipient is). A failed
 * row's failure is always a recipient's (RCPT TO or DATA): sender refusals stop the run.
 */
export function isMailboxUnknown(failure: DeliveryFailure): boolean {
  if (failure.smtpCode !== null && failure.smtpCode < 500) return false;
  if (SENDER_REJECTED.test(failure.reason)) return false;
  const code = failure.enhancedCode ?? enhancedCodeOf(failure.reason);
  if (code === '5.1.1' || code === '5.1.10') return true;
  if (code === '5.1.0') return USER_UNKNOWN.test(failure.reason);
  if (code !== null) return false;
  return (
    failure.smtpCode !== null &&
    [550, 551, 553].includes(failure.smtpCode) &&
    USER_UNKNOWN.test(failure.reason)
  );
}

/**
 * A reply as the circuit breaker compares them: code and text, lower case, with addresses,
 * numbers and queue ids blanked, so "550 5.1.1 <a@x.org> unknown" and "… <b@y.org> …" match.
 */
export function replyPattern(response: string): string {
  const match = /^(\d{3}[ -](?:\d\.\d{1,3}\.\d{1,3}\b)?)?([\s\S]*)$/.exec(response.trim());
  const text = (match?.[2] ?? response)
    .toLowerCase()
    .replace(/<[^>]*>/g, '<>')
    .replace(/\S+@\S+/g, '@')
    .replace(/\b[0-9a-f]*\d[0-9a-f]*\b/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return `${(match?.[1] ?? '').trim()} ${text}`.trim();
}

const RETRY_AFTER_FIX = 'then run send again: nobody was marked failed, and it resumes where it stopped.';

function senderHint(sender: SenderSetting): string {
  return sender === 'BOUNCE_ADDRESS'
    ? `The relay refuses the envelope sender, which comes from BOUNCE_ADDRESS: set BOUNCE_ADDRESS to an address of a domain the relay may send for and that exists in DNS (or unset it to use MAIL_FROM's), ${RETRY_AFTER_FIX}`
    : `The relay refuses the sender, which is MAIL_FROM's address: set MAIL_FROM to an address of a domain the relay may send for and that exists in DNS, ${RETRY_AFTER_FIX}`;
}

const LOGIN_HINT = `Put the user and password the relay expects in SMTP_URL (smtp://USER:PASS@host:587; percent-encode @ : / in them, e.g. %40), ${RETRY_AFTER_FIX}`;

/** Classifies an error thrown by a transport's send(); `sender` names the setting MAIL FROM comes from. */
export function classifySendError(error: unknown, sender: SenderSetting = 'MAIL_FROM'): SendOutcome {
  const err = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as SmtpErrorLike;
  const response = (err.response ?? err.message ?? 'unknown error').trim();
  const code = typeof err.responseCode === 'number' ? err.responseCode : null;
  const command = (err.command ?? '').toUpperCase();
  const permanent = code !== null && code >= 500;

  if (err.code === 'EAUTH' || command.startsWith('AUTH')) {
    return { kind: 'fatal', reason: `the SMTP server refused the login: ${response}`, hint: LOGIN_HINT };
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
  if (err.code === LOCAL_REFUSAL) {
    return {
      kind: 'permanent',
      failure: { reason: response, smtpCode: code, enhancedCode: enhancedCodeOf(response) },
      pattern: null,
    };
  }
  if (permanent && (code === 530 || LOGIN_REQUIRED.test(response))) {
    return { kind: 'fatal', reason: `the SMTP server wants a login first: ${response}`, hint: LOGIN_HINT };
  }
  if (permanent && (command === 'MAIL FROM' || SENDER_REJECTED.test(response))) {
    return {
      kind: 'fatal',
      reason: `the SMTP server refused the sender: ${response}`,
      hint: senderHint(sender),
    };
  }
  if (permanent && RELAY_DENIED.test(response)) {
    return {
      kind: 'fatal',
      reason: `the SMTP server does not relay for this machine: ${response}`,
      hint: `Log in to the relay (the user and password in SMTP_URL) or have this machine's address allowed on it, ${RETRY_AFTER_FIX}`,
    };
  }
  if (permanent) {
    if (command === 'RCPT TO' || command === 'DATA' || err.code === 'EENVELOPE' || err.code === 'EMESSAGE') {
      return {
        kind: 'permanent',
        failure: { reason: response, smtpCode: code, enhancedCode: enhancedCodeOf(response) },
        pattern: replyPattern(response),
      };
    }
    return {
      kind: 'fatal',
      reason: `the SMTP server refused ${command === 'CONN' ? 'the connection' : command || 'the session'}: ${response}`,
      hint: 'Check the host and port in SMTP_URL, and that this machine may send through that server.',
    };
  }
  if (code !== null && code >= 400 && code !== 421 && (command === 'RCPT TO' || command === 'DATA')) {
    const aboutSender = SENDER_REJECTED.test(response);
    return {
      kind: 'transient',
      scope: aboutSender ? 'server' : 'recipient',
      reason: response,
      pattern: replyPattern(response),
      mayHaveArrived: false,
    };
  }
  return {
    kind: 'transient',
    scope: 'server',
    reason: code !== null ? response : `${err.code ?? 'error'}: ${response}`,
    pattern: code !== null ? replyPattern(response) : null,
    mayHaveArrived: code === null && err.afterData === true,
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
