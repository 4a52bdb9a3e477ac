// The mailbox: reads the delivery reports, complaints and mailto: unsubscribes that
// come back, and acts on each exactly once.
//
// 1. list   — every message in the folder; those whose Message-ID is recorded were
//             acted on already (a move that failed last time is tried again);
// 2. read   — fetch and parse each new one (mailparser), classify it (classify.ts);
// 3. decide — a permanent failure counts toward the bounce rule (5.1.1 suppresses at
//             once, any other 5.x.x when the edition before or after it failed for good
//             too); a transient one is recorded; a complaint suppresses; a mailto:
//             unsubscribe from someone on the list suppresses unless DMARC fails (then
//             it is held and listed); anything else is left alone;
// 4. record — the message and its suppression in one transaction, keyed by Message-ID,
//             so it is acted on once even when it is read again;
// 5. move   — to the done folder; never deleted. A dry run stops after 3.

import { isMailboxUnknown } from '../deliver/retry.ts';
import { addressKey } from '../identity.ts';
import type { Logger } from '../log.ts';
import type { SuppressionVia } from '../subscribers/suppressions.ts';
import {
  type Classification,
  type ClassifySettings,
  classifyMessage,
  type DeliveryLookup,
} from './classify.ts';
import { type DmarcCheck, dmarcFails } from './dmarc.ts';
import type { MailboxFolder } from './imap.ts';
import { type MailboxMessage, parseMailboxMessage } from './parse.ts';
import type { AddressEdition, MailboxClass, MailboxMessageRecord, MailboxRecords } from './records.ts';

export type { ClassifySettings } from './classify.ts';
export { type DmarcCheck, type DnsResolver, dmarcChecker } from './dmarc.ts';
export { type MailboxFolder, openImapFolder } from './imap.ts';
export type { MailboxRecords } from './records.ts';
export { redactedMailboxUrl } from './status.ts';

/** Everything processMailbox takes. */
export interface MailboxInput {
  folder: MailboxFolder;
  records: MailboxRecords;
  /** True when `email` is on the subscriber list. */
  isListed(email: string): boolean;
  settings: ClassifySettings;
  dmarc: DmarcCheck;
  /** Print what would be done, change nothing (no record, no suppression, no move). */
  dryRun: boolean;
  log: Logger;
}

/** What was (or, in a dry run, would be) done with one message: its record, plus the subject to show. */
export interface MailboxAction extends Omit<MailboxMessageRecord, 'detail' | 'receivedAt'> {
  detail: string;
  subject: string;
}

/** Per class: how many messages, and how many suppressed. */
export interface MailboxSummary {
  folder: string;
  doneFolder: string;
  dryRun: boolean;
  /** Messages in the folder. */
  seen: number;
  /** Messages recorded in an earlier run (not acted on again). */
  alreadyProcessed: number;
  actions: MailboxAction[];
  bounces: { permanent: number; transient: number; suppressed: number };
  complaints: { total: number; suppressed: number };
  unsubscribes: { total: number; suppressed: number; held: number; notListed: number };
  other: number;
  moved: number;
  /** Messages that could not be read or moved (they are tried again next time). */
  errors: { uid: number; error: string }[];
}

/** Reads the folder once and acts on what is new; see the top of this file. */
export async function processMailbox(input: MailboxInput): Promise<MailboxSummary> {
  const { folder, records, log } = input;
  const summary: MailboxSummary = {
    folder: folder.name,
    doneFolder: folder.doneFolder,
    dryRun: input.dryRun,
    seen: 0,
    alreadyProcessed: 0,
    actions: [],
    bounces: { permanent: 0, transient: 0, suppressed: 0 },
    complaints: { total: 0, suppressed: 0 },
    unsubscribes: { total: 0, suppressed: 0, held: 0, notListed: 0 },
    other: 0,
    moved: 0,
    errors: [],
  };
  const listed = await folder.list();
  summary.seen = listed.length;
  const lookup = deliveryLookup(records);
  for (const entry of listed) {
    try {
      const earlier = entry.messageId === null ? null : records.processed(entry.messageId);
      if (earlier) {
        summary.alreadyProcessed++;
        if (!input.dryRun && shouldMove(earlier)) await move(folder, entry.uid, summary);
        continue;
      }
      const message = await parseMailboxMessage(await folder.fetch(entry.uid));
      const again = message.key === entry.messageId ? null : records.processed(message.key);
      if (again) {
        summary.alreadyProcessed++;
        if (!input.dryRun && shouldMove(again)) await move(folder, entry.uid, summary);
        continue;
      }
      const decision = await decide(message, input, lookup);
      count(summary, decision);
      summary.actions.push(decision.action);
      if (input.dryRun) continue;
      const { recorded } = records.record(toRecord(message, decision.action), decision.suppression);
      if (!recorded) continue; // another reader acted on it meanwhile
      if (decision.suppression) {
        log.info(`suppressed ${decision.suppression.email} (${decision.suppression.via})`, {
          reason: decision.suppression.reason,
        });
      }
      if (shouldMove(decision.action)) await move(folder, entry.uid, summary);
    } catch (error) {
      // One unreadable message must not stop the others; it is read again next time.
      const text = (error as Error).message;
      summary.errors.push({ uid: entry.uid, error: text });
      log.warn(`could not process message UID ${entry.uid}: ${text}`, { folder: folder.name });
    }
  }
  return summary;
}

/**
 * The deliveries as the classifier looks them up, each edition's recipients read once per run:
 * a burst of bounces about one edition reads its ledger rows once, not once per report. Read
 * after the folder is listed, so every delivery a listed report can be about is there.
 */
function deliveryLookup(records: MailboxRecords): DeliveryLookup {
  let editionIds: string[] | null = null;
  const recipients = new Map<string, string[]>();
  return {
    byMessageId: (id) => records.deliveryByMessageId(id),
    editionIds: () => {
      editionIds ??= records.editionIds();
      return editionIds;
    },
    recipients: (editionId) => {
      let emails = recipients.get(editionId);
      if (!emails) {
        emails = records.editionRecipients(editionId);
        recipients.set(editionId, emails);
      }
      return emails;
    },
  };
}

/** Held requests wait for the operator in the folder; messages left alone stay where they are. */
function shouldMove(record: { class: MailboxClass; outcome: string }): boolean {
  return record.class !== 'other' && record.outcome !== 'held';
}

async function move(folder: MailboxFolder, uid: number, summary: MailboxSummary): Promise<void> {
  try {
    await folder.moveToDone(uid);
    summary.moved++;
  } catch (error) {
    // Recorded already: the next run sees its Message-ID, does nothing more, and moves it then.
    summary.errors.push({
      uid,
      error: `could not move it to ${folder.doneFolder}: ${(error as Error).message}`,
    });
  }
}

interface Decision {
  action: MailboxAction;
  suppression: { email: string; via: SuppressionVia; reason: string } | null;
}

/** What to do with one message. */
async function decide(
  message: MailboxMessage,
  input: MailboxInput,
  lookup: DeliveryLookup,
): Promise<Decision> {
  const { records } = input;
  const classification = classifyMessage(message, input.settings, lookup);
  const base = { key: message.key, subject: message.subject };
  switch (classification.class) {
    case 'bounce':
      return decideBounce(classification, records, base);
    case 'complaint': {
      const { email, editionId } = classification.delivery;
      const detail = `${classification.feedbackType} report${classification.userAgent ? ` from ${classification.userAgent}` : ''} about ${editionId}`;
      const already = records.isSuppressed(email);
      return {
        action: {
          ...base,
          class: 'complaint',
          outcome: already ? 'already suppressed' : 'suppressed',
          email,
          editionId,
          status: null,
          detail,
        },
        suppression: already ? null : { email, via: 'complaint', reason: `spam complaint (${detail})` },
      };
    }
    case 'unsubscribe':
      return decideUnsubscribe(classification.sender, message, input, base);
    case 'other':
      return {
        action: {
          ...base,
          class: 'other',
          outcome: 'left alone',
          email: null,
          editionId: null,
          status: null,
          detail: classification.reason,
        },
        suppression: null,
      };
  }
}

function decideBounce(
  bounce: Extract<Classification, { class: 'bounce' }>,
  records: MailboxRecords,
  base: { key: string; subject: string },
): Decision {
  const { email, editionId } = bounce.delivery;
  const action = (outcome: string, detail: string): MailboxAction => ({
    ...base,
    class: 'bounce',
    outcome,
    email,
    editionId,
    status: bounce.status,
    detail,
  });
  const said = bounce.diagnostic ? `: ${bounce.diagnostic}` : '';
  if (!bounce.permanent)
    return { action: action('recorded', `transient failure ${bounce.status}${said}`), suppression: null };
  if (records.isSuppressed(email))
    return { action: action('already suppressed', `${bounce.status}${said}`), suppression: null };
  if (bounce.status === '5.1.1') {
    const reason = `delivery report for ${editionId}: 5.1.1 no such user${said}`;
    return { action: action('suppressed', reason), suppression: { email, via: 'bounce', reason } };
  }
  const neighbour = failedNeighbour(records.addressEditions(email), editionId);
  if (neighbour) {
    const [first, second] = [neighbour, editionId].sort();
    const reason = `permanent failures in editions ${first} and ${second}: ${bounce.status}${said}`;
    return { action: action('suppressed', reason), suppression: { email, via: 'bounce', reason } };
  }
  return {
    action: action(
      'recorded',
      `permanent failure ${bounce.status}${said} (suppressed if the next edition fails too)`,
    ),
    suppression: null,
  };
}

/**
 * The edition next to `editionId` in the address's history (before or after: reports can
 * arrive in any order) that failed for good too, or null. "For good" is a delivery
 * report with a 5.x.x status, or the send-time "no such mailbox" reply the ledger rule counts.
 */
export function failedNeighbour(history: readonly AddressEdition[], editionId: string): string | null {
  const index = history.findIndex((entry) => entry.editionId === editionId);
  if (index < 0) return null;
  for (const neighbour of [history[index - 1], history[index + 1]]) {
    if (!neighbour) continue;
    const reported = neighbour.reportStatuses.some((status) => status.startsWith('5.'));
    const refused = neighbour.sendFailure !== null && isMailboxUnknown(neighbour.sendFailure);
    if (reported || refused) return neighbour.editionId;
  }
  return null;
}

async function decideUnsubscribe(
  sender: string,
  message: MailboxMessage,
  input: MailboxInput,
  base: { key: string; subject: string },
): Promise<Decision> {
  const none = { ...base, class: 'unsubscribe' as const, editionId: null, status: null };
  if (!input.isListed(sender)) {
    // Nothing is kept about someone who is not on the list, not even the address.
    return {
      action: { ...none, outcome: 'not on the list', email: null, detail: 'the sender is not on the list' },
      suppression: null,
    };
  }
  const email = addressKey(sender);
  const auto =
    message.autoSubmitted && message.autoSubmitted !== 'no'
      ? ` (sent by the mail client: Auto-Submitted: ${message.autoSubmitted})`
      : '';
  if (input.records.isSuppressed(email)) {
    return {
      action: { ...none, outcome: 'already suppressed', email, detail: `mailto: unsubscribe${auto}` },
      suppression: null,
    };
  }
  const verdict = await input.dmarc(message.raw);
  if (dmarcFails(verdict)) {
    const detail = `DMARC fails for ${verdict.domain}${verdict.policy ? ` (p=${verdict.policy})` : ''}: the From address may be forged; if the request is genuine, run paperwire unsubscribe ${email}`;
    return { action: { ...none, outcome: 'held', email, detail }, suppression: null };
  }
  const reason = `mailto: unsubscribe${auto}, DMARC ${verdict.result}`;
  return {
    action: { ...none, outcome: 'suppressed', email, detail: reason },
    suppression: { email, via: 'mailto', reason },
  };
}

function count(summary: MailboxSummary, decision: Decision): void {
  const { action } = decision;
  const suppressed = action.outcome === 'suppressed';
  if (action.class === 'bounce') {
    if (action.status?.startsWith('5')) summary.bounces.permanent++;
    else summary.bounces.transient++;
    if (suppressed) summary.bounces.suppressed++;
  } else if (action.class === 'complaint') {
    summary.complaints.total++;
    if (suppressed) summary.complaints.suppressed++;
  } else if (action.class === 'unsubscribe') {
    summary.unsubscribes.total++;
    if (suppressed) summary.unsubscribes.suppressed++;
    if (action.outcome === 'held') summary.unsubscribes.held++;
    if (action.outcome === 'not on the list') summary.unsubscribes.notListed++;
  } else {
    summary.other++;
  }
}

function toRecord(message: MailboxMessage, action: MailboxAction): MailboxMessageRecord {
  return {
    key: message.key,
    class: action.class,
    outcome: action.outcome,
    email: action.email,
    editionId: action.editionId,
    status: action.status,
    detail: action.detail,
    receivedAt: message.date && !Number.isNaN(message.date.getTime()) ? message.date.toISOString() : null,
  };
}
