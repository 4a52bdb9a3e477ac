// `hf`: the Hugging Face Daily Papers of one week, `GET {HF_API_URL}/api/daily_papers?week=YYYY-Www
// &limit=100&p=N`. One `week=` question per page rather than a `date=` one per day: a week is one to a
// few pages (2–5 requests against 7 or more, under a rate limit counted per 5 minutes), and the
// Friday before, which HF's `week=` answer also holds, is left out by the driver, by each paper's
// Daily Papers day.
import { PaperwireError } from '../../errors.ts';
import { fetchText } from '../fetch.ts';
import { dailyPapersEntries } from '../formats/hf-daily-papers.ts';
import { parseJson } from '../json.ts';
import type { LiveContext, LiveFetcher } from './index.ts';

/** Items per page: the most the API gives. A shorter page is the last. */
export const HF_PAGE_LIMIT = 100;
/** A week of Daily Papers is a few hundred papers at most; past this many pages something is off. */
const MAX_PAGES = 50;
/** HF counts its rate limits over 5-minute windows: a 429 may ask to wait that long. */
export const HF_MAX_RETRY_DELAY_MS = 5 * 60_000;

/** The URL of page `page` (0-based) of `week` on the Hugging Face API at `apiUrl`. */
export function hfWeekUrl(apiUrl: string, week: string, page: number): string {
  const query = new URLSearchParams({ week, limit: String(HF_PAGE_LIMIT), p: String(page) });
  return `${apiUrl}/api/daily_papers?${query}`;
}

/** The `hf` fetcher for the API at `apiUrl`, sending `token` (HF_TOKEN) as a bearer token when set. */
export function hfFetcher(apiUrl: string, token: string | null): LiveFetcher {
  return async (context: LiveContext, take) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    for (let page = 0; ; page++) {
      const url = hfWeekUrl(apiUrl, context.week.id, page);
      const observedAt = context.now();
      const text = await fetchText(url, { ...context.fetch, headers, configuredIn: 'HF_API_URL' });
      const items = parseJson(text, url);
      if (!Array.isArray(items)) {
        throw new PaperwireError('E_SOURCE_FORMAT', `${url}: the answer is not a list of daily papers`, {
          hint: 'Check HF_API_URL: it should be the Hugging Face site (https://huggingface.co) or a server answering like its API.',
        });
      }
      const { unseen } = take({
        url,
        label: `p=${page}`,
        format: 'hf-daily-papers',
        items: items.length,
        entries: dailyPapersEntries(items),
        observedAt,
      });
      if (items.length < HF_PAGE_LIMIT) return;
      if (unseen === 0) {
        context.log.warn(
          `${url}: a full page with no paper not seen before: the API ignores p=, stopped here`,
        );
        return;
      }
      if (page + 1 >= MAX_PAGES) {
        context.log.warn(`${url}: stopped after ${MAX_PAGES} pages of ${HF_PAGE_LIMIT}`);
        return;
      }
    }
  };
}
