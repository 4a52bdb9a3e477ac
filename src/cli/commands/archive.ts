// `paperwire archive [--out DIR]`: the web archive of every delivered edition (an index,
// one page per edition with all its papers, and with ARCHIVE_URL an Atom feed), for any static host.
import type { Command } from 'commander';
import type { Cli } from '../cli.ts';
import { displayPath } from '../options.ts';

/** Registers `paperwire archive`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('archive')
    .description(
      'write the web archive of every delivered edition (index, one page each, and with ARCHIVE_URL an Atom feed)',
    )
    .option('--out <dir>', 'write it here (default: STATE_DIR/archive, what `serve` serves)')
    .action(
      cli.action(async (options: { out?: string }) => {
        const { writeArchive } = await import('../../app/archive.ts');
        return cli.withApp(async (ctx) => {
          const result = writeArchive(ctx, { outDir: options.out });
          const where = displayPath(result.dir, cli.io.cwd);
          cli.io.out(
            result.editions.length === 0
              ? `archive: no edition delivered yet; wrote an empty index${result.url ? ' and feed' : ''} to ${where}`
              : `archive: ${result.editions.length} edition${result.editions.length === 1 ? '' : 's'} (${result.editions[0]} newest) written to ${where}`,
          );
          cli.io.out(
            result.url
              ? `readers find it at ${result.url}/ (feed: ${result.url}/feed.xml)`
              : 'no ARCHIVE_URL or PUBLIC_URL is set: publish the folder on any static host and set ARCHIVE_URL so emails link to it',
          );
          return 0;
        });
      }),
    );
}
