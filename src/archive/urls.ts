// Where things live in the web archive: one folder per edition, so its page has a
// clean URL (`ARCHIVE_URL/2026-W48/`) on any static host.

/** The file of an edition's page, relative to the archive folder. */
export function editionPageFile(editionId: string): string {
  return `${editionId}/index.html`;
}

/** The URL of an edition's page under `archiveUrl` (no trailing slash). */
export function editionPageUrl(archiveUrl: string, editionId: string): string {
  return `${archiveUrl}/${editionId}/`;
}

/** The Atom feed's file, relative to the archive folder. */
export const FEED_FILE = 'feed.xml';
