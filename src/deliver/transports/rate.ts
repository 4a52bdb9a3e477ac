// SMTP_RATE_PER_SECOND as a hard cap: in ANY one-second window, at most that many
// messages are accepted by the server. nodemailer's own rateLimit counts messages per
// fixed one-second bucket, so a burst at the end of one bucket and another at the start
// of the next put twice the rate through within a second.
//
// The rule: a message may start only while (messages in flight) + (messages that ended
// within the last second) is below the rate. Counting from when a message ENDED (the
// client has the server's reply, so the server accepted it before then) and not from when
// it started is what makes the cap hold for the server's accept times whatever the
// latency: if R + 1 were accepted within one second, the last of them to start would have
// seen the other R in flight or ended less than a second before it, and waited. The price
// is a little throughput on a slow link (each slot is held for latency + 1 s).

/** Gives out sending slots at most `perSecond` a second. */
export interface RateLimiter {
  /** Waits for a slot; call the returned function once the message has ended (sent or not). */
  acquire(): Promise<() => void>;
}

const WINDOW_MS = 1000;

/** A limiter of `perSecond` messages in any second, timed by `now` (milliseconds, monotonic). */
export function createRateLimiter(
  perSecond: number,
  now: () => number = () => performance.now(),
): RateLimiter {
  /** End times of the messages that ended within the last second, oldest first, from `head`. */
  let ended: number[] = [];
  let head = 0;
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  let timer: NodeJS.Timeout | null = null;

  const pump = (): void => {
    const time = now();
    while (head < ended.length && ended[head]! <= time - WINDOW_MS) head++;
    if (head > 1024 && head * 2 > ended.length) {
      ended = ended.slice(head);
      head = 0;
    }
    while (waiting.length > 0 && inFlight + (ended.length - head) < perSecond) {
      inFlight++;
      waiting.shift()!();
    }
    // Full because of messages that ended recently: look again when the oldest leaves the window.
    if (waiting.length > 0 && timer === null && head < ended.length) {
      const wait = Math.max(1, Math.ceil(ended[head]! + WINDOW_MS - time));
      timer = setTimeout(() => {
        timer = null;
        pump();
      }, wait);
    }
  };
  const release = (): void => {
    inFlight--;
    ended.push(now());
    pump();
  };
  return {
    acquire() {
      return new Promise((resolve) => {
        let released = false;
        waiting.push(() =>
          resolve(() => {
            if (released) return;
            released = true;
            release();
          }),
        );
        pump();
      });
    },
  };
}
