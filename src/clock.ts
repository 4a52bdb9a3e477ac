// The one source of "now". Every part that needs the time takes a Clock, so tests
// (and faketime) decide what time it is; nothing below the CLI calls `new Date()` itself.

/** Returns the current time. */
export type Clock = () => Date;

/** The system clock. */
export const systemClock: Clock = () => new Date();

/** A clock stopped at `at` (tests, and a run that must read one instant throughout). */
export function fixedClock(at: Date | string): Clock {
  const time = new Date(at);
  return () => new Date(time);
}
