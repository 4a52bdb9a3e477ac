// `paperwire papers [--since DATE] [--json]`: list what the store holds.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT } from '../../errors.ts';
import type { StoredPaper } from '../../types.ts';
import type { Cli } from '../cli.ts';
import { parseSince } from '../options.ts';
import { paperLine, paperListing } from '../present/papers.ts';

/** Registers `paperwire papers`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('papers')
    .description('list the stored papers, oldest first')
    .option('--since <date>', 'only papers first seen at or after DATE (YYYY-MM-DD or an ISO 8601 time)')
    .option('--json', 'print a JSON array of flat objects (id, title, abstract, authors, url, upvotes, …)')
    .action(
      cli.action(async (options: { since?: string; json?: boolean }) => {
        const since = options.since === undefined ? undefined : parseSince(options.since);
        const config = cli.config();
        // Listing never creates a database: with none yet there is simply nothing stored.
        const papers: StoredPaper[] = existsSync(config.dbPath)
          ? await cli.withApp(async ({ store }) => store.papers.list(since === undefined ? {} : { since }))
          : [];
        if (options.json) {
          cli.io.out(JSON.stringify(papers.map(paperListing), null, 2));
          return EXIT.OK;
        }
        if (papers.length === 0) {
          cli.io.out(
            `no papers stored${since ? ` first seen since ${since}` : ''} (run \`paperwire ingest\`)`,
          );
          return EXIT.OK;
        }
        cli.io.out(`${'id'.padEnd(22)} ${'votes'.padStart(5)}  published   title`);
        for (const paper of papers) cli.io.out(paperLine(paper));
        cli.io.out(`${papers.length} paper${papers.length === 1 ? '' : 's'}`);
        return EXIT.OK;
      }),
    );
}
