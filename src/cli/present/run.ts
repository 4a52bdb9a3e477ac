// The lines `paperwire run` prints: what ingest did per source, what delivery did,
// then where the results are (the outbox folder, the HTML preview).
import type { CycleSummary } from '../../app/cycle.ts';
import { reportLines } from './ingest.ts';
import { orphanLines, sendResultLines } from './send.ts';
import { waitingLine } from './status.ts';

/** The summary of one cycle as printed lines; `display` shortens a path or URL for the reader. */
export function cycleLines(
  summary: CycleSummary,
  display: (path: string) => string = (path) => path,
): string[] {
  const lines = summary.ingest ? reportLines(summary.ingest, display) : [];
  const { send } = summary;
  if (send?.kind === 'delivered') lines.push(...sendResultLines(send, display));
  else lines.push(summary.headline, ...(send?.kind === 'nothing' ? orphanLines(send.orphans) : []));
  if (send?.kind === 'delivered' && summary.outbox) {
    const { dir, files } = summary.outbox;
    lines.push(`outbox: ${display(dir)} (${files} .eml file${files === 1 ? '' : 's'})`);
  }
  if (summary.preview) lines.push(`preview: ${display(summary.preview.htmlPath)}`);
  lines.push(...(summary.backlog?.waiting ?? []).map(waitingLine));
  const missed = summary.backlog?.missed ?? [];
  if (missed.length > 0) {
    lines.push(
      `missed: no edition for ${missed.map((entry) => entry.week).join(', ')} — a week more than one behind is not sent by itself (\`paperwire status\` says how)`,
    );
  }
  return lines;
}
