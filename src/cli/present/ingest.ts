// The lines `paperwire ingest` prints: per source a summary, then a line per
// rejected entry, warning and error; then the total.
import type { IngestReport } from '../../ingest/index.ts';

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `12 new, 3 updated, 1 rejected`. */
export function countsText(counts: { new: number; updated: number; rejected: number }): string {
  return `${counts.new} new, ${counts.updated} updated, ${counts.rejected} rejected`;
}

/** The report as printed lines; `display` shortens a source for the reader (e.g. a path relative to the cwd). */
export function reportLines(
  report: IngestReport,
  display: (source: string) => string = (source) => source,
): string[] {
  const lines: string[] = [];
  for (const source of report.sources) {
    const name = display(source.source);
    // Messages name their source in full; show it the way the summary line does.
    const shorten = (text: string): string =>
      text.startsWith(source.source) ? name + text.slice(source.source.length) : text;
    const live = source.live;
    // A live source says which week it fetched, and how much came back.
    const label = live ? `${name} ${live.week}` : name;
    const fetched = live
      ? `; ${plural(live.pages, 'page')}, ${plural(live.items, 'item')}${live.otherWeeks ? `, ${live.otherWeeks} of another week left out` : ''}`
      : '';
    if (source.problem !== null) {
      const stored = source.new + source.updated > 0;
      lines.push(
        `${label}: failed${stored ? ` after storing ${source.new} new, ${source.updated} updated` : ', nothing stored'}`,
      );
      lines.push(`  error: ${shorten(source.problem.message)}`);
      if (source.problem.hint) lines.push(`  hint: ${source.problem.hint}`);
      continue;
    }
    // A source that was skipped unread (an empty folder, a symbolic link loop) has only its warnings.
    const skipped = source.format === null && source.new + source.updated + source.rejected === 0;
    if (!skipped)
      lines.push(`${label}: ${countsText(source)}${source.format ? ` (${source.format}${fetched})` : ''}`);
    for (const rejection of source.rejections) lines.push(`${name} ${rejection.place}: ${rejection.reason}`);
    const unlisted = source.rejected - source.rejections.length;
    if (unlisted > 0)
      lines.push(`${name}: and ${unlisted.toLocaleString('en-US')} more rejected entries, not listed`);
    for (const warning of source.warnings) lines.push(`${name} ${shorten(warning)} (warning)`);
  }
  const failed = report.failedSources > 0 ? `; ${plural(report.failedSources, 'source')} failed` : '';
  lines.push(`total: ${countsText(report.totals)}${failed}`);
  return lines;
}
