// A real MTA for tests: Debian's Postfix, started per test as its own instance
// (`postfix -c DIR` with a throwaway main.cf/master.cf, its own queue and data
// folders and log file), SMTP on 127.0.0.1 at a free port, `domain` its only local
// domain, every local delivery handed over LMTP to a test Dovecot. Unknown users are
// accepted at SMTP time and bounced by Postfix itself, as a relay does. Never the
// system's configuration. Postfix's master runs as root: skipped otherwise (or failed
// when CI=true, like a missing install).
import { spawnSync } from 'node:child_process';
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
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort } from './net.ts';
import { requireInstalled, skipUnlessCi, systemUser } from './system.ts';

const POSTFIX = '/usr/sbin/postfix';

/** A running test Postfix. */
export interface Postfix {
  port: number;
  /** `smtp://127.0.0.1:PORT`, ready for SMTP_URL. */
  url: string;
  /** Postfix's log so far. */
  log(): string;
}

/** Starts Postfix for `t` (stopped after it), delivering `domain` to Dovecot's LMTP port; null when skipped. */
export async function startPostfix(
  t: TestContext,
  options: { domain: string; lmtpPort: number },
): Promise<Postfix | null> {
  if (!requireInstalled(t, 'Postfix', POSTFIX, 'apt-get install -y postfix')) return null;
  if (userInfo().uid !== 0) {
    skipUnlessCi(t, 'Postfix must be started as root (its master process drops privileges itself)');
    return null;
  }
  // Not tempDir(): the instance must be stopped before its folder goes, in one after-hook.
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-postfix-'));
  chmodSync(dir, 0o755);
  const conf = join(dir, 'conf');
  const queue = join(dir, 'queue');
  const data = join(dir, 'data');
  for (const sub of [conf, queue, data]) mkdirSync(sub);
  const owner = systemUser('postfix', 'reinstall postfix');
  chownSync(data, owner.uid, owner.gid);
  const port = await freePort();
  const logPath = join(dir, 'postfix.log');
  writeFileSync(
    join(conf, 'main.cf'),
    `compatibility_level = 3.6
queue_directory = ${queue}
data_directory = ${data}
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = ${logPath}
maillog_file_prefixes = ${dirname(dir)}
myhostname = mx.${options.domain}
mydomain = ${options.domain}
myorigin = ${options.domain}
mydestination = ${options.domain}
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
smtp_dns_support_level = disabled
smtpd_tls_security_level = none
smtp_tls_security_level = none
# Accept every local address at SMTP time; unknown ones bounce at delivery, from Postfix itself.
local_recipient_maps =
local_transport = lmtp:inet:127.0.0.1:${options.lmtpPort}
recipient_delimiter = +
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no
`,
  );
  const unix = (name: string, command = name, limit = '-') =>
    `${name.padEnd(10)} unix  -       -       n       -       ${limit.padEnd(7)} ${command}`;
  writeFileSync(
    join(conf, 'master.cf'),
    [
      `127.0.0.1:${port} inet n - n - - smtpd`,
      'pickup     unix  n       -       n       60      1       pickup',
      'cleanup    unix  n       -       n       -       0       cleanup',
      'qmgr       unix  n       -       n       300     1       qmgr',
      unix('rewrite', 'trivial-rewrite'),
      unix('bounce', 'bounce', '0'),
      unix('defer', 'bounce', '0'),
      unix('trace', 'bounce', '0'),
      unix('verify', 'verify', '1'),
      'flush      unix  n       -       n       1000?   0       flush',
      unix('proxymap'),
      unix('smtp'),
      unix('relay', 'smtp'),
      'showq      unix  n       -       n       -       -       showq',
      unix('error'),
      unix('retry', 'error'),
      unix('discard'),
      unix('lmtp'),
      unix('anvil', 'anvil', '1'),
      unix('scache', 'scache', '1'),
      'postlog    unix-dgram n  -       n       -       1       postlogd',
      '',
    ].join('\n'),
  );
  const postfix = (command: string) =>
    spawnSync(POSTFIX, ['-c', conf, command], { encoding: 'utf8', timeout: 60_000 });
  const stop = (): void => {
    if (postfix('stop').status !== 0) postfix('abort');
  };
  process.once('exit', stop);
  t.after(() => {
    stop();
    process.removeListener('exit', stop);
    rmSync(dir, { recursive: true, force: true });
  });
  const started = postfix('start');
  if (started.status !== 0) {
    throw new Error(
      `postfix -c ${conf} start failed: ${started.stderr}${existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''}`,
    );
  }
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
  };
}
