// End to end through a real MTA: paperwire sends over SMTP to a test Postfix, which
// delivers to a known user and bounces an unknown one, writing its own delivery report
// (to the VERP envelope sender) into the Dovecot mailbox over LMTP; `paperwire mailbox`
// then suppresses the unknown address.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { startDovecot } from '../helpers/dovecot.ts';
import { startPostfix } from '../helpers/postfix.ts';
import { addEntries, workspace } from '../schedule/helpers.ts';

const DOMAIN = 'paperwire.test';

test('an unknown user bounced by Postfix is suppressed by paperwire mailbox', async (t) => {
  const dovecot = await startDovecot(t, { users: ['bounces', 'reader'], lmtp: true });
  if (!dovecot) return;
  const postfix = await startPostfix(t, { domain: DOMAIN, lmtpPort: dovecot.lmtpPort! });
  if (!postfix) return;
  const ws = workspace(t, 0);
  const subscribersFile = join(ws.dir, 'subscribers.yaml');
  writeFileSync(subscribersFile, `subscribers:\n  - reader@${DOMAIN}\n  - ghost@${DOMAIN}\n`);
  addEntries(ws.inbox, 2);
  const env = ws.env({
    SUBSCRIBERS_FILE: subscribersFile,
    SMTP_URL: postfix.url,
    MAIL_FROM: `Paper digest <news@${DOMAIN}>`,
    BOUNCE_ADDRESS: `bounces+{token}@${DOMAIN}`,
    UNSUBSCRIBE_SECRET: 'postfix-e2e-secret-0123456789',
    MAILBOX_URL: dovecot.url('bounces'),
  });
  // In this process: Postfix and Dovecot are processes of their own.
  const paperwire = (args: string[]) => runCli(args, { cwd: ws.dir, env });

  const run = await paperwire(['run']);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /sent 2, skipped 0/);

  // Postfix accepted both; it delivers one and writes a report about the other.
  const inboxOf = (user: string) => dovecot.messages(user, 'INBOX');
  let bounces: Awaited<ReturnType<typeof inboxOf>> = [];
  const deadline = Date.now() + 30_000;
  while ((bounces?.length ?? 0) === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    bounces = await inboxOf('bounces');
  }
  assert.equal(bounces?.length, 1, `no report arrived.\n${postfix.log()}`);
  assert.equal(bounces![0]!.subject, 'Undelivered Mail Returned to Sender');
  assert.equal((await inboxOf('reader'))?.length, 1, 'the known user got the edition');
  assert.match(postfix.log(), /to=<ghost@paperwire\.test>.*dsn=5\.1\.1, status=bounced/);
  assert.match(postfix.log(), /to=<bounces\+\d{4}-w\d\d-[0-9a-f]{20}@paperwire\.test>.*status=sent/);

  const mailbox = await paperwire(['mailbox']);
  assert.equal(mailbox.status, 0, mailbox.stderr);
  assert.match(
    mailbox.stdout,
    /bounce +ghost@paperwire\.test \(\d{4}-W\d\d\): suppressed — delivery report for \d{4}-W\d\d: 5\.1\.1 no such user/,
  );
  const subscribers = await paperwire(['subscribers']);
  assert.match(subscribers.stdout, /1 active, 1 suppressed/);
  assert.match(subscribers.stdout, /suppressed {2}ghost@paperwire\.test: suppressed after bounces/);
  assert.equal((await dovecot.messages('bounces', 'paperwire/processed'))?.length, 1);
});
