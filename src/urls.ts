// The one rule for links and URL sources: only absolute http(s) URLs. Ingest applies
// it when storing a link and when telling a URL source from a path, render again
// when writing an href.

const HTTP_SCHEME = /^https?:\/\//i;

/** True when `text` is meant as an http(s) URL (a source that is fetched, not a path). */
export function isHttpUrl(text: string): boolean {
  return HTTP_SCHEME.test(text.trim());
}

/** `raw` as an absolute http(s) URL, or null when it is anything else (relative, javascript:, data:, mailto:, …). */
export function httpUrl(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (!HTTP_SCHEME.test(text)) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The URL of `path` (e.g. `/unsubscribe`) under PUBLIC_URL with `?token=…`, every character
 * that could end a header `<…>` or a mail client's link encoded.
 */
export function publicTokenUrl(publicUrl: string, path: string, token: string): string {
  const url = new URL(publicUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = `?token=${token}`;
  url.hash = '';
  return url.href.replace(/[,\s<>"]/g, (char) => encodeURIComponent(char));
}
