// What delivery needs from the ledger: one row per (edition, subscriber address),
// so every subscriber gets each edition exactly once whatever happens to a run.
// The store implements it (src/store/ledger.ts).
//
// A row is written `pending` with attempts+1 and committed BEFORE the message is
// handed to the transport, and becomes `sent` only after the server accepted it.
// A crash in between leaves a pending row with attempts > 0: the message may or may
// not have arrived (RFC 5321 §4.5.3.2), so the resume sends it again with the same
// Message-ID and the receiving side can tell the two apart.

/** Where a delivery stands. */
export type LedgerStatus = 'pending' | 'sent' | 'failed';

/** The state of one (edition, address) row, as a run needs it. */
export interface LedgerEntry {
  status: LedgerStatus;
  attempts: number;
  messageId: string;
}

/** A permanent failure as the ledger records it. */
export interface DeliveryFailure {
  reason: string;
  /** The SMTP reply code (550), when the server gave one. */
  smtpCode: number | null;
  /** The enhanced status code (5.1.1), when the reply carried one. */
  enhancedCode: string | null;
}

/** An address's row in the most recent earlier edition it was part of. */
export interface PreviousOutcome {
  editionId: string;
  status: LedgerStatus;
  /** Why it failed, for a failed row that recorded a reason. */
  failure: DeliveryFailure | null;
}

/** Row counts of an edition by status. */
export interface LedgerCounts {
  pending: number;
  sent: number;
  failed: number;
}

/** The ledger operations a delivery run uses. */
export interface DeliveryLedger {
  /** The rows of `editionId`, keyed by the address key. */
  entries(editionId: string): Map<string, LedgerEntry>;
  /** Adds a pending row (attempts 0) for each address that has none yet; returns how many were added. */
  admit(editionId: string, recipients: readonly { email: string; messageId: string }[]): number;
  /** Counts an attempt (status pending, attempts+1), committed before the message leaves. */
  recordAttempt(editionId: string, email: string): void;
  /** Marks a row sent with the server's reply. */
  recordSent(editionId: string, email: string, response: string): void;
  /** Marks a row permanently failed. */
  recordFailed(editionId: string, email: string, failure: DeliveryFailure): void;
  /** The address's row in the latest edition before `editionId` it has a row in, or null. */
  previousOutcome(editionId: string, email: string): PreviousOutcome | null;
  /**
   * Closes the pending rows of addresses that left the audience: a row never attempted is
   * removed (nothing went out; the address rejoins as a newcomer if it comes back within the
   * week); one attempted before is marked failed, since that message may have arrived.
   */
  closeOrphans(editionId: string, orphans: readonly { email: string; attempts: number }[]): void;
}
