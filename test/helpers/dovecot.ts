// A real IMAP server for tests: Debian's Dovecot, started per test with a throwaway
// configuration in a temp folder (its own base_dir, state and log, a passwd-file of
// users, maildirs under the folder), listening on 127.0.0.1 at free ports, plaintext
// login allowed (loopback only). Never the system's config, never port 143.
//
//   const dovecot = await startDovecot(t, { users: ['bounces'] });
//   if (!dovecot) return;                        // skipped: not installed (fails when CI=true)
//   await dovecot.append('bounces', rawMessage);
//   MAILBOX_URL = dovecot.url('bounces')
//
// `lmtp: true` also opens an LMTP listener (dovecot-lmtpd) that an MTA delivers into.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ImapFlow } from 'imapflow';
import { freePort } from './net.ts';
import { requireInstalled, systemUser } from './system.ts';

const DOVECOT = '/usr/sbin/dovecot';
const LMTP = '/usr/lib/dovecot/lmtp';
const INSTALL_HINT = 'apt-get install -y dovecot-imapd dovecot-lmtpd';

/** The password of every test user. */
export const DOVECOT_PASSWORD = 'test-password';

/** A running test Dovecot. */
export interface Dovecot {
  host: '127.0.0.1';
  port: number;
  /** The LMTP port, when started with `lmtp: true`. */
  lmtpPort: number | null;
  /** The imaps port (TLS from the first byte), when started with `tls: true`. */
  imapsPort: number | null;
  dir: string;
  /** `imap://user:password@127.0.0.1:PORT/FOLDER`, ready for MAILBOX_URL. */
  url(user: string, folder?: string): string;
  /** Appends a raw message to a user's folder. */
  append(user: string, raw: string | Buffer, folder?: string): Promise<void>;
  /** The Message-IDs (without angle brackets) and subjects of a user's folder, or null when the folder does not exist. */
  messages(user: string, folder: string): Promise<{ messageId: string | null; subject: string }[] | null>;
  /** Creates a folder (`a/b`) and returns where its maildir lies on disk. */
  createFolder(user: string, folder: string): Promise<string>;
  /** Dovecot's log so far (for assertion messages). */
  log(): string;
}

/** The uid and gid mail is stored as: the `dovecot` system user when running as root (Dovecot refuses uid 0), else our own. */
function mailOwner(): { uid: number; gid: number; user: string } {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, user: me.username };
  return { ...systemUser('dovecot', 'reinstall dovecot-core'), user: 'dovecot' };
}

async function waitForGreeting(port: number, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `dovecot exited (${child.exitCode}): ${existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''}`,
      );
    }
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.setTimeout(1000);
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (greeted) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not greet on port ${port} within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts Dovecot for test `t` (stopped after it), or returns null when it is skipped. */
export async function startDovecot(
  t: TestContext,
  options: { users: string[]; lmtp?: boolean; tls?: boolean },
): Promise<Dovecot | null> {
  if (!requireInstalled(t, 'Dovecot', DOVECOT, INSTALL_HINT)) return null;
  if (options.lmtp && !requireInstalled(t, "Dovecot's LMTP server", LMTP, INSTALL_HINT)) return null;
  // Not tempDir(): Dovecot must be stopped before its folder goes, in one after-hook.
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-dovecot-'));
  // The mail processes run as the mail owner and must reach the maildirs inside.
  chmodSync(dir, 0o755);
  const owner = mailOwner();
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  chownSync(join(dir, 'mail'), owner.uid, owner.gid);
  writeFileSync(
    join(dir, 'passwd'),
    options.users
      .map(
        (user) =>
          `${user}:{PLAIN}${DOVECOT_PASSWORD}:${owner.uid}:${owner.gid}::${join(dir, 'mail', user)}::`,
      )
      .join('\n'),
  );
  const port = await freePort();
  const lmtpPort = options.lmtp ? await freePort() : null;
  // With tls: a self-signed certificate, STARTTLS offered on the IMAP port, and an imaps port.
  const imapsPort = options.tls ? await freePort() : null;
  if (options.tls) {
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'].concat([
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr}`);
  }
  const rootless = userInfo().uid !== 0;
  const logPath = join(dir, 'dovecot.log');
  const config = `
protocols = imap${options.lmtp ? ' lmtp' : ''}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logPath}
listen = 127.0.0.1
${options.tls ? `ssl = yes\nssl_cert = <${dir}/cert.pem\nssl_key = <${dir}/key.pem` : 'ssl = no'}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = ${Math.min(owner.uid, 100)}
mail_location = maildir:~/Maildir
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
${rootless ? `default_internal_user = ${owner.user}\ndefault_login_user = ${owner.user}` : ''}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%n ${dir}/passwd
}
namespace inbox {
  inbox = yes
}
service imap-login {
  ${rootless ? 'chroot =' : ''}
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    ${imapsPort ? `address = 127.0.0.1\n    port = ${imapsPort}\n    ssl = yes` : 'port = 0'}
  }
}
${
  lmtpPort
    ? `service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}`
    : ''
}
`;
  const configPath = join(dir, 'dovecot.conf');
  writeFileSync(configPath, config);
  const child = spawn(DOVECOT, ['-F', '-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stop = (): void => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  t.after(async () => {
    stop();
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    process.removeListener('exit', stop);
    rmSync(dir, { recursive: true, force: true });
  });
  await waitForGreeting(port, child, logPath);

  const connect = async (user: string): Promise<ImapFlow> => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user, pass: DOVECOT_PASSWORD },
      // The test certificate is self-signed.
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  return {
    host: '127.0.0.1',
    port,
    lmtpPort,
    imapsPort,
    dir,
    url: (user, folder = 'INBOX') => `imap://${user}:${DOVECOT_PASSWORD}@127.0.0.1:${port}/${folder}`,
    async append(user, raw, folder = 'INBOX') {
      const client = await connect(user);
      try {
        await client.append(folder, typeof raw === 'string' ? raw.replace(/\r?\n/g, '\r\n') : raw);
      } finally {
        await client.logout();
      }
    },
    async messages(user, folder) {
      const client = await connect(user);
      try {
        const listed = await client.list();
        const found = listed.find(
          (box) => box.path === folder || box.path === folder.split('/').join(box.delimiter),
        );
        if (!found) return null;
        const lock = await client.getMailboxLock(found.path);
        try {
          if (!client.mailbox || client.mailbox.exists === 0) return [];
          const result: { messageId: string | null; subject: string }[] = [];
          for await (const item of client.fetch('1:*', { envelope: true })) {
            result.push({
              messageId: item.envelope?.messageId?.replace(/^<|>$/g, '') ?? null,
              subject: item.envelope?.subject ?? '',
            });
          }
          return result;
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
    },
    async createFolder(user, folder) {
      const client = await connect(user);
      try {
        await client.mailboxCreate(folder.split('/'));
      } finally {
        await client.logout();
      }
      // Maildir++ keeps every folder in ~/Maildir/.a.b
      return join(dir, 'mail', user, 'Maildir', `.${folder.split('/').join('.')}`);
    },
    log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
  };
}
