// What `paperwire mailbox` prints, and the mailbox's lines in `status` and `subscribers`.
import type { MailboxSummary } from '../../mailbox/index.ts';
import type { MailboxEvent, MailboxStatus } from '../../mailbox/status.ts';
import { shorten } from '../../text.ts';

/** `2026-11-20T14:03:09.123Z` → `2026-11-20 14:03 UTC`. */
export function shortTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function every(ms: number): string {
  return ms % 3_600_000 === 0
    ? `${ms / 3_600_000}h`
    : ms % 60_000 === 0
      ? `${ms / 60_000}m`
      : `${ms / 1000}s`;
}

/** One line about an event: `2026-11-23 08:00 UTC  bounce 5.1.1 (2026-W48) ghost@example.net: suppressed`. */
export function eventLine(event: MailboxEvent): string {
  const what =
    event.class === 'bounce'
      ? `bounce ${event.status ?? ''}`.trim()
      : event.class === 'complaint'
        ? 'complaint'
        : 'mailto: unsubscribe';
  const edition = event.editionId ? ` (${event.editionId})` : '';
  return `${shortTime(event.at)}  ${what}${edition} ${event.email}: ${event.outcome}`;
}

/** The status as lines for `paperwire status`. */
export function mailboxStatusLines(status: MailboxStatus): string[] {
  const lines = [
    status.url
      ? `mailbox: ${status.url}, read before each delivery and every ${every(status.everyMs ?? 0)}`
      : 'mailbox: not read (set MAILBOX_URL to act on bounces, complaints and mailto: unsubscribes)',
  ];
  if (status.lastProcessedAt === null && status.recent.length === 0) return lines;
  lines.push(
    `mailbox: ${status.bounces} bounce${status.bounces === 1 ? '' : 's'}, ${status.complaints} complaint${status.complaints === 1 ? '' : 's'}, ${status.unsubscribes} mailto unsubscribe${status.unsubscribes === 1 ? '' : 's'}, ${status.held.length} held; last processed ${status.lastProcessedAt ? shortTime(status.lastProcessedAt) : 'never'}`,
  );
  for (const event of status.recent) lines.push(`  ${eventLine(event)}`);
  for (const event of status.held) {
    lines.push(
      `held: ${event.email} asked to unsubscribe on ${shortTime(event.at)} but DMARC failed; if it is genuine, run \`paperwire unsubscribe ${event.email}\``,
    );
  }
  return lines;
}

/** The summary as the lines `paperwire mailbox` prints: one per message acted on, then one per class. */
export function mailboxLines(summary: MailboxSummary): string[] {
  const would = summary.dryRun ? 'would be ' : '';
  const lines = [
    `mailbox ${summary.folder}: ${summary.seen} message${summary.seen === 1 ? '' : 's'}, ${summary.alreadyProcessed} processed before${summary.dryRun ? ' (dry run: nothing is changed)' : ''}`,
  ];
  for (const action of summary.actions) {
    // Who it is about; for a message about no subscriber, its subject.
    const who = action.email ?? JSON.stringify(shorten(action.subject, 60));
    const edition = action.editionId ? ` (${action.editionId})` : '';
    const outcome =
      action.outcome === 'left alone' || action.outcome === 'not on the list'
        ? action.outcome
        : `${would}${action.outcome}`;
    lines.push(`  ${action.class.padEnd(11)} ${who}${edition}: ${outcome} — ${action.detail}`);
  }
  const { bounces, complaints, unsubscribes } = summary;
  lines.push(
    `bounces: ${bounces.permanent} permanent, ${bounces.transient} transient, ${bounces.suppressed} ${would}suppressed`,
    `complaints: ${complaints.total}, ${complaints.suppressed} ${would}suppressed`,
    `mailto unsubscribes: ${unsubscribes.total}, ${unsubscribes.suppressed} ${would}suppressed, ${unsubscribes.held} held (DMARC failed), ${unsubscribes.notListed} not on the list`,
    `left alone: ${summary.other}`,
  );
  if (!summary.dryRun) lines.push(`moved to ${summary.doneFolder}: ${summary.moved}`);
  for (const error of summary.errors) lines.push(`  error: message UID ${error.uid}: ${error.error}`);
  return lines;
}
