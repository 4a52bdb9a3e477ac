// The web archive: every delivered edition as a static site, pure (editions in, files out).
//
// 1. the editions are ordered newest first (ISO week ids sort as text);
// 2. index.html lists them, with week, dates and paper count;
// 3. <id>/index.html lists every paper of one edition (not only the top N of its emails);
// 4. feed.xml is an Atom feed with one entry per edition — only with ARCHIVE_URL: a feed
//    reader needs absolute links, and the archive may be published anywhere until then.
// Nothing about subscribers goes in: the input is editions and the newsletter's settings only.
import type { Edition } from '../types.ts';
import { archiveFeed } from './feed.ts';
import { type ArchiveSite, editionPage, indexPage } from './pages.ts';
import { editionPageFile, FEED_FILE } from './urls.ts';

export type { ArchiveSite } from './pages.ts';
export { editionPageFile, editionPageUrl, FEED_FILE } from './urls.ts';

/** One file of the archive: its path relative to the archive folder, and its text. */
export interface ArchiveFile {
  path: string;
  content: string;
}

/** Builds every file of the archive of `editions`; `now` dates the feed when there is no edition. */
export function buildArchive(editions: readonly Edition[], site: ArchiveSite, now: Date): ArchiveFile[] {
  const newestFirst = [...editions].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const files = [
    { path: 'index.html', content: indexPage(site, newestFirst) },
    ...newestFirst.map((edition) => ({
      path: editionPageFile(edition.id),
      content: editionPage(site, edition),
    })),
  ];
  if (site.archiveUrl) {
    files.push({
      path: FEED_FILE,
      content: archiveFeed({ ...site, archiveUrl: site.archiveUrl }, newestFirst, now),
    });
  }
  return files;
}
