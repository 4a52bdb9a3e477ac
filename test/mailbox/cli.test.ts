// `paperwire mailbox`, `subscribers` and `status` as a user runs them, against a real Dovecot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { PEOPLE, setUpNewsletter } from './helpers.ts';
import {
  arfComplaint,
  delayedReport,
  eximBounce,
  otherNewsletter,
  postfixDsn,
  replyUnsubscribe,
} from './messages.ts';

/** `paperwire ARGS` in this process (Dovecot is a process of its own). */
const paperwire = (args: string[], env: Record<string, string>, cwd: string) => runCli(args, { cwd, env });

test('paperwire mailbox acts on what came back, once; subscribers and status show it with dates', async (t) => {
  const newsletter = await setUpNewsletter(t);
  if (!newsletter) return;
  const { dovecot, about, dir, env } = newsletter;
  newsletter.store.close();
  for (const raw of [
    postfixDsn(about('2026-W48', PEOPLE.ghost)),
    eximBounce(about('2026-W47', PEOPLE.full)),
    delayedReport(about('2026-W48', PEOPLE.slow)),
    arfComplaint(about('2026-W48', PEOPLE.angry)),
    replyUnsubscribe({
      from: 'stranger@elsewhere.test',
      name: 'S',
      ip: '192.0.2.40',
      id: 'stranger-1@elsewhere.test',
    }),
    otherNewsletter({ id: 'mlweekly-212@mlweekly.test' }),
  ]) {
    await dovecot.append('papers', raw);
  }

  const dry = await paperwire(['mailbox', '--dry-run'], env, dir);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /dry run: nothing is changed/);
  assert.match(dry.stdout, /bounce +ghost@example\.net \(2026-W48\): would be suppressed/);
  assert.doesNotMatch((await paperwire(['subscribers'], env, dir)).stdout, /suppressed {2}/);

  const first = await paperwire(['mailbox'], env, dir);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^mailbox imap:\/\/127\.0\.0\.1:\d+\/INBOX: 6 messages, 0 processed before$/m);
  assert.match(first.stdout, /^bounces: 2 permanent, 1 transient, 1 suppressed$/m);
  assert.match(first.stdout, /^complaints: 1, 1 suppressed$/m);
  assert.match(
    first.stdout,
    /^mailto unsubscribes: 1, 0 suppressed, 0 held \(DMARC failed\), 1 not on the list$/m,
  );
  assert.match(first.stdout, /^left alone: 1$/m);
  assert.match(first.stdout, /^moved to paperwire\/processed: 5$/m);

  const second = await paperwire(['mailbox'], env, dir);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /: 1 message, 1 processed before$/m);
  assert.match(second.stdout, /^bounces: 0 permanent, 0 transient, 0 suppressed$/m);

  const subscribers = await paperwire(['subscribers'], env, dir);
  assert.match(subscribers.stdout, /7 active, 2 suppressed, 0 invalid/);
  assert.match(
    subscribers.stdout,
    /suppressed {2}ghost@example\.net: suppressed after bounces on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(delivery report for 2026-W48: 5\.1\.1 no such user/,
  );
  assert.match(
    subscribers.stdout,
    /suppressed {2}angry@example\.com: suppressed after a spam complaint on \d{4}-\d\d-\d\d/,
  );
  assert.match(
    subscribers.stdout,
    /mailbox {5}2026-11-16 08:01 UTC {2}bounce 5\.2\.2 \(2026-W47\) full@example\.net: recorded/,
  );
  assert.match(
    subscribers.stdout,
    /mailbox {5}2026-11-24 12:00 UTC {2}bounce 4\.4\.7 \(2026-W48\) slow@slow\.example: recorded/,
  );
  assert.doesNotMatch(subscribers.stdout, /stranger/);
  const json = JSON.parse((await paperwire(['subscribers', '--json'], env, dir)).stdout);
  assert.equal(json.mailbox.length, 4);

  const status = await paperwire(['status'], env, dir);
  assert.match(
    status.stdout,
    /^mailbox: imap:\/\/127\.0\.0\.1:\d+\/INBOX, read before each delivery and every 1h$/m,
  );
  assert.match(
    status.stdout,
    /^mailbox: 3 bounces, 1 complaint, 0 mailto unsubscribes, 0 held; last processed \d{4}-\d\d-\d\d/m,
  );
  assert.match(
    status.stdout,
    /2026-11-23 08:00 UTC {2}bounce 5\.1\.1 \(2026-W48\) ghost@example\.net: suppressed/,
  );
  assert.match(status.stdout, /complaint \(2026-W48\) angry@example\.com: suppressed/);
  const statusJson = JSON.parse((await paperwire(['status', '--json'], env, dir)).stdout);
  assert.equal(statusJson.mailbox.bounces, 3);
  assert.equal(statusJson.mailbox.complaints, 1);
});

test('paperwire mailbox without MAILBOX_URL is a configuration error; an unreachable one an E_MAILBOX error', async (t) => {
  const newsletter = await setUpNewsletter(t);
  if (!newsletter) return;
  const { dir, env } = newsletter;
  const unset = await paperwire(['mailbox'], { ...env, MAILBOX_URL: '' }, dir);
  assert.equal(unset.status, 2);
  assert.match(unset.stderr, /MAILBOX_URL is not set/);
  assert.match(unset.stderr, /hint: Set MAILBOX_URL=/);

  const wrongPassword = await paperwire(
    ['mailbox'],
    { ...env, MAILBOX_URL: newsletter.dovecot.url('papers').replace('test-password', 'wrong') },
    dir,
  );
  assert.equal(wrongPassword.status, 1);
  assert.match(wrongPassword.stderr, /cannot read the mailbox imap:\/\/127\.0\.0\.1:\d+\/INBOX/);
  assert.match(wrongPassword.stderr, /hint: Check the user and password in MAILBOX_URL/);
  assert.doesNotMatch(wrongPassword.stderr, /wrong|test-password/, 'no password in the output');
});
