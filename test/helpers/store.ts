// A store of a test's own: a fresh database file in a temp folder.
import { join } from 'node:path';
import type { Clock } from '../../src/clock.ts';
import type { Config } from '../../src/config/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { tempDir } from './temp.ts';

/** A fresh store (on `clock`, when given) in a temp folder; closed, and the folder removed, after the test. */
export function tempStore(
  t: { after(fn: () => void): void },
  options: { clock?: Clock } = {},
): { store: Store; dir: string; path: string } {
  const dir = tempDir(t);
  const path = join(dir, 'paperwire.db');
  const store = openStore(path, options);
  t.after(() => store.close());
  return { store, dir, path };
}

/** Opens the config's store (`config.dbPath`), closed after the test. */
export function testStore(t: { after(fn: () => void): void }, config: Pick<Config, 'dbPath'>): Store {
  const store = openStore(config.dbPath);
  t.after(() => store.close());
  return store;
}

/** Opens the store at `dbPath` for a look (e.g. after a CLI run), closing it after `read`. */
export function withStore<T>(dbPath: string, read: (store: Store) => T): T {
  const store = openStore(dbPath);
  try {
    return read(store);
  } finally {
    store.close();
  }
}
