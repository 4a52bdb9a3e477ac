// The `locks` table behind the Leases of src/schedule/leases.ts. A row names its
// holder (pid and host, for people and for the "is it still alive" check) and a
// random token, so a lease releases its own row and nobody else's.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { type Lease, type Leases, type LockHolder, processIsAlive } from '../schedule/leases.ts';

const SELECT = 'SELECT name, pid, host, acquired_at AS acquiredAt, beat_at AS beatAt FROM locks';

/** Who takes leases through a store: this process on this host, unless a test plays another. */
export interface LeaseHolder {
  pid: number;
  host: string;
}

/** This process. */
const THIS_PROCESS: LeaseHolder = { pid: process.pid, host: hostname() };

/** The leases of `db`, taken as `self` and stamped by `clock`. */
export function createLeases(db: Database.Database, clock: Clock, self: LeaseHolder = THIS_PROCESS): Leases {
  const { host } = self;
  const holder = (name: string): LockHolder | null =>
    (db.prepare(`${SELECT} WHERE name = ?`).get(name) as LockHolder | undefined) ?? null;
  const take = db.transaction((name: string): { lease: Lease } | { holder: LockHolder } => {
    const current = holder(name);
    // Only a holder on this host can be checked; one whose process is gone is taken over.
    if (current && !(current.host === host && !processIsAlive(current.pid))) return { holder: current };
    const token = randomBytes(12).toString('hex');
    const now = clock().toISOString();
    db.prepare(
      'INSERT OR REPLACE INTO locks (name, pid, host, acquired_at, token, beat_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(name, self.pid, host, now, token, now);
    let released = false;
    const lease: Lease = {
      name,
      beat() {
        if (!released)
          db.prepare('UPDATE locks SET beat_at = ? WHERE name = ? AND token = ?').run(
            clock().toISOString(),
            name,
            token,
          );
      },
      release() {
        if (released) return;
        released = true;
        // A closed store (the process is ending) has nothing left to release.
        if (db.open) db.prepare('DELETE FROM locks WHERE name = ? AND token = ?').run(name, token);
      },
    };
    return { lease };
  });
  return {
    tryAcquire: (name) => take.immediate(name),
    holder,
    list: () => db.prepare(`${SELECT} ORDER BY name`).all() as LockHolder[],
    remove(lock) {
      db.prepare('DELETE FROM locks WHERE name = ? AND pid = ? AND host = ?').run(
        lock.name,
        lock.pid,
        lock.host,
      );
    },
  };
}
