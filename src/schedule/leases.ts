// Leases: named locks held in the store, so two processes never deliver the same
// edition at once. Whoever takes a lease gets an object, passes it down to the code
// it protects and releases it in `finally`; nothing is re-entrant, so holding a
// lease is always explicit. A lease whose process is gone (SIGKILL) is taken over.
import { setTimeout as sleep } from 'node:timers/promises';
import { PaperwireError } from '../errors.ts';
import type { Logger } from '../log.ts';

/** Who holds a lock. */
export interface LockHolder {
  name: string;
  pid: number;
  host: string;
  acquiredAt: string;
  /** The holder's last heartbeat (long-running holders such as the scheduler), or null. */
  beatAt: string | null;
}

/** A held lock. */
export interface Lease {
  readonly name: string;
  /** Records that the holder is still alive (status shows it). */
  beat(): void;
  /** Gives the lock up; releasing twice is harmless. */
  release(): void;
}

/** The store's locks as leases. */
export interface Leases {
  /** Takes `name`, or names the live holder (a holder whose process is gone on this host is replaced). */
  tryAcquire(name: string): { lease: Lease } | { holder: LockHolder };
  /** The current holder of `name`, or null. */
  holder(name: string): LockHolder | null;
  /** Every lock, by name. */
  list(): LockHolder[];
  /** Removes exactly this holder's lock (for `status --clear-lock`). */
  remove(holder: LockHolder): void;
}

/** The name of the lease a delivery holds. */
export const SEND_LOCK = 'send';
/** The name of the lease a whole cycle (ingest included) holds. */
export const CYCLE_LOCK = 'cycle';
/** The name of the lease a running scheduler holds, with its heartbeat. */
export const SCHEDULER_LOCK = 'scheduler';

/** How often a running scheduler beats on its lease (`paperwire status` shows the last beat). */
export const HEARTBEAT_MS = 30_000;

/** Takes lease `name` or throws E_LOCKED naming the holder; `what` says what is running, for the message. */
export function acquireLease(leases: Leases, name: string, what: string): Lease {
  const result = leases.tryAcquire(name);
  if ('lease' in result) return result.lease;
  throw lockedError(result.holder, what);
}

/** How often a waiting run looks at the lock again. */
const LOCK_POLL_MS = 250;

/**
 * Takes lease `name`; while another live process holds it, polls for up to `waitMs`
 * (0: not at all), then throws E_LOCKED naming the holder. An abort while waiting
 * throws the signal's reason.
 */
export async function acquireLeaseWaiting(
  leases: Leases,
  name: string,
  what: string,
  options: { waitMs: number; signal?: AbortSignal; log?: Logger },
): Promise<Lease> {
  const deadline = Date.now() + options.waitMs;
  let logged = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const result = leases.tryAcquire(name);
    if ('lease' in result) return result.lease;
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
    await sleep(Math.min(LOCK_POLL_MS, Math.max(1, deadline - Date.now())), undefined, {
      signal: options.signal,
    }).catch(() => {});
  }
  // One last try that throws the standard E_LOCKED with its hint.
  return acquireLease(leases, name, what);
}

/** The E_LOCKED error for a lock held by `holder`. */
function lockedError(holder: LockHolder, what: string): PaperwireError {
  return new PaperwireError(
    'E_LOCKED',
    `${what} is already running (pid ${holder.pid} on ${holder.host} since ${holder.acquiredAt})`,
    {
      hint: 'Wait for it to finish; if that process is gone from another machine, remove the lock with `paperwire status --clear-lock`.',
    },
  );
}

/** True when a process with this pid exists on this host (even one owned by another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
