// Waiting for a lock, up to a bound: a `paperwire run` started by hand while the
// scheduler's run is going can wait for it instead of failing at once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import { acquireLock, tryAcquireLock } from '../store/locks.ts';

const POLL_MS = 250;

/**
 * Takes lock `name`; while another live process holds it, polls for up to
 * `waitMs` (0: not at all), then throws E_LOCKED naming the holder. An abort
 * while waiting throws the signal's reason.
 */
export async function acquireLockWaiting(
  store: Store,
  name: string,
  what: string,
  options: { waitMs: number; signal?: AbortSignal; log?: Logger },
): Promise<void> {
  const deadline = Date.now() + options.waitMs;
  let logged = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const result = tryAcquireLock(store, name);
    if (result.acquired) return;
    if (Date.now() >= deadline) break;
    if (!logged) {
      const { holder } = result;
      options.log?.info(`waiting for ${what} to finish`, {
        lock: name,
        pid: holder.pid,
        host: holder.host,
        waitSeconds: Math.round(options.waitMs / 1000),
      });
      logged = true;
    }
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())), undefined, {
      signal: options.signal,
    }).catch(() => {});
  }
  // One last try that throws the standard E_LOCKED with its hint.
  acquireLock(store, name, what);
}
