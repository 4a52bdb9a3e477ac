// The mailbox over IMAP (imapflow): list the folder's messages, fetch one, move it
// to the done folder (created when missing). imaps:// is TLS from the first byte;
// imap:// upgrades with STARTTLS whenever the server offers it.
import { ImapFlow } from 'imapflow';
import type { MailboxConfig } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import { bareMessageId } from './parse.ts';
import { redactedMailboxUrl } from './status.ts';

/** One message in the folder being read. */
export interface FolderMessage {
  uid: number;
  /** Its Message-ID without angle brackets, from the envelope, or null. */
  messageId: string | null;
}

/** A folder paperwire reads, with the done folder next to it (what the mailbox stage needs). */
export interface MailboxFolder {
  /** `imap://host:port/INBOX`, without credentials (for logs). */
  readonly name: string;
  /** The done folder, as configured. */
  readonly doneFolder: string;
  /** Every message in the folder, oldest first. */
  list(): Promise<FolderMessage[]>;
  /** The whole message. */
  fetch(uid: number): Promise<Buffer>;
  /** Moves the message to the done folder, creating that folder first when missing. */
  moveToDone(uid: number): Promise<void>;
  close(): Promise<void>;
}

/** Timeouts of the IMAP client, in milliseconds (tests shorten them). */
export interface ImapTimeouts {
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
}

/** Defaults: long enough for a slow provider, short enough not to hold up a delivery for long. */
export const DEFAULT_IMAP_TIMEOUTS: ImapTimeouts = {
  connectionTimeoutMs: 30_000,
  greetingTimeoutMs: 16_000,
  socketTimeoutMs: 120_000,
};

/** Connects, logs in and opens `config.folder`. Throws E_MAILBOX with a hint when any of it fails. */
export async function openImapFolder(
  config: MailboxConfig,
  timeouts: ImapTimeouts = DEFAULT_IMAP_TIMEOUTS,
): Promise<MailboxFolder> {
  const name = redactedMailboxUrl(config);
  const client = new ImapFlow({
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: { user: config.user, pass: config.password },
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized },
    logger: false,
    connectionTimeout: timeouts.connectionTimeoutMs,
    greetingTimeout: timeouts.greetingTimeoutMs,
    socketTimeout: timeouts.socketTimeoutMs,
  });
  // A dropped connection is reported by the call that needed it; this keeps it from crashing the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw connectError(name, error);
  }
  let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
  try {
    lock = await client.getMailboxLock(config.folder);
  } catch (error) {
    await client.logout().catch(() => client.close());
    throw new PaperwireError(
      'E_MAILBOX',
      `${name}: cannot open the folder "${config.folder}": ${message(error)}`,
      {
        hint: 'Check the folder in MAILBOX_URL (the path after the host, e.g. /INBOX).',
        cause: error,
      },
    );
  }
  let donePath: string | null = null;
  return {
    name,
    doneFolder: config.doneFolder,
    async list() {
      const messages: FolderMessage[] = [];
      const mailbox = client.mailbox;
      if (!mailbox || mailbox.exists === 0) return messages;
      try {
        for await (const item of client.fetch('1:*', { uid: true, envelope: true })) {
          messages.push({ uid: item.uid, messageId: bareMessageId(item.envelope?.messageId) });
        }
      } catch (error) {
        // Nothing was acted on yet: the whole read can simply be run again.
        throw new PaperwireError(
          'E_MAILBOX',
          `${name}: cannot list the messages of "${config.folder}": ${message(error)}`,
          {
            hint: 'The connection to the mailbox failed while reading it: run `paperwire mailbox` again, and check the server if it keeps failing.',
            cause: error,
          },
        );
      }
      return messages.sort((a, b) => a.uid - b.uid);
    },
    async fetch(uid) {
      const item = await client.fetchOne(String(uid), { source: true }, { uid: true });
      const source = item === false ? undefined : item.source;
      if (!source) throw new Error(`message UID ${uid} is gone from ${name}`);
      return source;
    },
    async moveToDone(uid) {
      // Created with the server's own separator ("." or "/"), whatever MAILBOX_DONE_FOLDER uses.
      donePath ??= (await client.mailboxCreate(config.doneFolder.split('/'))).path;
      const moved = await client.messageMove(String(uid), donePath, { uid: true });
      if (!moved) throw new Error(`the server did not move message UID ${uid} to ${config.doneFolder}`);
    },
    async close() {
      lock.release();
      await client.logout().catch(() => client.close());
    },
  };
}

function message(error: unknown): string {
  const err = error as { responseText?: string; message?: string };
  return err.responseText ?? err.message ?? String(error);
}

/** The E_MAILBOX error for a failed connect or login, with a hint for the usual causes. */
function connectError(name: string, error: unknown): PaperwireError {
  const err = error as { code?: string; authenticationFailed?: boolean; message?: string };
  const text = message(error);
  let hint =
    'Check MAILBOX_URL: host, port (993 for imaps://, 143 for imap://) and that this machine may connect.';
  if (err.authenticationFailed || /auth/i.test(err.code ?? '')) {
    hint = 'Check the user and password in MAILBOX_URL (URL-encode special characters, e.g. @ as %40).';
  } else if (/certificate|self.signed|CERT_|UNABLE_TO_VERIFY/i.test(`${err.code} ${text}`)) {
    hint =
      'The server certificate was not accepted; for a test server only, set MAILBOX_TLS_REJECT_UNAUTHORIZED=false.';
  } else if (/wrong version number|ssl3_get_record|packet length/i.test(text)) {
    hint = 'imaps:// on a plain IMAP port: use imap:// for port 143 (STARTTLS) and imaps:// for 993.';
  }
  return new PaperwireError('E_MAILBOX', `cannot read the mailbox ${name}: ${text}`, { hint, cause: error });
}
