// The one rule for links that come from a source: only absolute http(s) URLs are
// used. Ingest applies it when storing, render again when writing an href.

/** `raw` as an absolute http(s) URL, or null when it is anything else (relative, javascript:, data:, mailto:, …). */
export function httpUrl(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (!/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
