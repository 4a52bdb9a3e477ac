// The part of mailauth (a JavaScript package without type declarations) paperwire calls.
declare module 'mailauth' {
  /** Options of authenticate(); see mailauth's README. */
  export interface AuthenticateOptions {
    ip?: string;
    helo?: string;
    sender?: string;
    trustReceived?: boolean;
    mta?: string;
    disableArc?: boolean;
    disableDmarc?: boolean;
    disableBimi?: boolean;
    resolver?: (name: string, rrtype: string) => Promise<unknown>;
  }
  /** Verifies DKIM, SPF, DMARC (and ARC, BIMI) of a message. */
  export function authenticate(
    message: Buffer | string,
    options?: AuthenticateOptions,
  ): Promise<{ dkim: unknown; spf: unknown; dmarc: unknown; arc: unknown; headers: string }>;
}
