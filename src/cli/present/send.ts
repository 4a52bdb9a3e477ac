// What `paperwire send` (and `run`) print about a send.
import type { DryRunResult, SendResult, TestCopyResult } from '../../app/send.ts';
import { LEFT_LIST_CLOSE_LIMIT, type OrphanOutcome } from '../../deliver/index.ts';

/** `1 subscriber`, `2 subscribers`. */
function subscribersCount(count: number): string {
  return `${count} subscriber${count === 1 ? '' : 's'}`;
}

/** What happened to pending rows of addresses suppressed since or gone from the list, as lines. */
export function orphanLines(orphans: OrphanOutcome | undefined): string[] {
  if (!orphans) return [];
  const lines: string[] = [];
  const closed = [
    orphans.closedSuppressed ? `${orphans.closedSuppressed} of addresses suppressed since` : '',
    orphans.closedLeft ? `${orphans.closedLeft} of addresses no longer on the list` : '',
  ].filter(Boolean);
  if (closed.length) lines.push(`closed pending rows: ${closed.join(', ')}`);
  if (orphans.keptLeft) {
    lines.push(
      `kept ${orphans.keptLeft} pending rows of addresses no longer on the list (more than ${LEFT_LIST_CLOSE_LIMIT}: was the list cut short?)`,
      '  hint: If the list is complete again, run send again: they get the edition. If they left on purpose, paperwire send --drop-removed closes their rows.',
    );
  }
  return lines;
}

/** The result as the lines `paperwire send` (and `run`) print; `display` shortens a path for the reader. */
export function sendResultLines(
  result: SendResult | DryRunResult | TestCopyResult,
  display: (path: string) => string = (path) => path,
): string[] {
  switch (result.kind) {
    case 'nothing':
      return [
        `nothing to send: ${result.reason}`,
        ...(result.hint ? [`  hint: ${result.hint}`] : []),
        ...orphanLines(result.orphans),
      ];
    case 'declined':
      return [
        `not sent: edition ${result.editionId} to ${subscribersCount(result.recipients)} was not confirmed`,
      ];
    case 'test':
      return [`test copy of edition ${result.editionId} sent to ${result.to}: ${result.response}`];
    case 'dry-run':
      return [
        `dry run: edition ${result.editionId}${result.frozen ? '' : ' (not frozen yet)'} would go to ${subscribersCount(result.recipients)} via ${result.transport}; skipped ${result.skipped} (suppressed or already sent)` +
          (result.notInAudience ? `; ${result.notInAudience} joined after its week` : ''),
        result.largestHtmlFor
          ? `largest HTML: ${(result.largestHtmlBytes / 1024).toFixed(1)} KB (${result.largestHtmlFor}); nothing was sent or written`
          : 'nothing was sent or written',
      ];
    case 'delivered': {
      const { summary } = result;
      const lines = [
        ...(result.requeued
          ? [`put ${result.requeued} permanently failed rows of edition ${result.edition.id} back to pending`]
          : []),
        `edition ${result.edition.id}: sent ${summary.sent}, skipped ${summary.skipped} (suppressed or already sent), failed ${summary.failed}, left to retry ${summary.leftToRetry}`,
      ];
      lines.push(...orphanLines(summary.orphans));
      if (summary.bounceSuppressed.length) {
        lines.push(
          `suppressed after "no such mailbox" in two editions in a row: ${summary.bounceSuppressed.join(', ')}`,
        );
      }
      if (summary.mayHaveArrived.length) {
        lines.push(
          `${summary.mayHaveArrived.length} may have arrived (the server took the whole message, then the connection was lost before it replied, twice): left to retry; the next send tries each once more with the same Message-ID: ${summary.mayHaveArrived.join(', ')}`,
        );
      }
      if (summary.notInAudience) {
        lines.push(
          `${summary.notInAudience} subscribers joined after week ${result.edition.id}: they get the next edition`,
        );
      }
      if (summary.stopped) lines.push(`stopped: ${summary.leftToRetry} left, run send again to resume`);
      else if (summary.halted) {
        lines.push(`stopped early: ${summary.halted.message}`, `  hint: ${summary.halted.hint}`);
      } else if (summary.leftToRetry)
        lines.push(`${summary.leftToRetry} left to retry: run send again later`);
      if (result.archive) {
        const { archive } = result;
        lines.push(
          `archive: ${archive.editions.length} edition${archive.editions.length === 1 ? '' : 's'} in ${display(archive.dir)}${archive.url ? ` (${archive.url})` : ''}`,
        );
      }
      for (const other of result.otherPending) {
        lines.push(
          `edition ${other.editionId} still has ${other.pending} left to retry: paperwire send --week ${other.editionId}`,
        );
      }
      return lines;
    }
  }
}
