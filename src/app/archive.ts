// `paperwire archive` and the update after every send: the web archive of every
// delivered edition, written to STATE_DIR/archive (or --out DIR). Each file is written
// under a temporary name and renamed (output.ts), so `paperwire serve` never serves half a page.
import { buildArchive } from '../archive/index.ts';
import type { Store } from '../store/index.ts';
import type { Edition } from '../types.ts';
import type { AppContext } from './context.ts';
import { outputDir, writeOutputFiles } from './output.ts';

/** What `writeArchive` wrote. */
export interface ArchiveResult {
  /** The archive folder. */
  dir: string;
  /** The editions in it, newest first. */
  editions: string[];
  files: number;
  /** Where readers find it (ARCHIVE_URL), or null. */
  url: string | null;
}

/** Every edition at least one subscriber was sent (the outbox counts), newest first. */
function deliveredEditions(store: Store): Edition[] {
  return store.editions
    .summaries()
    .filter((summary) => summary.sent > 0)
    .flatMap((summary) => store.editions.find(summary.id) ?? [])
    .sort((a, b) => (a.id < b.id ? 1 : -1));
}

/** Writes the archive of every delivered edition; E_USAGE when the folder cannot be written. */
export function writeArchive(ctx: AppContext, input: { outDir?: string } = {}): ArchiveResult {
  const { config, store } = ctx;
  const dir = outputDir(config.cwd, input.outDir, config.archiveDir);
  const editions = deliveredEditions(store);
  const files = buildArchive(
    editions,
    {
      listName: config.listName,
      postalAddress: config.postalAddress,
      archiveUrl: config.archiveUrl,
    },
    ctx.clock(),
  );
  writeOutputFiles(dir, files, 'STATE_DIR/archive');
  return {
    dir,
    editions: editions.map((edition) => edition.id),
    files: files.length,
    url: config.archiveUrl,
  };
}

/** Brings the archive up to date after a send; a failure is a warning (the mail is out) and null. */
export function refreshArchive(ctx: AppContext): ArchiveResult | null {
  try {
    const result = writeArchive(ctx);
    ctx.log.info('archive updated', { dir: result.dir, editions: result.editions.length });
    return result;
  } catch (error) {
    ctx.log.warn(`could not update the web archive: ${(error as Error).message}`, {
      hint: 'Run `paperwire archive` once it is fixed.',
    });
    return null;
  }
}
