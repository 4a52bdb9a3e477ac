// Shortening text for display: one rule for titles, abstracts, subject lines and
// table cells alike.

/** `text` with whitespace collapsed, cut to at most `max` characters at a word boundary when one is near, ending in "…". */
export function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  // Only back off to a space when that loses little; one giant word is cut mid-word.
  const base = space > max * 0.6 ? cut.slice(0, space) : cut;
  return `${base.replace(/[\s,.;:–—-]+$/, '')}…`;
}
