// Clean-up that never hides the first error: a lease released or a store closed after a
// failure often fails for the same reason (a full disk), and then the reason the operator
// needs is the first one, not "could not release the lock". The pattern:
//
//   let pending: unknown = NO_ERROR;
//   try { … } catch (error) { pending = error; throw error; }
//   finally { cleanUpAfter(pending, () => lease.release(), log) }

/** Stands for "nothing failed" in cleanUpAfter. */
export const NO_ERROR: unique symbol = Symbol('no error');

/**
 * Runs `cleanUp`. When `pending` is an error already on its way out, an error of the clean-up
 * is only handed to `hidden` (the first error wins); otherwise the clean-up's error is thrown.
 */
export function cleanUpAfter(pending: unknown, cleanUp: () => void, hidden: (error: Error) => void): void {
  try {
    cleanUp();
  } catch (error) {
    if (pending === NO_ERROR) throw error;
    hidden(error as Error);
  }
}
