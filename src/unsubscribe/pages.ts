// The endpoint's few small pages, in the site's layout (src/web/page.ts): no scripts,
// every value escaped. The confirm form posts back to the same URL, so it works without JS.
import { html } from '../web/html.ts';
import { type Brand, sitePage } from '../web/page.ts';

/** A page with a title and one paragraph of text. */
export function messagePage(brand: Brand, title: string, text: string): string {
  return sitePage({ ...brand, title, body: html`<p>${text}</p>` });
}

/** The page a GET shows: who is about to leave which list, and a button that POSTs `confirm=yes` to the same URL. */
export function confirmPage(brand: Brand, email: string, token: string): string {
  return sitePage({
    ...brand,
    title: 'Unsubscribe?',
    body: html`<p>Unsubscribe <strong>${email}</strong> from the newsletter <strong>${brand.listName}</strong>?
You will get no further issues.</p>
<form method="post" action="?token=${encodeURIComponent(token)}">
<input type="hidden" name="confirm" value="yes">
<div class="pw-actions"><button type="submit">Unsubscribe</button></div>
</form>`,
  });
}

/** The page after a confirmed unsubscribe. */
export function donePage(brand: Brand, email: string): string {
  return sitePage({
    ...brand,
    title: 'You are unsubscribed',
    body: html`<p><strong>${email}</strong> will get no more mail from <strong>${brand.listName}</strong>.</p>`,
  });
}

/** The page for a token that does not verify. */
export function invalidPage(brand: Brand): string {
  return messagePage(
    brand,
    'This unsubscribe link is not valid',
    'The link may have been cut short by your mail program. Open it again from the email, or reply to the email asking to be unsubscribed.',
  );
}
