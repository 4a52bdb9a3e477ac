// What `paperwire papers` prints: one line per stored paper, or one flat JSON object each.
import { shorten } from '../../text.ts';
import type { StoredPaper } from '../../types.ts';

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

/** One readable line per paper: id, upvotes, publication date, title. */
export function paperLine(paper: StoredPaper): string {
  const upvotes = paper.upvotes === null ? '-' : String(paper.upvotes);
  const published = paper.publishedAt?.slice(0, 10) ?? '?'.padEnd(10);
  const title = shorten(paper.title, 90);
  return `${paper.id.padEnd(22)} ${upvotes.padStart(5)}  ${published}  ${title}`;
}
