// Named locks held in the database, so that two processes never deliver the same
// edition at once. A lock remembers its holder's pid and host; a lock whose
// process is gone (killed with SIGKILL, say) is taken over.
import { hostname } from 'node:os';
import { PaperwireError } from '../errors.ts';
import { nowIso, type Store } from './index.ts';

/** Who holds a lock. */
export interface LockHolder {
  name: string;
  pid: number;
  host: string;
  acquiredAt: string;
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

/** The current holder of `name`, or null. */
export function lockHolder(store: Store, name: string): LockHolder | null {
  const row = store.db
    .prepare('SELECT name, pid, host, acquired_at AS acquiredAt FROM locks WHERE name = ?')
    .get(name) as LockHolder | undefined;
  return row ?? null;
}

/**
 * Takes the lock `name` for this process, or returns the live holder when another
 * process has it. A stale lock (dead pid on this host) is replaced.
 */
export function tryAcquireLock(
  store: Store,
  name: string,
): { acquired: true } | { acquired: false; holder: LockHolder } {
  const host = hostname();
  const take = store.db.transaction(() => {
    const holder = lockHolder(store, name);
    if (holder && !(holder.host === host && (holder.pid === process.pid || !processIsAlive(holder.pid)))) {
      return { acquired: false as const, holder };
    }
    store.db
      .prepare('INSERT OR REPLACE INTO locks (name, pid, host, acquired_at) VALUES (?, ?, ?, ?)')
      .run(name, process.pid, host, nowIso());
    return { acquired: true as const };
  });
  return take.immediate();
}

/** Takes the lock `name` or throws E_LOCKED naming the holder. */
export function acquireLock(store: Store, name: string, what: string): void {
  const result = tryAcquireLock(store, name);
  if (!result.acquired) {
    const { holder } = result;
    throw new PaperwireError(
      'E_LOCKED',
      `${what} is already running (pid ${holder.pid} on ${holder.host} since ${holder.acquiredAt})`,
      {
        hint: 'Wait for it to finish; if that process is gone from another machine, remove the lock with `paperwire status --clear-lock`.',
      },
    );
  }
}

/** Releases `name` if this process holds it. */
export function releaseLock(store: Store, name: string): void {
  store.db
    .prepare('DELETE FROM locks WHERE name = ? AND pid = ? AND host = ?')
    .run(name, process.pid, hostname());
}
