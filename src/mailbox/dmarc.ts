// DMARC for mailto: unsubscribes, checked with mailauth: anyone can write an email
// "From: ada@example.org", so a request whose From domain publishes DMARC and that
// does not align (no aligned SPF pass, no aligned DKIM signature) is held for the
// operator instead of acted on. With no DMARC answer at all (no record, no DNS) the
// request is honoured: most small domains publish none.
import { promises as dns } from 'node:dns';
import { authenticate } from 'mailauth';

/** A DNS lookup as mailauth calls it (`dns.promises.resolve`'s shape); tests pass their own. */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

/** What DMARC says about a message. */
export interface DmarcVerdict {
  /** `pass`, `fail`, `none` (no policy), `temperror`/`permerror` (no usable answer). */
  result: string;
  /** The From domain it was checked for, or null. */
  domain: string | null;
  /** The published policy (`none`, `quarantine`, `reject`) when there is one. */
  policy: string | null;
}

/** A DMARC check of one raw message. */
export type DmarcCheck = (raw: Buffer) => Promise<DmarcVerdict>;

/**
 * A DMARC check that looks things up with `resolver` (default: the system's DNS). SPF is
 * evaluated for the client the topmost Received header names, which the receiving server wrote.
 */
export function dmarcChecker(resolver: DnsResolver = dns.resolve as DnsResolver): DmarcCheck {
  return async (raw) => {
    const result = await authenticate(raw, {
      trustReceived: true,
      resolver,
      mta: 'paperwire',
      disableArc: true,
      disableBimi: true,
    });
    const dmarc = result.dmarc as
      | false
      | { status?: { result?: string }; domain?: string; policy?: string; p?: string }
      | undefined;
    if (!dmarc) return { result: 'none', domain: null, policy: null };
    return {
      result: dmarc.status?.result ?? 'none',
      domain: dmarc.domain ?? null,
      policy: dmarc.policy ?? dmarc.p ?? null,
    };
  };
}

/** True when the verdict says the From address is forged: the domain has a policy and the message fails it. */
export function dmarcFails(verdict: DmarcVerdict): boolean {
  return verdict.result === 'fail';
}
