// The circuit breaker of a delivery run. When the server gives the same refusal (the same
// reply, addresses aside: retry.ts replyPattern) for many different recipients in a row,
// it is the server refusing, not the recipients: a relay over its quota, a content filter,
// a misconfigured route. The run then stops, and the messages it refused stay pending
// instead of failing for good (deliver/index.ts holds a refusal back until the breaker has
// seen enough after it).
//
// It trips when the last CONSECUTIVE outcomes are one refusal for as many different
// recipients, or when one refusal came for more than half of the last WINDOW outcomes,
// each from a different recipient (retries of one address count once).

/** Outcomes in a row that trip the breaker. */
export const CONSECUTIVE = 10;
/** The outcomes the majority rule looks at. */
export const WINDOW = 20;

/** One attempt's outcome as the breaker keeps it. */
interface Outcome {
  recipient: string;
  /** The refusal's pattern; null for an accepted message. */
  pattern: string | null;
}

/** The breaker of one run. */
export interface Breaker {
  /**
   * Records an attempt's outcome. Returns 0, or when this refusal trips the breaker, how
   * many different recipients it came for among the outcomes that tripped it.
   */
  record(recipient: string, pattern: string | null): number;
  /** The pattern that tripped it, or null while it has not. */
  readonly tripped: string | null;
}

/** A breaker that has seen nothing yet. */
export function createBreaker(): Breaker {
  const recent: Outcome[] = [];
  let next = 0;
  let tripped: string | null = null;
  const recipientsRefused = (pattern: string): number => {
    const inOrder = [...recent.slice(next), ...recent.slice(0, next)];
    const streak = new Set<string>();
    for (let i = inOrder.length - 1; i >= 0 && inOrder[i]!.pattern === pattern; i--) {
      streak.add(inOrder[i]!.recipient);
    }
    if (streak.size >= CONSECUTIVE) return streak.size;
    const refused = new Set(inOrder.filter((o) => o.pattern === pattern).map((o) => o.recipient));
    return refused.size > WINDOW / 2 ? refused.size : 0;
  };
  return {
    record(recipient, pattern) {
      // A ring of the last WINDOW outcomes: an accepted message costs one store.
      recent[next] = { recipient, pattern };
      next = (next + 1) % WINDOW;
      if (pattern === null || tripped !== null) return 0;
      const refused = recipientsRefused(pattern);
      if (refused > 0) tripped = pattern;
      return refused;
    },
    get tripped() {
      return tripped;
    },
  };
}
