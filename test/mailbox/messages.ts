// Real-shaped messages as they arrive in a newsletter's mailbox, written for these
// tests: a Postfix RFC 3464 report, an Exim and an old-Gmail-style bounce that only
// quote the original, a delayed-delivery report, an ARF complaint, mailto:
// unsubscribes (aligned, forged, from a domain without DMARC, from a stranger), an
// auto-reply, a reply that quotes the footer, and a newsletter the operator reads.
// Each takes the Message-ID / VERP address of the delivery it is about.

/** The newsletter's own side: its From address and the mailbox everything comes back to. */
export const LIST = {
  from: 'Paper digest <papers@news.example.org>',
  mailbox: 'papers@news.example.org',
  bounceAddress: 'bounces+{token}@news.example.org',
};

/** The delivery a report is about: its Message-ID, recipient, VERP envelope sender and edition. */
export interface Delivered {
  messageId: string;
  to: string;
  returnPath: string;
  edition: string;
}

/** An unsubscribe request by mail: the sender, their name, their server's IP, the Message-ID. */
interface Request {
  from: string;
  name: string;
  ip: string;
  id: string;
}

/** The original as a receiving server saw it: the headers paperwire wrote, plus its Return-Path and Received. */
function originalHeaders(o: Delivered): string {
  return `Return-Path: <${o.returnPath}>
Received: from relay.news.example.org (relay.news.example.org [198.51.100.20])
	by mx.example.net (Postfix) with ESMTPS id 4ZkQ2f1XyRz9tN
	for <${o.to}>; Mon, 23 Nov 2026 08:00:04 +0000 (UTC)
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=news.example.org; s=paperwire;
 h=from:to:subject:date:message-id:list-id:list-unsubscribe; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
 b=Zm9yIHRlc3RzIG9ubHk=
From: ${LIST.from}
To: ${o.to}
Subject: Papers of the week ${o.edition}
Date: Mon, 23 Nov 2026 08:00:00 +0000
Message-ID: <${o.messageId}>
List-Id: <weekly.news.example.org>
List-Unsubscribe: <mailto:${LIST.mailbox}?subject=unsubscribe>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="--_NmP-a1b2c3d4e5f6-Part_1"`;
}

/** Postfix's RFC 3464 report for a "no such user" reply at the recipient's server. */
export function postfixDsn(o: Delivered): string {
  return `Return-Path: <>
Delivered-To: ${o.returnPath}
Received: by mx.news.example.org (Postfix)
	id 8522921A613; Mon, 23 Nov 2026 08:00:06 +0000 (UTC)
Date: Mon, 23 Nov 2026 08:00:06 +0000 (UTC)
From: MAILER-DAEMON@relay.news.example.org (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: ${o.returnPath}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="7B30321AEC3.1796140962/relay.news.example.org"
Content-Transfer-Encoding: 8bit
Message-Id: <20261123080006.8522921A613@relay.news.example.org>

This is a MIME-encapsulated message.

--7B30321AEC3.1796140962/relay.news.example.org
Content-Description: Notification
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

This is the mail system at host relay.news.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<${o.to}>: host mx.example.net[203.0.113.25] said: 550 5.1.1
    <${o.to}>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

--7B30321AEC3.1796140962/relay.news.example.org
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.news.example.org
X-Postfix-Queue-ID: 7B30321AEC3
X-Postfix-Sender: rfc822; ${o.returnPath}
Arrival-Date: Mon, 23 Nov 2026 08:00:02 +0000 (UTC)

Final-Recipient: rfc822; ${o.to}
Original-Recipient: rfc822;${o.to}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; 550 5.1.1 <${o.to}>: Recipient address rejected: User
    unknown in virtual mailbox table

--7B30321AEC3.1796140962/relay.news.example.org
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: 8bit

${originalHeaders(o)}

--7B30321AEC3.1796140962/relay.news.example.org--
`;
}

/** An Exim bounce: plain text, the failed address and the reply, then a copy of the message. */
export function eximBounce(o: Delivered): string {
  return `Return-path: <>
Envelope-to: ${o.returnPath}
Received: from mailnull by mx.example.net with local (Exim 4.96)
	id 1tQ8zK-0003bd-2Y
	for ${o.returnPath}; Mon, 16 Nov 2026 08:01:12 +0000
X-Failed-Recipients: ${o.to}
Auto-Submitted: auto-replied
From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: ${o.returnPath}
Content-Type: text/plain; charset=us-ascii
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1tQ8zK-0003bd-2Y@mx.example.net>
Date: Mon, 16 Nov 2026 08:01:12 +0000

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  ${o.to}
    host mx2.example.net [203.0.113.26]
    SMTP error from remote mail server after end of data:
    552 5.2.2 ${o.to}: mailbox is full (quota exceeded)

------ This is a copy of the message, including all the headers. ------

${originalHeaders(o)}

----_NmP-a1b2c3d4e5f6-Part_1
Content-Type: text/plain; charset=utf-8

Papers of the week ${o.edition}. Unsubscribe: mailto:${LIST.mailbox}?subject=unsubscribe
----_NmP-a1b2c3d4e5f6-Part_1--
`;
}

/** A bounce in the style Gmail used to send: text only, the original quoted after the explanation. */
export function gmailStyleBounce(o: Delivered): string {
  return `Return-Path: <>
Received: from mail-sor-f69.google.com (mail-sor-f69.google.com [209.85.220.69])
	by mx.news.example.org (Postfix) with ESMTPS id 4ZlB7c0Q2Lz1x
	for <${LIST.mailbox}>; Mon, 23 Nov 2026 08:02:40 +0000 (UTC)
MIME-Version: 1.0
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: ${LIST.mailbox}
Auto-Submitted: auto-replied
Subject: Delivery Status Notification (Failure)
Message-ID: <047d7b5d9bdc1f8e3a05e4f2b1c0@google.com>
Date: Mon, 23 Nov 2026 08:02:40 +0000
Content-Type: text/plain; charset=UTF-8

Delivery to the following recipient failed permanently:

     ${o.to}

Technical details of permanent failure:
Google tried to deliver your message, but it was rejected by the server for the recipient domain example.net by mx2.example.net. [203.0.113.26].

The error that the other server returned was:
552 5.2.2 <${o.to}>: Mailbox full: quota exceeded

----- Original message -----

${originalHeaders(o).replace(/^Return-Path:.*\n/, '')}
`;
}

/** Postfix's "delayed mail" report (4.4.7), with nothing of the original: only its VERP address ties it to a delivery. */
export function delayedReport(o: { to: string; returnPath: string }): string {
  return `Return-Path: <>
Date: Tue, 24 Nov 2026 12:00:09 +0000 (UTC)
From: MAILER-DAEMON@relay.news.example.org (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: ${o.returnPath}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="DLY.1796200809/relay"
Message-Id: <20261124120009.A1B2C3D4E5@relay.news.example.org>

--DLY.1796200809/relay
Content-Description: Notification
Content-Type: text/plain; charset=utf-8

This is the mail system at host relay.news.example.org.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

<${o.to}>: connect to mx.slow.example[203.0.113.40]:25: Connection timed out

--DLY.1796200809/relay
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.news.example.org
Arrival-Date: Mon, 23 Nov 2026 08:00:02 +0000 (UTC)

Final-Recipient: rfc822; ${o.to}
Action: delayed
Status: 4.4.7
Diagnostic-Code: X-Postfix; connect to mx.slow.example[203.0.113.40]:25:
    Connection timed out
Will-Retry-Until: Mon, 30 Nov 2026 08:00:02 +0000 (UTC)

--DLY.1796200809/relay--
`;
}

/** An ARF (RFC 5965) complaint as a mailbox provider's feedback loop sends it. */
export function arfComplaint(o: Delivered): string {
  return `Return-Path: <>
From: Feedback Loop <feedback@fbl.mail.example.com>
To: ${LIST.mailbox}
Subject: Email Feedback Report for IP 198.51.100.20
Date: Tue, 24 Nov 2026 10:15:00 +0000
Message-ID: <fbl-20261124101500-7f3e@fbl.mail.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="----=_Part_ARF_99"

------=_Part_ARF_99
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP 198.51.100.20 on Mon, 23 Nov 2026 08:00:04 +0000.
For information, please reply to this email.

------=_Part_ARF_99
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleMail-Feedback/2.0
Version: 1
Original-Mail-From: <${o.returnPath}>
Original-Rcpt-To: <${o.to}>
Arrival-Date: Mon, 23 Nov 2026 08:00:04 +0000
Source-IP: 198.51.100.20
Reported-Domain: news.example.org

------=_Part_ARF_99
Content-Type: message/rfc822
Content-Disposition: inline

${originalHeaders(o)}

----_NmP-a1b2c3d4e5f6-Part_1
Content-Type: text/plain; charset=utf-8

Papers of the week ${o.edition}.
----_NmP-a1b2c3d4e5f6-Part_1--

------=_Part_ARF_99--
`;
}

/** A mailto: unsubscribe the mail client sent by itself (Apple Mail style), through the sender's own server. */
export function clientUnsubscribe(o: Request): string {
  return `Return-Path: <${o.from}>
Received: from mail.${o.from.split('@')[1]} (mail.${o.from.split('@')[1]} [${o.ip}])
	by mx.news.example.org (Postfix) with ESMTPS id 4ZmC1d2e3F
	for <${LIST.mailbox}>; Mon, 23 Nov 2026 09:12:03 +0000 (UTC)
From: ${o.name} <${o.from}>
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.300.61.1.2\\))
Subject: unsubscribe
Message-Id: <${o.id}>
Date: Mon, 23 Nov 2026 10:12:01 +0100
To: ${LIST.mailbox}
Auto-Submitted: auto-generated
X-Mailer: Apple Mail (2.3774.300.61.1.2)

This message was automatically generated by Mail.
`;
}

/** A person's own unsubscribe request: a reply whose first line asks, then the quoted newsletter. */
export function replyUnsubscribe(o: Request): string {
  return `Return-Path: <${o.from}>
Received: from mail.${o.from.split('@')[1]} (mail.${o.from.split('@')[1]} [${o.ip}])
	by mx.news.example.org (Postfix) with ESMTPS id 4ZmD9a8b7C
	for <${LIST.mailbox}>; Mon, 23 Nov 2026 11:40:00 +0000 (UTC)
From: ${o.name} <${o.from}>
To: ${LIST.from}
Subject: Re: Papers of the week 2026-W48
Date: Mon, 23 Nov 2026 11:39:58 +0000
Message-ID: <${o.id}>
In-Reply-To: <2026-W48.placeholder@news.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Please unsubscribe me, I have moved on.

On Mon, 23 Nov 2026 at 08:00, Paper digest <papers@news.example.org> wrote:
> Papers of the week 2026-W48
> ...
> Unsubscribe: mailto:${LIST.mailbox}?subject=unsubscribe
`;
}

/** A reader's reply that only quotes the footer's "Unsubscribe": not a request. */
export function thankYouReply(o: { from: string; id: string }): string {
  return `Return-Path: <${o.from}>
Received: from mail.example.org (mail.example.org [192.0.2.55])
	by mx.news.example.org (Postfix) with ESMTPS id 4ZmE0f1g2H
	for <${LIST.mailbox}>; Mon, 23 Nov 2026 12:00:00 +0000 (UTC)
From: Reader <${o.from}>
To: ${LIST.from}
Subject: Re: Papers of the week 2026-W48
Date: Mon, 23 Nov 2026 11:59:58 +0000
Message-ID: <${o.id}>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Thanks, the diffusion paper was exactly what I needed!

On Mon, 23 Nov 2026 at 08:00, Paper digest <papers@news.example.org> wrote:
> Papers of the week 2026-W48
> Unsubscribe: mailto:${LIST.mailbox}?subject=unsubscribe
`;
}

/** A vacation auto-reply (RFC 3834), sent to the envelope sender. */
export function autoReply(o: { from: string; returnPath: string; id: string }): string {
  return `Return-Path: <>
Received: from mail.example.com (mail.example.com [192.0.2.77])
	by mx.news.example.org (Postfix) with ESMTPS id 4ZmF3h4i5J
	for <${o.returnPath}>; Mon, 23 Nov 2026 08:00:09 +0000 (UTC)
From: Vacation Person <${o.from}>
To: ${o.returnPath}
Subject: Out of office: Papers of the week 2026-W48
Date: Mon, 23 Nov 2026 08:00:08 +0000
Message-ID: <${o.id}>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Precedence: auto_reply
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I am away until 7 December with no access to email. For anything urgent,
please write to the office. (To unsubscribe from lists, I will do it when back.)
`;
}

/** A newsletter the operator subscribes to, with its own unsubscribe footer. */
export function otherNewsletter(o: { id: string }): string {
  return `Return-Path: <bounce-mlweekly@mail.mlweekly.test>
Received: from mail.mlweekly.test (mail.mlweekly.test [192.0.2.90])
	by mx.news.example.org (Postfix) with ESMTPS id 4ZmG6k7l8M
	for <${LIST.mailbox}>; Tue, 24 Nov 2026 07:00:00 +0000 (UTC)
From: ML Weekly <news@mlweekly.test>
To: ${LIST.mailbox}
Subject: ML Weekly #212: unsubscribe from hype, subscribe to results
Date: Tue, 24 Nov 2026 07:00:00 +0000
Message-ID: <${o.id}>
List-Id: ML Weekly <weekly.mlweekly.test>
List-Unsubscribe: <https://mlweekly.test/u/abc>, <mailto:leave@mlweekly.test>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

This week in ML: results that replicate.

You get this because you subscribed at mlweekly.test. Unsubscribe: https://mlweekly.test/u/abc
`;
}
