// A local HTTP server on port 0 that answers like the Hugging Face Daily Papers API, for tests of
// the `hf` source and of the weekly job (set HF_API_URL to `api.url`).
//
//   const api = await startHfApi(t);             // the fixture days of test/fixtures/hf-api/
//   const api = await startHfApi(t, { days });   // or your own: { 'YYYY-MM-DD': items[] }
//
// Routes, as on huggingface.co:
//   GET /api/daily_papers?date=YYYY-MM-DD   the items of that Daily Papers day
//   GET /api/daily_papers?week=YYYY-Www     the items of that ISO week's days AND of the Friday
//                                           before it, as HF's own `week=` answers do; newest day first
//   GET /api/daily_papers                   the newest day only
//     &limit=N (default 50, at most 100) &p=N (0-based page): a page past the end is `[]`
//   GET /api/papers/{arxiv id}              the paper object of an item
//   anything else: 404 `{"error": …}`; a malformed date/week/limit/p: 400 `{"error": …}`
//
// The fixture days (FIXTURE_WEEK = 2026-W48, 23–29 November 2026; written in the real answer format:
// the Daily Papers day is `paper.submittedOnDailyAt`, the item's `publishedAt` is the arXiv date):
//   2026-11-20 (the Friday before: 3 items), 2026-11-23 … 2026-11-27 (17 items), 2026-11-28 (none),
//   2026-11-30 and 2026-12-01 (the next week: 5 items).
//
// Controls and records:
//   api.url                       the base URL (HF_API_URL), `http://127.0.0.1:PORT`
//   api.setUpvotes(id, n)         later answers give paper `id` n upvotes (the count grows over the week)
//   api.addItems(day, items)      adds items to a day (e.g. syntheticItems(...) for a large week)
//   api.failNext(n, { status, headers, body })  the next n requests get that answer instead, e.g.
//                                 { status: 429, headers: { 'retry-after': '1' } } (default: exactly that)
//   api.requests                  every request: { at (Date.now() ms), path, query, authorization, userAgent }
//   api.close()                   stops the server (done by itself after the test when `t` is given)
// Helpers: loadFixtureDays(), syntheticItems(day, count, firstId), FIXTURE_WEEK.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { isoWeekOf } from '../../src/week.ts';
import { listenLocal } from './net.ts';

/** The ISO week the fixture days are about (Monday 23 – Sunday 29 November 2026). */
export const FIXTURE_WEEK = '2026-W48';

/** One item of a `/api/daily_papers` answer (the real format; only the fields the server looks at are typed). */
export interface HfItem {
  paper: { id: string; upvotes: number; submittedOnDailyAt?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** Daily Papers days: `YYYY-MM-DD` → that day's items. */
export type HfDays = Record<string, HfItem[]>;

/** A request the server got. */
export interface HfRequest {
  /** When it arrived, in ms since the epoch. */
  at: number;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  userAgent: string | null;
}

/** A canned answer for failNext. */
export interface HfFailure {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A running fake Hugging Face API. */
export interface HfApi {
  url: string;
  requests: HfRequest[];
  setUpvotes(id: string, upvotes: number): void;
  addItems(day: string, items: HfItem[]): void;
  failNext(count: number, failure?: HfFailure): void;
  close(): Promise<void>;
}

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/hf-api/', import.meta.url));
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const WEEK = /^\d{4}-W\d{2}$/;

/** The fixture days, read afresh (so a test may change them). */
export function loadFixtureDays(): HfDays {
  const days: HfDays = {};
  for (const name of readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    days[name.replace(/\.json$/, '')] = JSON.parse(readFileSync(FIXTURE_DIR + name, 'utf8')) as HfItem[];
  }
  return days;
}

/** `count` generated items of Daily Papers day `day`, with ids `YYMM.NNNNN` counting up from `firstId`. */
export function syntheticItems(day: string, count: number, firstId: number): HfItem[] {
  const month = `${day.slice(2, 4)}${day.slice(5, 7)}`;
  return Array.from({ length: count }, (_, index) => {
    const id = `${month}.${String(firstId + index).padStart(5, '0')}`;
    const title = `Generated paper ${id}: a study of\n  synthetic benchmarks`;
    return {
      paper: {
        id,
        authors: [{ _id: `a${id}`, name: `Author ${index % 97}`, hidden: false }],
        publishedAt: `${day}T06:00:00.000Z`,
        submittedOnDailyAt: `${day}T00:${String(index % 60).padStart(2, '0')}:00.000Z`,
        title,
        summary: `The abstract of ${id}, long enough to look like one.\n`.repeat(6),
        upvotes: (index * 37) % 200,
        discussionId: `d${id}`,
      },
      publishedAt: `${day}T02:00:00.000Z`,
      title,
      summary: `The abstract of ${id}.`,
      numComments: index % 5,
    };
  });
}

/** The days a `week=` answer covers: that week's seven, plus the Friday before. */
function weekDays(days: string[], week: string): string[] {
  return days.filter((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    if (isoWeekOf(date) === week) return true;
    const threeDaysOn = new Date(date.getTime() + 3 * 86_400_000);
    return date.getUTCDay() === 5 && isoWeekOf(threeDaysOn) === week;
  });
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(value));
}

/** Starts the server on 127.0.0.1, port 0; with `t`, it is closed after the test. */
export async function startHfApi(
  t?: { after(fn: () => Promise<void> | void): void },
  options: { days?: HfDays } = {},
): Promise<HfApi> {
  const days: HfDays = options.days ?? loadFixtureDays();
  const upvotes = new Map<string, number>();
  const requests: HfRequest[] = [];
  const failures: HfFailure[] = [];

  const withUpvotes = (item: HfItem): HfItem =>
    upvotes.has(item.paper.id)
      ? { ...item, paper: { ...item.paper, upvotes: upvotes.get(item.paper.id)! } }
      : item;

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    requests.push({
      at: Date.now(),
      path: url.pathname,
      query,
      authorization: request.headers.authorization ?? null,
      userAgent: request.headers['user-agent'] ?? null,
    });
    const failure = failures.shift();
    if (failure) {
      response.writeHead(failure.status, failure.headers ?? {}).end(failure.body ?? '');
      return;
    }
    const paperRoute = /^\/api\/papers\/([^/]+)$/.exec(url.pathname);
    if (paperRoute) {
      const item = Object.values(days)
        .flat()
        .find((candidate) => candidate.paper.id === paperRoute[1]);
      if (item) json(response, 200, withUpvotes(item).paper);
      else json(response, 404, { error: 'Paper not found' });
      return;
    }
    if (url.pathname !== '/api/daily_papers') return json(response, 404, { error: 'Not Found' });
    const limit = Number(query.limit ?? 50);
    const page = Number(query.p ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return json(response, 400, { error: 'Invalid limit' });
    if (!Number.isInteger(page) || page < 0) return json(response, 400, { error: 'Invalid page' });
    const known = Object.keys(days).sort();
    let chosen: string[];
    if (query.date !== undefined) {
      if (!DAY.test(query.date)) return json(response, 400, { error: 'Invalid date format' });
      chosen = [query.date];
    } else if (query.week !== undefined) {
      if (!WEEK.test(query.week)) return json(response, 400, { error: 'Invalid week format' });
      chosen = weekDays(known, query.week);
    } else {
      chosen = known.filter((day) => (days[day]?.length ?? 0) > 0).slice(-1);
    }
    const items = chosen
      .sort()
      .reverse()
      .flatMap((day) => days[day] ?? []);
    json(response, 200, items.slice(page * limit, (page + 1) * limit).map(withUpvotes));
  });
  const { url, close } = await listenLocal(server, t);
  return {
    url,
    requests,
    setUpvotes: (id, count) => upvotes.set(id, count),
    addItems: (day, items) => {
      days[day] = [...(days[day] ?? []), ...items];
    },
    failNext: (count, failure = { status: 429, headers: { 'retry-after': '1' } }) => {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    close,
  };
}
