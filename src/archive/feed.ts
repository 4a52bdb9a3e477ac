// The archive's Atom feed, written by the `feed` library: one entry per edition, whose
// content is the edition's whole list (rank, title, authors, upvotes, summary, links).
import { Feed } from 'feed';
import { shorten } from '../text.ts';
import type { Edition } from '../types.ts';
import { html } from '../web/html.ts';
import { type ArchiveSite, archivePapers, weekLabel } from './pages.ts';
import { editionPageUrl, FEED_FILE } from './urls.ts';

/** The longest summary an entry quotes; the edition's page has the rest. */
const FEED_SUMMARY_MAX = 600;

/** The HTML content of an edition's entry: the full list as an ordered list. */
function entryContent(edition: Edition): string {
  return html`<ol>${archivePapers(edition).map(
    (
      paper,
    ) => html`<li><p><strong>#${paper.rank}</strong> <a href="${paper.url}">${paper.title}</a>${paper.upvotes === null ? '' : ` · ▲ ${paper.upvotes}`}</p>
${paper.authors ? html`<p>${paper.authors}</p>` : ''}${paper.summary ? html`<p>${shorten(paper.summary, FEED_SUMMARY_MAX)}</p>` : ''}
${paper.links.length ? html`<p>${paper.links.map((link, i) => html`${i ? ' · ' : ''}<a href="${link.url}">${link.label}</a>`)}</p>` : ''}</li>`,
  )}</ol>`.value;
}

/**
 * The Atom feed of `editions` (newest first) under ARCHIVE_URL: ids and links are the pages'
 * URLs there; `now` dates an empty feed.
 */
export function archiveFeed(
  site: ArchiveSite & { archiveUrl: string },
  editions: readonly Edition[],
  now: Date,
): string {
  const base = site.archiveUrl;
  const newest = editions[0];
  const feed = new Feed({
    title: site.listName,
    description: 'Trending research papers, every week',
    id: `${base}/`,
    link: `${base}/`,
    feedLinks: { atom: `${base}/${FEED_FILE}` },
    updated: newest ? new Date(newest.createdAt) : now,
    author: { name: site.listName },
    generator: 'paperwire',
    language: 'en',
  });
  for (const edition of editions) {
    const count = edition.papers.length;
    feed.addItem({
      title: `${weekLabel(edition.id)}: ${edition.papers[0]?.paper.title ?? 'no papers'}${count > 1 ? ` and ${count - 1} more` : ''}`,
      id: editionPageUrl(base, edition.id),
      link: editionPageUrl(base, edition.id),
      date: new Date(edition.createdAt),
      content: entryContent(edition),
    });
  }
  return feed.atom1();
}
