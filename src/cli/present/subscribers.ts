// What `paperwire subscribers` prints.

import { showInvisible } from '../../subscribers/address.ts';
import type { SubscriberReport } from '../../subscribers/status.ts';
import type { SuppressionVia } from '../../subscribers/suppressions.ts';
import { eventLine, shortTime } from './mailbox.ts';

const HOW: Record<SuppressionVia, string> = {
  link: 'unsubscribed by link',
  command: 'unsubscribed by command',
  bounce: 'suppressed after bounces',
  complaint: 'suppressed after a spam complaint',
  mailto: 'unsubscribed by mail',
};

/** The report as the lines `paperwire subscribers` prints. */
export function reportLines(report: SubscriberReport, file: string): string[] {
  const lines = [
    `${file}: ${report.active} active, ${report.suppressed} suppressed, ` +
      (report.notMailed ? `${report.notMailed} not mailed, ` : '') +
      `${report.invalid} invalid` +
      (report.duplicates
        ? ` (${report.duplicates} duplicate${report.duplicates === 1 ? '' : 's'} ignored)`
        : '') +
      (report.fromWeb ? `; ${report.fromWeb} of them signed up on the web` : ''),
  ];
  for (const entry of report.subscribers) {
    const web = entry.source === 'web' ? ' (web)' : '';
    if (entry.status === 'active' && entry.source === 'web') {
      lines.push(
        `  web         ${entry.email}: signed up on the web, confirmed ${shortTime(entry.confirmedAt ?? '')}`,
      );
    } else if (entry.status === 'suppressed') {
      const why = ['bounce', 'complaint'].includes(entry.suppressedVia) ? ` (${entry.suppressedReason})` : '';
      lines.push(
        `  suppressed  ${entry.email}${web}: ${HOW[entry.suppressedVia]} on ${shortTime(entry.suppressedAt)}${why}`,
      );
    } else if (entry.status === 'not-mailed') {
      lines.push(`  not mailed  line ${entry.line}: ${entry.email}: ${entry.listStatus} in the list`);
    } else if (entry.status === 'invalid') {
      lines.push(
        `  invalid     line ${entry.line}: ${showInvisible(JSON.stringify(entry.email))}: ${entry.reason}`,
      );
    }
  }
  for (const event of report.mailbox) {
    lines.push(
      event.outcome === 'held'
        ? `  held        ${event.email}: mailto: unsubscribe of ${shortTime(event.at)} held, DMARC failed (if genuine: paperwire unsubscribe ${event.email})`
        : `  mailbox     ${eventLine(event)}`,
    );
  }
  for (const warning of report.warnings) lines.push(`  warning     line ${warning.line}: ${warning.message}`);
  return lines;
}
