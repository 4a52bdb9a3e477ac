// The confirmation email of a sign-up: a plain text part and a small HTML part, with
// the newsletter's name, the link (valid 48 hours) and the sender's postal address.
// Its headers, DKIM and transport are the newsletter's own (src/app/signup.ts).
import type { RenderedEmail } from '../types.ts';
import { html } from '../web/html.ts';
import type { Brand } from '../web/page.ts';

/** What the confirmation email says. */
export interface ConfirmationInput {
  brand: Brand;
  email: string;
  name: string | null;
  /** The confirmation link. */
  url: string;
}

/** The confirmation email for one sign-up. */
export function confirmationEmail(input: ConfirmationInput): RenderedEmail {
  const { brand, email, name, url } = input;
  const greeting = name ? `Hi ${name},` : 'Hello,';
  const asked = `Someone, hopefully you, asked to subscribe ${email} to ${brand.listName}, a weekly digest of trending research papers.`;
  const ignore =
    'The link works for 48 hours. If you did not ask for this, ignore this email: nothing more will be sent to you.';
  const foot = brand.postalAddress ? `${brand.listName} · ${brand.postalAddress}` : brand.listName;
  const text = `${greeting}\n\n${asked}\n\nConfirm your subscription:\n${url}\n\n${ignore}\n\n-- \n${foot}\n`;
  const body = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>Confirm your subscription to ${brand.listName}</title></head>
<body style="margin:0;padding:24px 16px;background:#eef0f3;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2937;">
<div style="max-width:520px;margin:0 auto;background:#ffffff;border-radius:10px;padding:24px 28px;font-size:16px;line-height:1.55;">
<p style="margin:0 0 12px;font-weight:700;">${brand.listName}</p>
<p style="margin:0 0 12px;">${greeting}</p>
<p style="margin:0 0 20px;">${asked}</p>
<p style="margin:0 0 20px;"><a href="${url}" style="display:inline-block;background:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:6px;">Confirm your subscription</a></p>
<p style="margin:0 0 12px;font-size:14px;color:#4b5563;">Or open this address: <a href="${url}" style="color:#1d4ed8;word-break:break-all;">${url}</a></p>
<p style="margin:0;font-size:14px;color:#4b5563;">${ignore}</p>
</div>
<p style="max-width:520px;margin:16px auto 0;text-align:center;font-size:13px;color:#4b5563;">${foot}</p>
</body>
</html>
`.value;
  return { subject: `Confirm your subscription to ${brand.listName}`, html: body, text };
}
