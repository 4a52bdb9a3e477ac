// Suppressions: addresses that are never mailed again until lifted (an unsubscribe,
// a bounce). The subscriber list stays the operator's file; these live in the store,
// which implements the interface below (src/store/suppressions.ts).

/** How an address came to be suppressed (`complaint` and `mailto` come from the mailbox). */
export type SuppressionVia = 'link' | 'command' | 'bounce' | 'complaint' | 'mailto';

/** One suppressed address. */
export interface Suppression {
  /** The address key (see identity.ts). */
  email: string;
  via: SuppressionVia;
  reason: string;
  createdAt: string;
}

/** The suppression list as its users need it. */
export interface SuppressionList {
  /** Suppresses `email`; suppressing it again keeps the first record. True when it was new. */
  suppress(email: string, via: SuppressionVia, reason: string): boolean;
  /** Lifts the suppression of `email`; true when there was one. */
  lift(email: string): boolean;
  /** The suppression of `email`, or null. */
  find(email: string): Suppression | null;
  /** Every suppression, oldest first. */
  list(): Suppression[];
}
