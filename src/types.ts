// The plain data that flows between the pipeline stages. Every stage takes and
// returns these shapes and nothing richer, so a stage can be tested alone.

/** Links a paper may carry; every one is an absolute http(s) URL when present. */
export interface PaperLinks {
  /** The paper's page on the source site (e.g. huggingface.co/papers/ID). */
  page?: string;
  /** The arXiv abstract page. */
  arxiv?: string;
  /** A PDF of the paper. */
  pdf?: string;
  /** The code repository, as a full URL. */
  code?: string;
  /** The project page. */
  project?: string;
}

/** The name of a source format that ingest understands. */
export type SourceFormat =
  | 'hf-daily-papers'
  | 'hf-paper'
  | 'papers-page-text'
  | 'arxiv-atom'
  | 'paperwire-json';

/** A research paper as one source described it, normalised (ingest → store). */
export interface Paper {
  /** arXiv id without version (`2503.12345`), or `title:<hash>` of the normalised title when none is known. */
  id: string;
  /** The arXiv id without version, when known. */
  arxivId: string | null;
  /** Title with line wraps collapsed and control characters removed. */
  title: string;
  /** Abstract with line wraps collapsed, cut to a sane length. */
  abstract: string;
  authors: string[];
  links: PaperLinks;
  /** Upvotes when the source counts them, else null. */
  upvotes: number | null;
  keywords: string[];
  /** A machine-written one-line summary, when the source has one. */
  aiSummary: string | null;
  /** Publication date as an ISO 8601 string, when known. */
  publishedAt: string | null;
  /**
   * The day its source features it on (`YYYY-MM-DD`, as the source writes it): Hugging Face, the day it
   * was on Daily Papers; arXiv, its submission date; the papers page, its date line; paperwire entries,
   * `publishedAt`. Null (or left out) when the source gives no such day.
   */
  featuredOn?: string | null;
  /** The format it was read from. */
  source: SourceFormat;
  /** The file path or URL it was read from. */
  origin: string;
}

/** A paper as the store holds it: the merged view of every time it was ingested. */
export interface StoredPaper extends Paper {
  /** Insertion order in the store; ranks ties by source order. */
  seq: number;
  /** When the paper was first ingested (ISO 8601); kept across re-ingests. */
  firstSeenAt: string;
  /** When it was last refreshed (ISO 8601). */
  updatedAt: string;
  /** The day the first source that gave one features it on (`YYYY-MM-DD`); kept across re-ingests. */
  featuredOn: string | null;
  /**
   * When the stored upvote count was observed (ISO 8601): the fetch time of a URL or live source, the
   * modification time of a file. An older observation never replaces a newer one. Null when unknown.
   */
  upvotesObservedAt: string | null;
}

/** One paper of a frozen edition, with its rank and the upvotes at freeze time. */
export interface EditionPaper {
  /** 1-based position in the edition. */
  rank: number;
  /** The paper exactly as it was when the edition was frozen (upvotes = snapshot). */
  paper: StoredPaper;
}

/** A frozen, numbered issue of the newsletter (edition → render, deliver). */
export interface Edition {
  /** ISO week, e.g. `2026-W48`. */
  id: string;
  createdAt: string;
  /** The edition before this one, if any. */
  previousId: string | null;
  papers: EditionPaper[];
}

/** Someone on the operator's subscriber list. */
export interface Subscriber {
  /** The address, trimmed, with its domain lower-cased. */
  email: string;
  name: string | null;
  /** Topics for the "For you" part, lower-cased. */
  topics: string[];
}

/** One email rendered for one subscriber (render → deliver). */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** A message ready for a transport: rendered content plus envelope and headers (deliver → transport). */
export interface OutgoingMessage {
  editionId: string;
  to: Subscriber;
  from: string;
  replyTo: string | null;
  /** Derived from (edition, subscriber), without angle brackets. */
  messageId: string;
  subject: string;
  /**
   * The HTML part; deliver hands it over as UTF-8 bytes, so the rendered string dies
   * young instead of living in the old generation for as long as the message is in flight.
   */
  html: string | Buffer;
  /** The plain-text part (bytes too, for the same reason). */
  text: string | Buffer;
  /** Extra headers (List-Id, List-Unsubscribe, …), already free of CR/LF. */
  headers: Record<string, string>;
  /** The envelope sender (Return-Path) when it differs from the From address: BOUNCE_ADDRESS, per recipient with VERP. */
  returnPath?: string;
}

/** What a transport reports for a message the server accepted. */
export interface TransportResult {
  /** The server's reply (`250 2.0.0 OK`), or where the outbox wrote the file. */
  response: string;
}

/** Something that hands messages on: SMTP, or the local outbox folder. */
export interface Transport {
  /** A short name for logs, e.g. `smtp://relay.example.org:587` or `outbox var/outbox`. */
  readonly name: string;
  send(message: OutgoingMessage): Promise<TransportResult>;
  close(): Promise<void>;
}
