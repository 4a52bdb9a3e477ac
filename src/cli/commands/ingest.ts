// `paperwire ingest [SOURCE ...]`: read files, folders, URLs and live sources into the store.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT } from '../../errors.ts';
import { resolveSource } from '../../ingest/sources.ts';
import type { Cli } from '../cli.ts';
import { displayPath, weekOption } from '../options.ts';
import { reportLines } from '../present/ingest.ts';

/** Registers `paperwire ingest`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('ingest')
    .description(
      'read papers from files, folders, URLs, hf and arxiv:QUERY into the store (default: INBOX_DIR and SOURCES)',
    )
    .argument('[sources...]', 'files, folders (every file in them), http(s) URLs, hf, arxiv:QUERY')
    .option(
      '--week <week>',
      'the ISO week hf and arxiv: sources fetch, e.g. 2026-W48 (default: the edition due, or once it is frozen the current week)',
    )
    .addHelpText(
      'after',
      `
Formats are detected from the content: Hugging Face daily papers JSON (/api/daily_papers) or
paper JSON (/api/papers/ID), the papers page saved as text, arXiv API Atom feeds, and
paperwire's own entries JSON (docs/entries.md).

Prints one line per source ("12 new, 3 updated, 1 rejected"), one line per rejected entry
naming its place, and a total. Exit code 1 when an entry was rejected or a source failed.

Examples:
  paperwire ingest                                   # every file in INBOX_DIR, then SOURCES
  paperwire ingest hf 'arxiv:cat:cs.CL' --week 2026-W48
  paperwire ingest data/inbox/2026-11-20-daily-papers.json papers-page.txt
  paperwire ingest 'https://export.arxiv.org/api/query?search_query=all:diffusion'`,
    )
    .action(
      cli.action(async (given: string[], flags: { week?: string }) => {
        const config = cli.config();
        const week = weekOption(flags.week);
        const { defaultSources, ingestSettings, ingestSources } = await import('../../ingest/index.ts');
        const sources = given.length
          ? given.map((source) => resolveSource(source, config.cwd))
          : defaultSources(config);
        const show = (source: string): string => displayPath(source, config.cwd);
        // With neither SOURCES nor INBOX_DIR set the config reads `hf`: an empty list means an
        // INBOX_DIR with nothing in it, and SOURCES set to nothing.
        if (sources.length === 0 && config.inboxDir !== null) {
          const inbox = show(config.inboxDir);
          const why = existsSync(config.inboxDir) ? `${inbox} has no files` : `${inbox} does not exist`;
          cli.io.out(`nothing to ingest: ${why} and SOURCES is empty`);
          cli.io.out(
            '  hint: put digest files into INBOX_DIR, set SOURCES (e.g. SOURCES=hf), or name sources: paperwire ingest FILE',
          );
          return EXIT.OK;
        }
        const { ingestWeek, weekSettings } = await import('../../app/target.ts');
        return cli.withApp(async ({ store, clock, log }) => {
          const report = await ingestSources(store, sources, {
            ...ingestSettings(config),
            week: week ?? ingestWeek(store, clock(), weekSettings(config)),
            log,
            clock,
          });
          for (const line of reportLines(report, show)) cli.io.out(line);
          return report.totals.rejected > 0 || report.failedSources > 0 ? EXIT.PROBLEMS : EXIT.OK;
        });
      }),
    );
}
