// What `paperwire subscribers` prints.

import { showInvisible } from '../../subscribers/address.ts';
import type { SubscriberReport } from '../../subscribers/status.ts';
import type { SuppressionVia } from '../../subscribers/suppressions.ts';

const HOW: Record<SuppressionVia, string> = {
  link: 'unsubscribed by link',
  command: 'unsubscribed by command',
  bounce: 'suppressed after bounces',
};

/** `2026-11-20T14:03:09.123Z` → `2026-11-20 14:03 UTC`. */
function shortTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The report as the lines `paperwire subscribers` prints. */
export function reportLines(report: SubscriberReport, file: string): string[] {
  const lines = [
    `${file}: ${report.active} active, ${report.suppressed} suppressed, ` +
      (report.notMailed ? `${report.notMailed} not mailed, ` : '') +
      `${report.invalid} invalid` +
      (report.duplicates
        ? ` (${report.duplicates} duplicate${report.duplicates === 1 ? '' : 's'} ignored)`
        : ''),
  ];
  for (const entry of report.subscribers) {
    if (entry.status === 'suppressed') {
      const why = entry.suppressedVia === 'bounce' ? ` (${entry.suppressedReason})` : '';
      lines.push(
        `  suppressed  ${entry.email}: ${HOW[entry.suppressedVia]} on ${shortTime(entry.suppressedAt)}${why}`,
      );
    } else if (entry.status === 'not-mailed') {
      lines.push(`  not mailed  line ${entry.line}: ${entry.email}: ${entry.listStatus} in the list`);
    } else if (entry.status === 'invalid') {
      lines.push(
        `  invalid     line ${entry.line}: ${showInvisible(JSON.stringify(entry.email))}: ${entry.reason}`,
      );
    }
  }
  for (const warning of report.warnings) lines.push(`  warning     line ${warning.line}: ${warning.message}`);
  return lines;
}
