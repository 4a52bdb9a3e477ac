// The archive's two kinds of page: the index of editions and one edition's full list.
// Static HTML with relative links (any static host serves the folder as it is), one
// inline style sheet, no script, light and dark colours, and nothing about subscribers.
import { type PaperDetails, paperAnchor, paperDetails, weekDates } from '../render/view.ts';
import type { Edition } from '../types.ts';
import { html, type SafeHtml, trusted } from '../web/html.ts';
import { htmlDocument } from '../web/page.ts';
import { parseWeek } from '../week.ts';
import { editionPageUrl, FEED_FILE } from './urls.ts';

/** How many authors an archive entry names before "et al.". */
const AUTHORS_SHOWN = 12;

/** What every page of an archive shows about its newsletter. */
export interface ArchiveSite {
  listName: string;
  postalAddress: string | null;
  /** ARCHIVE_URL (no trailing slash) for canonical links and the feed, or null: relative links and no feed. */
  archiveUrl: string | null;
}

const STYLE = trusted(`<style>
:root { color-scheme: light dark; --bg: #f3f4f6; --card: #fff; --ink: #111827; --text: #1f2937; --muted: #4b5563;
  --link: #1d4ed8; --line: #e5e7eb; --accent: #3730a3; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0b1120; --card: #1e293b; --ink: #f8fafc; --text: #e2e8f0; --muted: #cbd5e1; --link: #93c5fd;
    --line: #334155; --accent: #c7d2fe; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
a { color: var(--link); text-decoration: underline; text-underline-offset: 2px; }
a:hover, a:focus { text-decoration-thickness: 2px; }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.75rem; padding-bottom: .5rem; color: var(--muted); }
header .brand { color: var(--ink); font-weight: 800; font-size: 1.1rem; }
main { background: var(--card); border-radius: 12px; padding: 1.75rem 1.25rem; }
@media (min-width: 40rem) { main { padding: 2rem 2.25rem; } }
h1 { color: var(--ink); font-size: 1.75rem; line-height: 1.25; margin: 0; overflow-wrap: anywhere; }
.lead { color: var(--muted); margin: .5rem 0 0; }
ol.list { list-style: none; margin: 1.5rem 0 0; padding: 0; }
ol.list > li { border-top: 1px solid var(--line); padding: 1.25rem 0; }
ol.list > li:first-child { border-top: 0; }
h2 { color: var(--ink); font-size: 1.15rem; line-height: 1.35; margin: 0; overflow-wrap: anywhere; }
h2 a { color: var(--ink); }
.meta, .authors { color: var(--muted); font-size: .875rem; margin: .25rem 0 0; }
.meta strong { color: var(--ink); }
.summary { margin: .6rem 0 0; overflow-wrap: anywhere; }
.links { margin: .6rem 0 0; font-size: .9rem; }
footer { color: var(--muted); font-size: .875rem; padding-top: 1.25rem; padding-bottom: 2.5rem; text-align: center; }
footer p { margin: .25rem 0; }
</style>`);

/** The whole HTML document of one archive page; `root` is the relative path back to the archive's index. */
function page(
  site: ArchiveSite,
  options: { title: string; root: string; canonical: string | null; body: SafeHtml },
): string {
  const home = options.root === '' ? './' : options.root;
  return htmlDocument({
    title: options.title,
    head: html`<meta name="color-scheme" content="light dark">
${options.canonical ? html`<link rel="canonical" href="${options.canonical}">` : ''}
${site.archiveUrl ? html`<link rel="alternate" type="application/atom+xml" title="${site.listName}" href="${options.root}${FEED_FILE}">` : ''}
${STYLE}`,
    body: html`<header><a class="brand" href="${home}">${site.listName}</a> · trending research papers, every week</header>
<main>
${options.body}
</main>
<footer>
<p>${site.archiveUrl ? html`<a href="${options.root}${FEED_FILE}">Atom feed</a> · ` : ''}<a href="${home}">All editions</a></p>
${site.postalAddress ? html`<p>${site.postalAddress}</p>` : ''}
</footer>`,
  });
}

/** "Week 48, 2026" for `2026-W48`. */
export function weekLabel(editionId: string): string {
  const { year, week } = parseWeek(editionId);
  return `Week ${week}, ${year}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One paper of an edition page; its id is the anchor the emails link to. */
function paperItem(details: PaperDetails): SafeHtml {
  return html`<li id="${paperAnchor(details.rank)}">
<p class="meta"><strong>#${details.rank}</strong>${details.upvotes === null ? '' : ` · ▲ ${plural(details.upvotes, 'upvote')}`}</p>
<h2><a href="${details.url}">${details.title}</a></h2>
${details.authors ? html`<p class="authors">${details.authors}</p>` : ''}
${details.summary ? html`<p class="summary">${details.summaryIsAi ? html`<strong>TL;DR</strong> ` : ''}${details.summary}</p>` : ''}
${
  details.links.length
    ? html`<p class="links">${details.links.map(
        (link, index) =>
          html`${index ? ' · ' : ''}<a href="${link.url}" aria-label="${link.label}: ${details.title}">${link.label}</a>`,
      )}</p>`
    : ''
}
</li>`;
}

/** The paper details an archive shows for each paper of `edition`, best first. */
export function archivePapers(edition: Edition): PaperDetails[] {
  return edition.papers.map((entry) => paperDetails(entry, AUTHORS_SHOWN));
}

/** One edition's page: every paper of it, not only those an email had room for. */
export function editionPage(site: ArchiveSite, edition: Edition): string {
  const label = weekLabel(edition.id);
  const papers = archivePapers(edition);
  return page(site, {
    title: `${site.listName} · ${label}`,
    root: '../',
    canonical: site.archiveUrl ? editionPageUrl(site.archiveUrl, edition.id) : null,
    body: html`<h1>${label}</h1>
<p class="lead">${weekDates(edition.id)} · ${plural(papers.length, 'paper')}, ranked by upvotes</p>
<ol class="list">
${papers.map(paperItem)}
</ol>`,
  });
}

/** The archive's front page: every edition, newest first, with its week, dates and paper count. */
export function indexPage(site: ArchiveSite, editions: readonly Edition[]): string {
  const items = editions.map((edition) => {
    const top = edition.papers[0]?.paper.title;
    return html`<li>
<h2><a href="${edition.id}/">${weekLabel(edition.id)}</a></h2>
<p class="meta">${weekDates(edition.id)} · ${plural(edition.papers.length, 'paper')}</p>
${top ? html`<p class="summary">Top paper: ${top}</p>` : ''}
</li>`;
  });
  return page(site, {
    title: `${site.listName} · archive`,
    root: '',
    canonical: site.archiveUrl ? `${site.archiveUrl}/` : null,
    body: html`<h1>${site.listName}</h1>
<p class="lead">Every edition so far, newest first: the research papers the community upvoted most each week.</p>
${editions.length ? html`<ol class="list">${items}</ol>` : html`<p>No edition has been sent yet.</p>`}`,
  });
}
