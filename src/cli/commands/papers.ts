// `paperwire papers [--since DATE] [--json]`: list what the store holds.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT, PaperwireError } from '../../errors.ts';
import { shorten } from '../../text.ts';
import type { StoredPaper } from '../../types.ts';
import type { Cli } from '../cli.ts';

/** A stored paper as one flat JSON object, the shape `papers --json` promises to scripts. */
export interface PaperListing {
  id: string;
  arxivId: string | null;
  title: string;
  abstract: string;
  authors: string[];
  /** The best link: the paper page, else the arXiv page, else null. */
  url: string | null;
  pageUrl: string | null;
  arxivUrl: string | null;
  pdfUrl: string | null;
  codeUrl: string | null;
  projectUrl: string | null;
  upvotes: number | null;
  keywords: string[];
  aiSummary: string | null;
  publishedAt: string | null;
  /** The day its source features it on (`YYYY-MM-DD`), or null. */
  featuredOn: string | null;
  /** When its upvote count was observed, or null. */
  upvotesObservedAt: string | null;
  firstSeenAt: string;
  updatedAt: string;
  source: string;
  origin: string;
}

/** Flattens a stored paper for `papers --json`. */
export function paperListing(paper: StoredPaper): PaperListing {
  const { links } = paper;
  return {
    id: paper.id,
    arxivId: paper.arxivId,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    url: links.page ?? links.arxiv ?? null,
    pageUrl: links.page ?? null,
    arxivUrl: links.arxiv ?? null,
    pdfUrl: links.pdf ?? null,
    codeUrl: links.code ?? null,
    projectUrl: links.project ?? null,
    upvotes: paper.upvotes,
    keywords: paper.keywords,
    aiSummary: paper.aiSummary,
    publishedAt: paper.publishedAt,
    featuredOn: paper.featuredOn,
    upvotesObservedAt: paper.upvotesObservedAt,
    firstSeenAt: paper.firstSeenAt,
    updatedAt: paper.updatedAt,
    source: paper.source,
    origin: paper.origin,
  };
}

/** `--since` as an ISO instant: YYYY-MM-DD (UTC midnight) or a full ISO 8601 time; else E_USAGE. */
export function parseSince(raw: string): string {
  const text = raw.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const time = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text);
  if ((!dateOnly && !iso) || Number.isNaN(time)) {
    throw new PaperwireError('E_USAGE', `--since ${JSON.stringify(raw)} is not a date`, {
      hint: 'Write a date as YYYY-MM-DD (e.g. 2026-11-16) or an ISO 8601 time (2026-11-16T08:00:00Z).',
    });
  }
  // Date.parse rolls 2026-02-30 over to March; a date that does not round-trip is not a date.
  if (dateOnly && new Date(time).toISOString().slice(0, 10) !== text) {
    throw new PaperwireError('E_USAGE', `--since ${JSON.stringify(raw)} is not a calendar date`, {
      hint: 'Write a real date as YYYY-MM-DD.',
    });
  }
  return new Date(time).toISOString();
}

/** One readable line per paper: id, upvotes, publication date, title. */
export function paperLine(paper: StoredPaper): string {
  const upvotes = paper.upvotes === null ? '-' : String(paper.upvotes);
  const published = paper.publishedAt?.slice(0, 10) ?? '?'.padEnd(10);
  const title = shorten(paper.title, 90);
  return `${paper.id.padEnd(22)} ${upvotes.padStart(5)}  ${published}  ${title}`;
}

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
