// The page every answer of the public site (`paperwire serve`) is laid out in: the
// newsletter's name on top, one heading, the content, the sender's postal address at
// the foot; light and dark, readable from a phone to a desktop, no external resources.
import { html, type SafeHtml, trusted } from './html.ts';

/** What every page (and the confirmation email) shows of the newsletter. */
export interface Brand {
  /** LIST_NAME. */
  listName: string;
  /** POSTAL_ADDRESS, or null. */
  postalAddress: string | null;
}

/** What a site page shows. */
export interface SitePage extends Brand {
  /** The page's title and its one heading. */
  title: string;
  body: SafeHtml;
  /** An inline script placed after the content; the response must allow it (policyAllowingScript). */
  script?: string;
}

// Colours are WCAG AA against their backgrounds in both schemes (checked by axe in the tests).
const STYLE = trusted(`
:root { color-scheme: light dark; }
body { font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; padding: 1.25rem 1rem 2rem;
  color: #1f2937; background: #eef0f3; }
header, main, footer { max-width: 34rem; margin: 0 auto; }
header p { margin: 0 0 .75rem; font-weight: 700; letter-spacing: .01em; }
main { background: #fff; padding: 1.25rem 1.5rem 1.5rem; border-radius: 10px; }
h1 { font-size: 1.45rem; line-height: 1.25; margin: 0 0 .75rem; }
a { color: #1d4ed8; }
label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
input[type=email], input[type=text] { box-sizing: border-box; width: 100%; font: inherit; padding: .55rem .65rem;
  border: 1px solid #6b7280; border-radius: 6px; background: #fff; color: #111827; }
fieldset { border: 1px solid #d1d5db; border-radius: 6px; margin: 1rem 0 0; padding: .5rem 1rem .75rem; }
legend { font-weight: 600; padding: 0 .3rem; }
.pw-choice { display: flex; gap: .5rem; align-items: center; margin: .35rem 0; font-weight: 400; }
.pw-choice input { width: 1.15rem; height: 1.15rem; margin: 0; }
.pw-hint { color: #4b5563; font-size: .93rem; margin: .3rem 0 0; }
.pw-error { color: #b91c1c; font-weight: 600; }
.pw-status { background: #ecfdf5; color: #065f46; padding: .5rem .75rem; border-radius: 6px; }
.pw-actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.25rem; }
button { font: inherit; font-weight: 600; padding: .6rem 1.2rem; border: 0; border-radius: 6px; background: #1d4ed8;
  color: #fff; cursor: pointer; min-height: 2.75rem; }
button.pw-secondary { background: transparent; color: #1d4ed8; border: 2px solid #1d4ed8; }
button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.pw-away { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
footer p { color: #4b5563; font-size: .9rem; margin: 1rem 0 0; text-align: center; }
@media (prefers-color-scheme: dark) {
  body { color: #e5e7eb; background: #111827; }
  main { background: #1f2937; }
  a { color: #93c5fd; }
  input[type=email], input[type=text] { background: #111827; color: #f9fafb; border-color: #9ca3af; }
  fieldset { border-color: #4b5563; }
  .pw-hint, footer p { color: #c4c9d1; }
  .pw-error { color: #fca5a5; }
  .pw-status { background: #064e3b; color: #d1fae5; }
  button { background: #93c5fd; color: #111827; }
  button.pw-secondary { background: transparent; color: #93c5fd; border-color: #93c5fd; }
}
`);

/** The parts of one HTML document of paperwire's web pages (the site's, the archive's, the preview's). */
export interface HtmlDocument {
  title: string;
  /** What the head holds besides charset, viewport and title: meta and link tags, the styles. */
  head: SafeHtml;
  /** Everything inside <body>. */
  body: SafeHtml;
}

/** One HTML document: the one skeleton every page of the site, the archive and the preview server shares. */
export function htmlDocument(doc: HtmlDocument): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.title}</title>
${doc.head}
</head>
<body>
${doc.body}
</body>
</html>
`.value;
}

/** The whole HTML document of a site page. */
export function sitePage(page: SitePage): string {
  return htmlDocument({
    title: `${page.title} · ${page.listName}`,
    head: html`<meta name="robots" content="noindex">
<style>${STYLE}</style>`,
    body: html`<header><p>${page.listName}</p></header>
<main>
<h1>${page.title}</h1>
${page.body}
</main>
<footer><p>${page.listName}${page.postalAddress ? html` · ${page.postalAddress}` : ''}</p></footer>
${page.script ? html`<script>${trusted(page.script)}</script>` : ''}`,
  });
}
