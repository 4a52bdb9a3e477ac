// `arxiv:QUERY`: the papers matching QUERY submitted in one week, from the arXiv API:
// `{ARXIV_API_URL}/api/query?search_query=(QUERY) AND submittedDate:[MONDAY0000 TO SUNDAY2359]`
// (GMT), oldest first, paged with start/max_results. Every request waits its turn in the
// process-wide arXiv queue (./spacing.ts); an empty page while the feed says more results exist
// is an arXiv quirk, asked again a few times before it is an error.
import { PaperwireError } from '../../errors.ts';
import { fetchText } from '../fetch.ts';
import { atomEntries, atomTotalResults, isAtomFeed, parseXml } from '../formats/arxiv-atom.ts';
import type { LiveContext, LiveFetcher } from './index.ts';
import { ARXIV_SPACING_MS, arxivRequests } from './spacing.ts';

/** Results asked per request; arXiv serves up to 2,000, but large pages are slow to come. */
export const ARXIV_PAGE_SIZE = 500;
/** How often an empty page is asked again while the feed says there are more results. */
const EMPTY_PAGE_TRIES = 3;
/** A week of even the busiest category is a few thousand papers. */
const MAX_PAGES = 40;

/** `YYYY-MM-DD` as arXiv's `YYYYMMDD`. */
const compact = (day: string): string => day.replaceAll('-', '');

/** The URL of the page of `query` in `week` that starts at result `start`. */
export function arxivWeekUrl(
  apiUrl: string,
  query: string,
  week: { monday: string; sunday: string },
  start: number,
): string {
  const params = new URLSearchParams({
    search_query: `(${query}) AND submittedDate:[${compact(week.monday)}0000 TO ${compact(week.sunday)}2359]`,
    // Oldest first: papers come in the order they were submitted, Monday to Sunday.
    sortBy: 'submittedDate',
    sortOrder: 'ascending',
    start: String(start),
    max_results: String(ARXIV_PAGE_SIZE),
  });
  return `${apiUrl}/api/query?${params}`;
}

/** The fetcher of `arxiv:QUERY` against `apiUrl`, with at least `spacingMs` between any two arXiv requests. */
export function arxivFetcher(apiUrl: string, query: string, spacingMs = ARXIV_SPACING_MS): LiveFetcher {
  return async (context: LiveContext, take) => {
    const throttle = <T>(request: () => Promise<T>): Promise<T> => arxivRequests.run(spacingMs, request);
    let start = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = arxivWeekUrl(apiUrl, query, context.week, start);
      let entries: ReturnType<typeof atomEntries> = [];
      let total: number | null = null;
      let observedAt = context.now();
      for (let attempt = 1; ; attempt++) {
        observedAt = context.now();
        const text = await fetchText(url, {
          ...context.fetch,
          throttle,
          configuredIn: `SOURCES (arxiv:${query}) or ARXIV_API_URL`,
        });
        const document = parseXml(text, url);
        if (!isAtomFeed(document)) {
          throw new PaperwireError('E_SOURCE_FORMAT', `${url}: the answer is not an Atom feed`, {
            hint: 'Check ARXIV_API_URL: it should be https://export.arxiv.org or a server answering like it.',
          });
        }
        total = atomTotalResults(document);
        entries = atomEntries(document, url);
        if (entries.length > 0 || total === null || start >= total) break;
        if (attempt >= EMPTY_PAGE_TRIES) {
          throw new PaperwireError(
            'E_SOURCE_READ',
            `${url}: arXiv answered an empty page at result ${start} of ${total}, ${EMPTY_PAGE_TRIES} times`,
            { hint: 'arXiv is having trouble (a known quirk of its API): run the ingest again later.' },
          );
        }
        context.log.warn(
          `${url}: an empty page although arXiv reports ${total} results; asking again (${attempt + 1} of ${EMPTY_PAGE_TRIES})`,
        );
      }
      take({
        url,
        label: `start=${start}`,
        format: 'arxiv-atom',
        items: entries.length,
        entries,
        observedAt,
      });
      start += entries.length;
      // A feed that gives no total ends with its first short page.
      if (entries.length === 0 || (total !== null ? start >= total : entries.length < ARXIV_PAGE_SIZE))
        return;
    }
    context.log.warn(`arxiv:${query}: stopped after ${MAX_PAGES} pages of ${ARXIV_PAGE_SIZE}`);
  };
}
