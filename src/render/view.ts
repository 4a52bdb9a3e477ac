// The data templates see: plain strings and numbers, every string from a source
// already passed through markSource and every link already checked for http(s).

import { shorten } from '../text.ts';
import type { Edition, EditionPaper } from '../types.ts';
import { weekRange } from '../week.ts';
import { markSource, safeUrl } from './escape.ts';
import type { TopicMatch } from './topics.ts';

/** How many authors a card names before "et al.". */
const AUTHORS_SHOWN = 3;
/** The longest title the subject line quotes. */
const SUBJECT_TITLE_MAX = 70;
/** The longest title a card shows: a runaway source cannot fill the email with one title. */
const TITLE_MAX = 300;

/** One link under a paper card (arXiv, PDF, Code, Project page). */
export interface LinkView {
  label: string;
  url: string;
  /** The label with the paper's (short) title, for assistive technology: "PDF: Sparse Diffusion …". */
  ariaLabel: string;
}

/** What is known about one paper of an edition, as plain text: the email's cards and the web archive show it. */
export interface PaperDetails {
  rank: number;
  title: string;
  /** The paper's page, or an arXiv title search when the source gave no link: never empty. */
  url: string;
  /** True when `url` is a search for the title rather than the paper itself. */
  urlIsSearch: boolean;
  /** "A, B, C et al.", or '' when unknown. */
  authors: string;
  upvotes: number | null;
  /** The AI summary when the source has one, else the abstract (whole). */
  summary: string;
  summaryIsAi: boolean;
  links: { label: string; url: string }[];
}

/** A paper card as templates see it. */
export interface CardView {
  rank: number;
  /** The card's id in the email and on the edition's web page (`paper-3`), for links to it. */
  anchor: string;
  title: string;
  /** The title shortened for the subject line. */
  shortTitle: string;
  /** The paper's page, or an arXiv title search when the source gave no link: never empty. */
  url: string;
  /** True when `url` is a search for the title rather than the paper itself. */
  urlIsSearch: boolean;
  /** "A, B, C et al.", or '' when unknown. */
  authors: string;
  upvotes: number | null;
  /** False when the source does not count upvotes (so 0 still shows). */
  hasUpvotes: boolean;
  /** The AI summary when the source has one, else the shortened abstract. */
  summary: string;
  summaryIsAi: boolean;
  links: LinkView[];
}

/** One line of the "For you" part. */
export interface ForYouItemView {
  rank: number;
  title: string;
  /** Its card in this email (`#paper-3`) when it has one, else its place on the edition's web page, else the paper. */
  url: string;
  /** The subscriber's topic it matched. */
  topic: string;
  /** True when the paper also has a card in this email. */
  inTop: boolean;
}

/** Everything the digest, text and subject templates can use (phase 1). */
export interface DigestView {
  /** LIST_NAME, and POSTAL_ADDRESS or null. */
  list: { name: string; postalAddress: string | null };
  /** The edition's page in the web archive ("View in your browser"), or null without ARCHIVE_URL. */
  webUrl: string | null;
  edition: {
    id: string;
    week: number;
    year: number;
    /** "23–29 November 2026". */
    dates: string;
    paperCount: number;
    /** paperCount - 1, for "… and N more" in the subject. */
    othersCount: number;
  };
  preheader: string;
  topPaper: CardView | null;
  /** The cards shown, best first. */
  papers: CardView[];
  forYou: { papers: ForYouItemView[]; more: number } | null;
  /** Papers of the edition without a card here (beyond MAX_PAPERS or dropped to fit); `url` shows the first of them. */
  more: { count: number; url: string | null } | null;
  /** Every paper of the edition: the edition's web page when there is an archive, else the source's week page. */
  fullListUrl: string | null;
  /** Placeholders filled per subscriber in phase 2. */
  subscriber: { name: string; email: string };
  unsubscribeUrl: string;
}

/** What a view is built from. */
export interface ViewInput {
  edition: Edition;
  listName: string;
  postalAddress: string | null;
  maxPapers: number;
  /** Already checked and marked. */
  fullListUrl: string | null;
  /** The edition's web page, already checked and marked; null without an archive. */
  webUrl: string | null;
  forYou: TopicMatch[];
  /** Matches beyond the ones listed. */
  forYouMore: number;
  /** Longest summary on a card, in characters. */
  summaryLength: number;
  /** How many of the top papers get a card (the clip guard lowers it). */
  cards: number;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "23–29 November 2026", "28 December 2026 – 3 January 2027". */
export function weekDates(id: string): string {
  const { monday, sunday } = weekRange(id);
  const day = (date: Date) => date.getUTCDate();
  const month = (date: Date) => MONTHS[date.getUTCMonth()];
  if (monday.getUTCFullYear() !== sunday.getUTCFullYear()) {
    return `${day(monday)} ${month(monday)} ${monday.getUTCFullYear()} – ${day(sunday)} ${month(sunday)} ${sunday.getUTCFullYear()}`;
  }
  if (monday.getUTCMonth() !== sunday.getUTCMonth()) {
    return `${day(monday)} ${month(monday)} – ${day(sunday)} ${month(sunday)} ${sunday.getUTCFullYear()}`;
  }
  return `${day(monday)}–${day(sunday)} ${month(sunday)} ${sunday.getUTCFullYear()}`;
}

function titleSearchUrl(title: string): string {
  return `https://arxiv.org/search/?query=${encodeURIComponent(title)}&searchtype=title`;
}

function paperUrls({ paper }: EditionPaper): { page: string | null; links: PaperDetails['links'] } {
  const arxivId = paper.arxivId && /^[\w./-]+$/.test(paper.arxivId) ? paper.arxivId : null;
  const arxiv = safeUrl(paper.links.arxiv) ?? (arxivId ? `https://arxiv.org/abs/${arxivId}` : null);
  const pdf = safeUrl(paper.links.pdf) ?? (arxivId ? `https://arxiv.org/pdf/${arxivId}` : null);
  const links: PaperDetails['links'] = [];
  for (const [label, url] of [
    ['arXiv', arxiv],
    ['PDF', pdf],
    ['Code', safeUrl(paper.links.code)],
    ['Project page', safeUrl(paper.links.project)],
  ] as const) {
    if (url) links.push({ label, url });
  }
  return { page: safeUrl(paper.links.page) ?? arxiv, links };
}

function authorLine(authors: readonly string[], shown: number): string {
  const named = authors.slice(0, shown).map((name) => shorten(name, 60));
  return named.join(', ') + (authors.length > shown ? ' et al.' : '');
}

/** The id of a paper's card in the email and on the edition's web page. */
export function paperAnchor(rank: number): string {
  return `paper-${rank}`;
}

/** The plain facts of one paper: checked links only, nothing shortened but the author list (`authorsShown` names). */
export function paperDetails(entry: EditionPaper, authorsShown = AUTHORS_SHOWN): PaperDetails {
  const { paper } = entry;
  const { page, links } = paperUrls(entry);
  return {
    rank: entry.rank,
    title: paper.title,
    url: page ?? titleSearchUrl(paper.title),
    urlIsSearch: page === null,
    authors: authorLine(paper.authors, authorsShown),
    upvotes: paper.upvotes,
    summary: paper.aiSummary?.trim() || paper.abstract,
    summaryIsAi: Boolean(paper.aiSummary?.trim()),
    links,
  };
}

/** The card for one paper, with its summary cut to `summaryLength` characters. */
export function cardView(entry: EditionPaper, summaryLength: number): CardView {
  const details = paperDetails(entry);
  const shortTitle = markSource(shorten(details.title, SUBJECT_TITLE_MAX));
  return {
    rank: details.rank,
    anchor: paperAnchor(details.rank),
    title: markSource(shorten(details.title, TITLE_MAX)),
    shortTitle,
    url: markSource(details.url),
    urlIsSearch: details.urlIsSearch,
    authors: markSource(details.authors),
    upvotes: details.upvotes,
    hasUpvotes: details.upvotes !== null,
    summary: summaryLength > 0 ? markSource(shorten(details.summary, summaryLength)) : '',
    summaryIsAi: details.summaryIsAi,
    links: details.links.map(({ label, url }) => ({
      label,
      url: markSource(url),
      ariaLabel: `${label}: ${shortTitle}`,
    })),
  };
}

/** Builds the phase-1 view of one content variant. */
export function digestView(input: ViewInput): DigestView {
  const { edition } = input;
  const top = edition.papers.slice(0, input.maxPapers);
  const shown = top.slice(0, Math.max(0, input.cards)).map((entry) => cardView(entry, input.summaryLength));
  const first = edition.papers[0];
  const unshown = edition.papers.length - shown.length;
  const onWebPage = (rank: number) => (input.webUrl ? `${input.webUrl}#${paperAnchor(rank)}` : null);
  const [year, week] = edition.id.split('-W').map(Number);
  const lead = input.forYou[0]?.paper.paper.title ?? first?.paper.title ?? '';
  const others = edition.papers.length - 1;
  const preheader = `${input.forYou.length > 0 ? 'For you: ' : ''}${shorten(lead, 90)}${
    others > 0 ? ` and ${others} more trending paper${others === 1 ? '' : 's'}` : ''
  }`;
  return {
    list: {
      name: markSource(input.listName),
      postalAddress: input.postalAddress ? markSource(input.postalAddress) : null,
    },
    webUrl: input.webUrl,
    edition: {
      id: edition.id,
      week: week ?? 0,
      year: year ?? 0,
      dates: weekDates(edition.id),
      paperCount: edition.papers.length,
      othersCount: Math.max(0, others),
    },
    preheader: markSource(preheader),
    topPaper: first ? cardView(first, input.summaryLength) : null,
    papers: shown,
    forYou:
      input.forYou.length === 0
        ? null
        : {
            papers: input.forYou.map(({ paper, topic }) => {
              const card = cardView(paper, 0);
              // A paper with a card here is linked to its card, not shown twice.
              const inTop = paper.rank <= shown.length;
              return {
                rank: paper.rank,
                title: card.title,
                url: inTop ? `#${card.anchor}` : (onWebPage(paper.rank) ?? card.url),
                topic: markSource(shorten(topic, 60)),
                inTop,
              };
            }),
            more: input.forYouMore,
          },
    more: unshown > 0 ? { count: unshown, url: onWebPage(shown.length + 1) ?? input.fullListUrl } : null,
    fullListUrl: input.fullListUrl,
    subscriber: { name: '{{subscriber.name}}', email: '{{subscriber.email}}' },
    unsubscribeUrl: '{{unsubscribeUrl}}',
  };
}
