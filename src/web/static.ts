// A folder of static files as a handler of the public site: the web archive under
// ARCHIVE_URL's path. GET and HEAD only; `dir/` serves `dir/index.html` and `dir`
// redirects to `dir/` (so the pages' relative links resolve); nothing outside the folder,
// no dotfiles, no symlinks out. Answers carry caching headers: a short max-age plus an
// ETag and Last-Modified, so a reader's browser or a proxy revalidates cheaply (304).
import { readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { methodNotAllowed, type WebHandler, type WebResponse } from './site.ts';

/** How long browsers and proxies may keep a page before asking again: an edition's page changes rarely. */
export const STATIC_MAX_AGE_SECONDS = 300;

const TYPES: Record<string, WebResponse['type']> = {
  '.html': 'html',
  '.xml': 'xml',
  '.css': 'css',
  '.json': 'json',
  '.txt': 'text',
};

function etagOf(info: Stats): string {
  return `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
}

/**
 * The file or folder a request path names inside `root` (a real path), or null when it is hidden, not
 * a regular file or folder, or lies outside `root` once every symbolic link on the way is followed
 * (a linked folder as much as a linked file).
 */
function fileFor(root: string, relative: string): { path: string; info: Stats } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  const parts = decoded.split('/').filter(Boolean);
  if (parts.some((part) => part.startsWith('.') || part.includes('\\') || part.includes('\0'))) return null;
  try {
    const real = realpathSync(join(root, ...parts));
    if (real !== root && !real.startsWith(root + sep)) return null;
    const info = statSync(real);
    return info.isFile() || info.isDirectory() ? { path: real, info } : null;
  } catch {
    return null;
  }
}

/** Serves the files of `dir` at `mountPath` (e.g. `/archive`, below the site's base path). */
export function staticFolderHandler(options: { mountPath: string; dir: string }): WebHandler {
  const mount = options.mountPath.replace(/\/+$/, '');
  return (request) => {
    const { path } = request;
    if (path !== mount && !path.startsWith(`${mount}/`)) return null;
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD');
    let root: string;
    try {
      root = realpathSync(options.dir);
    } catch {
      return null;
    }
    const relative = path.slice(mount.length);
    let found = fileFor(root, relative);
    if (found?.info.isDirectory()) {
      if (!relative.endsWith('/')) {
        // `/archive/2026-W48` → `/archive/2026-W48/`, relative to where the client is, so it works behind any prefix.
        const last = path.split('/').pop() || '';
        return { status: 301, type: 'text', body: 'moved\n', headers: { Location: `${last || '.'}/` } };
      }
      found = fileFor(root, `${relative}index.html`);
    }
    if (!found?.info.isFile()) return null;
    const type = TYPES[extname(found.path).toLowerCase()];
    if (!type) return null;
    const etag = etagOf(found.info);
    const headers = {
      'Cache-Control': `public, max-age=${STATIC_MAX_AGE_SECONDS}`,
      ETag: etag,
      'Last-Modified': found.info.mtime.toUTCString(),
    };
    const given = request.headers['if-none-match'];
    if (given?.split(',').some((tag) => tag.trim() === etag)) {
      return { status: 304, type, body: '', headers };
    }
    return { status: 200, type, body: readFileSync(found.path), headers };
  };
}
