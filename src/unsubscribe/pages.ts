// The endpoint's few small HTML pages: no scripts, no external resources, every
// value escaped. The confirm form posts back to the same URL, so it works without JS.
import { html, type SafeHtml } from '../web/html.ts';

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; color: #1a1a1a; background: #f6f6f4; margin: 0; padding: 2rem 1rem; }
main { max-width: 32rem; margin: 0 auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; }
h1 { font-size: 1.4rem; margin-top: 0; }
button { font: inherit; padding: .6rem 1.2rem; border: 0; border-radius: 6px; background: #1a4fd6; color: #fff; cursor: pointer; }
</style>
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.value;
}

/** A page with a title and one paragraph of text. */
export function messagePage(title: string, text: string): string {
  return page(title, html`<p>${text}</p>`);
}

/** The page a GET shows: who is about to leave which list, and a button that POSTs `confirm=yes` to the same URL. */
export function confirmPage(email: string, token: string, listName: string): string {
  return page(
    'Unsubscribe?',
    html`<p>Unsubscribe <strong>${email}</strong> from the newsletter <strong>${listName}</strong>?
You will get no further issues.</p>
<form method="post" action="?token=${encodeURIComponent(token)}">
<input type="hidden" name="confirm" value="yes">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

/** The page after a confirmed unsubscribe. */
export function donePage(email: string, listName: string): string {
  return page(
    'You are unsubscribed',
    html`<p><strong>${email}</strong> will get no more mail from <strong>${listName}</strong>.</p>`,
  );
}

/** The page for a token that does not verify. */
export function invalidPage(): string {
  return messagePage(
    'This unsubscribe link is not valid',
    'The link may have been cut short by your mail program. Open it again from the email, or reply to the email asking to be unsubscribed.',
  );
}
