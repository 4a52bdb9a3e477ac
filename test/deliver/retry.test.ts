import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  backoffDelayMs,
  classifySendError,
  enhancedCodeOf,
  isMailboxUnknown,
  replyPattern,
  type SenderSetting,
} from '../../src/deliver/retry.ts';

test('the retry backoff doubles from about 1 s, is capped at 60 s, and jitters by at most 20 %', () => {
  const expected = [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000];
  for (let retry = 1; retry <= expected.length; retry++) {
    const base = expected[retry - 1]!;
    for (let sample = 0; sample < 50; sample++) {
      const delay = backoffDelayMs(retry);
      assert.ok(
        delay >= base * 0.8 && delay <= base * 1.2,
        `retry ${retry}: ${delay} ms is not ${base} ms ± 20 %`,
      );
    }
  }
});

test('only a reply about the recipient’s own mailbox counts as "no such mailbox"', () => {
  const failure = (reason: string) => {
    const smtpCode = Number(/^\d{3}/.exec(reason)?.[0]) || null;
    return { reason, smtpCode, enhancedCode: enhancedCodeOf(reason) };
  };
  const unknown = [
    '550 5.1.1 <ada@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
    '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    '550 5.1.0 <ada@example.org>: user unknown',
    '550 Recipient address rejected (5.1.1)',
    '550 sorry, no such user here',
  ];
  const notUnknown = [
    '553 5.1.8 <digest@news.example.org>: Sender address rejected: Domain not found',
    '550 5.1.7 bad sender mailbox address syntax',
    '550 5.1.0 <digest@news.example.org>: Sender address rejected: User unknown in local recipient table',
    '550 5.1.0 Address rejected',
    '550 5.7.1 message refused by policy',
    '553 5.6.7 paperwire: jörg@example.org has non-ASCII characters before the @',
    '450 4.1.1 <ada@example.org>: Recipient address rejected: unverified address',
    '554 transaction failed',
  ];
  for (const reason of unknown) assert.equal(isMailboxUnknown(failure(reason)), true, reason);
  for (const reason of notUnknown) assert.equal(isMailboxUnknown(failure(reason)), false, reason);
});

test('a refused sender, a login the relay wants, or relaying denied stops the run; the hint names the setting', () => {
  const error = (command: string, response: string) => ({
    code: 'EENVELOPE',
    command,
    response,
    responseCode: Number(response.slice(0, 3)),
  });
  const cases: [ReturnType<typeof error>, SenderSetting, RegExp][] = [
    [error('MAIL FROM', '530 5.7.0 Authentication required'), 'MAIL_FROM', /SMTP_URL/],
    [
      error('MAIL FROM', '553 5.7.1 <a@b.org>: Sender address rejected: not owned by user'),
      'MAIL_FROM',
      /set MAIL_FROM/,
    ],
    [error('MAIL FROM', '550 5.7.1 sender refused'), 'BOUNCE_ADDRESS', /set BOUNCE_ADDRESS/],
    [
      error('RCPT TO', '553 5.1.8 <a@b.org>: Sender address rejected: Domain not found'),
      'MAIL_FROM',
      /set MAIL_FROM/,
    ],
    [error('RCPT TO', '554 5.7.1 <x@y.org>: Relay access denied'), 'MAIL_FROM', /SMTP_URL/],
  ];
  for (const [err, sender, hint] of cases) {
    const outcome = classifySendError(err, sender);
    assert.equal(outcome.kind, 'fatal', err.response);
    if (outcome.kind === 'fatal') assert.match(outcome.hint, hint, err.response);
  }
  const recipient = classifySendError(error('RCPT TO', '550 5.1.1 <x@y.org>: User unknown'));
  assert.equal(recipient.kind, 'permanent');
  // A 4xx about the sender is the server's (every message gets it), not the recipient's.
  const deferred = classifySendError(
    error('RCPT TO', '450 4.1.8 <a@b.org>: Sender address rejected: Domain not found'),
  );
  assert.equal(deferred.kind === 'transient' && deferred.scope, 'server');
});

test('a lost connection is "may have arrived" only once the whole message went out', () => {
  const lost = { code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' };
  const after = classifySendError({ ...lost, afterData: true });
  assert.equal(after.kind === 'transient' && after.mayHaveArrived, true);
  const before = classifySendError(lost);
  assert.equal(before.kind === 'transient' && before.mayHaveArrived, false);
});

test('replies differing only in their addresses and ids have one pattern', () => {
  assert.equal(
    replyPattern('550 5.1.1 <s1@example.org>: Recipient address rejected: User unknown'),
    replyPattern('550 5.1.1 <s22@example.org>: Recipient address rejected: User unknown'),
  );
  assert.equal(
    replyPattern('554 5.7.0 Message rejected, id 4F2A9c1 for s1@example.org'),
    replyPattern('554 5.7.0 Message rejected, id 77BE01 for s2@example.org'),
  );
  assert.notEqual(replyPattern('554 5.7.0 quota exceeded'), replyPattern('554 5.7.1 quota exceeded'));
  assert.notEqual(replyPattern('452 4.2.2 mailbox full'), replyPattern('552 5.2.2 mailbox full'));
});
