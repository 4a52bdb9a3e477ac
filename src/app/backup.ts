// The database's safety copies: `paperwire backup FILE` while paperwire runs, and
// `paperwire restore FILE` (or `--from-journal`) when the database was lost or damaged.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { Config } from '../config/index.ts';
import type { BackupResult } from '../store/index.ts';
import { type RestoreResult, type RestoreSource, restoreDatabase } from '../store/restore.ts';
import type { AppContext } from './context.ts';

/** Writes a consistent, checked copy of the database to `target` (a folder gets `paperwire-<time>.db` in it). */
export function writeBackup(ctx: AppContext, target: string): Promise<BackupResult> {
  const file =
    existsSync(target) && statSync(target).isDirectory()
      ? join(target, `paperwire-${ctx.clock().toISOString().replace(/[:.]/g, '-')}.db`)
      : target;
  return ctx.store.backup(file);
}

/** Puts `source` (a backup, or the journal alone) in place of the database of `config`, then replays the journal into it. */
export function restoreFrom(
  config: Pick<Config, 'dbPath'>,
  source: RestoreSource,
  clock: Clock,
): RestoreResult {
  return restoreDatabase(config.dbPath, source, clock);
}
