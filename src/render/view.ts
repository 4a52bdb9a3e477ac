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
}

/** A paper card as templates see it. */
export interface CardView {
  rank: number;
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
  url: string;
  /** The subscriber's topic it matched. */
  topic: string;
  /** True when the paper also has a card in this email. */
  inTop: boolean;
}

/** Everything the digest, text and subject templates can use (phase 1). */
export interface DigestView {
  list: { name: string };
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
  /** Papers of the edition without a card here (beyond MAX_PAPERS or dropped to fit). */
  more: { count: number; url: string | null } | null;
  fullListUrl: string | null;
  /** Placeholders filled per subscriber in phase 2. */
  subscriber: { name: string; email: string };
  unsubscribeUrl: string;
}

/** What a view is built from. */
export interface ViewInput {
  edition: Edition;
  listName: string;
  maxPapers: number;
  fullListUrl: string | null;
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

function paperUrls({ paper }: EditionPaper): { page: string | null; links: LinkView[] } {
  const arxivId = paper.arxivId && /^[\w./-]+$/.test(paper.arxivId) ? paper.arxivId : null;
  const arxiv = safeUrl(paper.links.arxiv) ?? (arxivId ? `https://arxiv.org/abs/${arxivId}` : null);
  const pdf = safeUrl(paper.links.pdf) ?? (arxivId ? `https://arxiv.org/pdf/${arxivId}` : null);
  const links: LinkView[] = [];
  for (const [label, url] of [
    ['arXiv', arxiv],
    ['PDF', pdf],
    ['Code', safeUrl(paper.links.code)],
    ['Project page', safeUrl(paper.links.project)],
  ] as const) {
    if (url) links.push({ label, url: markSource(url) });
  }
  return { page: safeUrl(paper.links.page) ?? arxiv, links };
}

function authorLine(authors: readonly string[]): string {
  const named = authors.slice(0, AUTHORS_SHOWN).map((name) => shorten(name, 60));
  return named.join(', ') + (authors.length > AUTHORS_SHOWN ? ' et al.' : '');
}

/** The card for one paper, with its summary cut to `summaryLength` characters. */
export function cardView(entry: EditionPaper, summaryLength: number): CardView {
  const { paper } = entry;
  const { page, links } = paperUrls(entry);
  const summary = paper.aiSummary?.trim() || paper.abstract;
  return {
    rank: entry.rank,
    title: markSource(shorten(paper.title, TITLE_MAX)),
    shortTitle: markSource(shorten(paper.title, SUBJECT_TITLE_MAX)),
    url: markSource(page ?? titleSearchUrl(paper.title)),
    urlIsSearch: page === null,
    authors: markSource(authorLine(paper.authors)),
    upvotes: paper.upvotes,
    hasUpvotes: paper.upvotes !== null,
    summary: summaryLength > 0 ? markSource(shorten(summary, summaryLength)) : '',
    summaryIsAi: Boolean(paper.aiSummary?.trim()),
    links,
  };
}

/** Builds the phase-1 view of one content variant. */
export function digestView(input: ViewInput): DigestView {
  const { edition } = input;
  const top = edition.papers.slice(0, input.maxPapers);
  const shown = top.slice(0, Math.max(0, input.cards)).map((entry) => cardView(entry, input.summaryLength));
  const first = edition.papers[0];
  const unshown = edition.papers.length - shown.length;
  const [year, week] = edition.id.split('-W').map(Number);
  const lead = input.forYou[0]?.paper.paper.title ?? first?.paper.title ?? '';
  const others = edition.papers.length - 1;
  const preheader = `${input.forYou.length > 0 ? 'For you: ' : ''}${shorten(lead, 90)}${
    others > 0 ? ` and ${others} more trending paper${others === 1 ? '' : 's'}` : ''
  }`;
  return {
    list: { name: markSource(input.listName) },
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
              return {
                rank: paper.rank,
                title: card.title,
                url: card.url,
                topic: markSource(shorten(topic, 60)),
                inTop: paper.rank <= shown.length,
              };
            }),
            more: input.forYouMore,
          },
    more: unshown > 0 ? { count: unshown, url: input.fullListUrl } : null,
    fullListUrl: input.fullListUrl,
    subscriber: { name: '{{subscriber.name}}', email: '{{subscriber.email}}' },
    unsubscribeUrl: '{{unsubscribeUrl}}',
  };
}
