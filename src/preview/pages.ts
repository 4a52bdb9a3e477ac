// The preview server's pages: the subscriber list, one subscriber's email in two
// widths with its headers, text and size, and the error box shown instead of a
// crash when a template is broken.
import { isPaperwireError } from '../errors.ts';
import { html, type SafeHtml, trusted } from '../web/html.ts';
import { htmlDocument } from '../web/page.ts';
import type { PreviewEmail } from './email.ts';
import type { PreviewEditionChoice, PreviewReader, PreviewReaders } from './select.ts';
import type { NewsletterInfo } from './session.ts';
import { CLIP_LIMIT_BYTES, describeHtmlSize, formatKb, SIZE_WARNING_BYTES } from './size.ts';

/** The URL of one subscriber's preview page. */
export function subscriberPath(email: string): string {
  return `/s/${encodeURIComponent(email)}`;
}

const STYLE = trusted(`<style>
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #dde1e8; --bg: #f3f4f7; --card: #fff;
  --accent: #2f5bd3; --ok: #1f7a45; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; padding: 10px 24px; background: var(--ink); color: #fff; }
.bar a { color: #fff; text-decoration: none; font-weight: 600; }
.bar .edition { color: #c9d1e3; }
.live { margin-left: auto; font-size: 13px; color: #c9d1e3; }
.live::before { content: ""; display: inline-block; width: 8px; height: 8px; margin-right: 6px; border-radius: 50%; background: #8a93a6; }
.live.on::before { background: #4cc47f; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 48px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 12px; }
h2 small, .muted { color: var(--muted); font-weight: normal; }
.notice { background: #fff7e0; border-color: #e9cf7a; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px 10px; border-top: 1px solid var(--line); vertical-align: top; }
td { overflow-wrap: anywhere; }
th { border-top: 0; font-size: 13px; color: var(--muted); font-weight: 600; }
tr.suppressed td { color: var(--muted); }
.tag { display: inline-block; padding: 1px 8px; margin: 0 4px 4px 0; border-radius: 10px; background: #e8edfa; font-size: 13px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #f1e4e3; color: var(--bad); }
.error { border: 2px solid var(--bad); background: #fdf1f0; }
.error h2 { color: var(--bad); }
.error pre { white-space: pre-wrap; margin: 8px 0; font-size: 14px; }
nav.crumbs { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; margin-bottom: 12px; }
nav.crumbs select { font: inherit; padding: 2px 6px; max-width: 100%; }
.meta { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 24px; }
dl.headers { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 14px; margin: 0; font-size: 14px; }
dl.headers dt { color: var(--muted); font-weight: 600; }
dl.headers dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
dl.headers dd.subject { font-family: inherit; font-size: 15px; font-weight: 600; }
.meter-label { font-size: 14px; }
.meter-label strong { font-size: 18px; }
.meter-track { position: relative; height: 10px; margin: 8px 0 6px; border-radius: 5px; background: #e6e9ef; overflow: hidden; }
.meter-fill { height: 100%; background: var(--ok); }
.meter-mark { position: absolute; top: 0; bottom: 0; width: 2px; background: var(--ink); opacity: .35; }
.meter.warn .meter-fill { background: var(--bad); }
.meter.warn .meter-label { color: var(--bad); }
.meter .muted { font-size: 13px; }
.views { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.views figure { margin: 0; max-width: 100%; overflow-x: auto; }
.views figcaption { display: flex; gap: 10px; align-items: baseline; font-size: 13px; font-weight: 600; color: var(--muted); margin-bottom: 6px; }
.views iframe { display: block; height: 900px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.views .sideways { display: none; }
.views .sideways.on { display: inline-block; }
pre.text { margin: 0; padding: 12px; max-height: 640px; overflow: auto; background: #f8f9fb; border: 1px solid var(--line);
  border-radius: 6px; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; }
@media (max-width: 900px) { .meta { grid-template-columns: 1fr; } }
/* A phone: the email frames keep their real widths and scroll inside their own box. */
@media (max-width: 600px) {
  .bar { padding: 8px 12px; }
  main { padding: 12px 10px 32px; }
  .card { padding: 12px; }
  th, td { padding: 6px 4px; }
}
</style>`);

// Reloads the page when the server says a template, the subscriber list or the
// store changed; the dot in the bar shows whether the live link is up.
const LIVE_SCRIPT = trusted(`<script>
(() => {
  const dot = document.getElementById('live');
  const events = new EventSource('/events');
  events.addEventListener('open', () => { dot.classList.add('on'); dot.textContent = 'live'; });
  events.addEventListener('error', () => { dot.classList.remove('on'); dot.textContent = 'reconnecting…'; });
  events.addEventListener('reload', () => location.reload());
})();
</script>`);

// The email frames carry the email inline (srcdoc: no second request after a
// reload) and are same-origin but may not run scripts (sandbox without
// allow-scripts), so the page can size them to their content and spot sideways scrolling.
const FRAME_SCRIPT = trusted(`<script>
(() => {
  for (const frame of document.querySelectorAll('iframe[data-fit]')) {
    const fit = () => {
      const doc = frame.contentDocument;
      if (!doc || !doc.documentElement) return;
      frame.style.height = Math.max(400, doc.documentElement.scrollHeight + 2) + 'px';
      const badge = frame.parentElement.querySelector('.sideways');
      if (badge) badge.classList.toggle('on', doc.documentElement.scrollWidth > doc.documentElement.clientWidth);
    };
    frame.addEventListener('load', () => { fit(); setTimeout(fit, 500); });
    if (frame.contentDocument && frame.contentDocument.readyState === 'complete') fit();
  }
  const pick = document.getElementById('pick');
  if (pick) pick.addEventListener('change', () => { location.href = pick.value; });
})();
</script>`);

function layout(title: string, edition: PreviewEditionChoice | null, body: SafeHtml): string {
  return htmlDocument({
    title: `${title} · paperwire preview`,
    head: STYLE,
    body: html`<header class="bar">
  <a href="/">paperwire preview</a>
  ${edition ? html`<span class="edition">edition ${edition.edition.id}${edition.stored ? '' : ' (not frozen yet)'}</span>` : ''}
  <span class="live" id="live">connecting…</span>
</header>
<main>
${body}
</main>
${LIVE_SCRIPT}
${FRAME_SCRIPT}`,
  });
}

/** A red box explaining why something cannot be rendered: message, file and line, and what to do. */
export function errorBox(title: string, error: unknown): SafeHtml {
  const place = errorPlace(error);
  if (isPaperwireError(error)) {
    return html`<section class="card error" role="alert" data-error-code="${error.code}">
  <h2>${title}</h2>
  ${place ? html`<p><strong>${place}</strong></p>` : ''}
  <pre>${error.message}</pre>
  ${error.hint ? html`<p>${error.hint}</p>` : ''}
  <p class="muted">Fix it and save: this page reloads by itself.</p>
</section>`;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return html`<section class="card error" role="alert" data-error-code="unexpected">
  <h2>${title}</h2>
  <pre>${message}</pre>
  <p>This is a bug in paperwire; please report it with the template that triggers it.</p>
</section>`;
}

/** `file, line N` when the error names them: as fields, or as the `path:line:` that E_TEMPLATE messages start with. */
function errorPlace(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { file, line, message } = error as { file?: unknown; line?: unknown; message?: unknown };
  if (typeof file === 'string') return typeof line === 'number' ? `${file}, line ${line}` : file;
  const named = typeof message === 'string' ? /^(\S+\.hbs)(?::(\d+))?: /.exec(message) : null;
  if (!named) return null;
  return named[2] ? `${named[1]}, line ${named[2]}` : named[1]!;
}

/** What the index page knows; any part may have failed and then carries its error. */
export interface IndexView {
  newsletter: NewsletterInfo;
  /** What the templates do that works but is unsafe (`{{{title}}}`), one line each. */
  templateWarnings: string[];
  edition: PreviewEditionChoice | null;
  editionError: unknown;
  readers: PreviewReaders | null;
  readersError: unknown;
  /** Why templates cannot be rendered, if they cannot. */
  renderError: unknown;
  /** A short description of each reader's content variant, by email. */
  variants: Map<string, string>;
}

function editionSummary(choice: PreviewEditionChoice): SafeHtml {
  const { edition, stored } = choice;
  return html`<section class="card${stored ? '' : ' notice'}">
  <h1>Edition ${edition.id}</h1>
  <p class="muted">${edition.papers.length} papers${edition.previousId ? ` · follows ${edition.previousId}` : ''}${stored ? ` · frozen ${edition.createdAt.slice(0, 10)}` : ''}</p>
  ${stored ? '' : html`<p>Not frozen yet: this is what the next edition would be if <code>paperwire send</code> ran now.</p>`}
</section>`;
}

function readerRow(reader: PreviewReader, variant: string | undefined): SafeHtml {
  const { subscriber, suppressed } = reader;
  return html`<tr class="${suppressed ? 'suppressed' : ''}">
  <td><a href="${subscriberPath(subscriber.email)}">${subscriber.email}</a>${subscriber.name ? html`<br><span class="muted">${subscriber.name}</span>` : ''}
    ${suppressed ? html` <span class="badge">unsubscribed · not mailed</span>` : ''}</td>
  <td>${subscriber.topics.length ? subscriber.topics.map((topic) => html`<span class="tag">${topic}</span>`) : html`<span class="muted">none</span>`}</td>
  <td>${variant ?? html`<span class="muted">—</span>`}</td>
</tr>`;
}

function newsletterCard(info: NewsletterInfo): SafeHtml {
  return html`<section class="card" aria-labelledby="newsletter">
  <h2 id="newsletter">Newsletter</h2>
  <dl class="headers">
    <dt>Name</dt><dd class="subject">${info.name}</dd>
    <dt>List-Id</dt><dd>${info.listId}</dd>
    <dt>Postal address</dt><dd>${info.postalAddress ?? html`<span class="muted">not set (POSTAL_ADDRESS): US CAN-SPAM asks every commercial email for one</span>`}</dd>
    <dt>Web archive</dt><dd>${info.archiveUrl ? html`${info.archiveUrl}/ <span class="muted">(emails link to their edition's page there)</span>` : html`<span class="muted">none (ARCHIVE_URL or PUBLIC_URL): "+K more" links go to Hugging Face</span>`}</dd>
  </dl>
</section>`;
}

function warningsCard(warnings: string[]): SafeHtml {
  return html`<section class="card notice" role="status">
  <h2>Template warnings</h2>
  <ul>${warnings.map((warning) => html`<li><code>${warning}</code></li>`)}</ul>
</section>`;
}

/** The start page: the newsletter, the edition and every subscriber with their topics and content variant. */
export function indexPage(view: IndexView): string {
  const parts: SafeHtml[] = [];
  if (view.edition) parts.push(editionSummary(view.edition));
  if (view.templateWarnings.length) parts.push(warningsCard(view.templateWarnings));
  parts.push(newsletterCard(view.newsletter));
  if (view.editionError) parts.push(errorBox('No edition to preview', view.editionError));
  if (view.renderError) parts.push(errorBox('The templates cannot be rendered', view.renderError));
  if (view.readersError) parts.push(errorBox('The subscriber list cannot be read', view.readersError));
  if (view.readers) {
    const { readers, source, file, invalid } = view.readers;
    const suppressed = readers.filter((reader) => reader.suppressed).length;
    parts.push(html`<section class="card">
  <h2>Subscribers <small>${source === 'file' ? `${readers.length} in ${file}${suppressed ? ` · ${suppressed} unsubscribed` : ''}` : `${file} does not exist yet: showing a sample reader`}</small></h2>
  <table>
    <thead><tr><th>Subscriber</th><th>Topics</th><th>Content variant</th></tr></thead>
    <tbody>${readers.map((reader) => readerRow(reader, view.variants.get(reader.subscriber.email)))}</tbody>
  </table>
  ${invalid.length ? html`<p class="muted">Skipped ${invalid.length} invalid ${invalid.length === 1 ? 'line' : 'lines'}: ${invalid.map((entry, index) => html`${index ? '; ' : ''}line ${entry.line} ${JSON.stringify(entry.value)} (${entry.reason})`)}</p>` : ''}
</section>`);
  }
  return layout('Subscribers', view.edition, html`${parts}`);
}

function sizeMeter(email: PreviewEmail): SafeHtml {
  const percent = Math.min(100, (email.htmlBytes / CLIP_LIMIT_BYTES) * 100).toFixed(1);
  const mark = ((SIZE_WARNING_BYTES / CLIP_LIMIT_BYTES) * 100).toFixed(1);
  const warn = email.htmlBytes > SIZE_WARNING_BYTES;
  const [first, rest] = describeHtmlSize(email.htmlBytes).split(', ');
  return html`<div class="meter${warn ? ' warn' : ''}" data-html-bytes="${email.htmlBytes}">
  <div class="meter-label"><strong>${first}</strong><br>${rest}</div>
  <div class="meter-track" title="red past ${formatKb(SIZE_WARNING_BYTES)}"><div class="meter-fill" style="width: ${percent}%"></div><div class="meter-mark" style="left: ${mark}%"></div></div>
  <div class="muted">${email.htmlBytes.toLocaleString('en')} bytes of HTML · the bar turns red past ${formatKb(SIZE_WARNING_BYTES).replace('.0', '')}</div>
  <div class="muted">Plain text ${formatKb(email.textBytes)}</div>
</div>`;
}

/** What one subscriber's page shows. */
export interface SubscriberView {
  edition: PreviewEditionChoice;
  readers: PreviewReader[];
  reader: PreviewReader;
  email: PreviewEmail;
  variant: string | undefined;
}

/** One subscriber's email: headers, size meter, desktop and mobile renderings, plain text. */
export function subscriberPage(view: SubscriberView): string {
  const { email, reader } = view;
  const htmlUrl = `${subscriberPath(reader.subscriber.email)}/html`;
  const headerRows = Object.entries(email.headers).map(
    ([name, value]) => html`<dt>${name}</dt><dd class="${name === 'Subject' ? 'subject' : ''}">${value}</dd>`,
  );
  const frame = (label: string, width: number): SafeHtml =>
    html`<figure>
  <figcaption>${label} · ${width} px <span class="badge sideways">scrolls sideways</span></figcaption>
  <iframe data-fit srcdoc="${email.rendered.html}" width="${width}" title="${label} rendering, ${width} px wide" sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>
</figure>`;
  const body = html`<nav class="crumbs">
  <a href="/">← All subscribers</a>
  <select id="pick" aria-label="Show another subscriber">${view.readers.map(
    (other) =>
      html`<option value="${subscriberPath(other.subscriber.email)}"${other === reader ? trusted(' selected') : ''}>${other.subscriber.email}</option>`,
  )}</select>
  <a href="${htmlUrl}" target="_blank">HTML alone</a>
  <a href="#plain-text">Plain text ↓</a>
  <a href="${subscriberPath(reader.subscriber.email)}/text" target="_blank">plain text alone</a>
</nav>
<section class="card meta">
  <div>
    <h2>${reader.subscriber.email}${reader.suppressed ? html` <span class="badge">unsubscribed · not mailed</span>` : ''}</h2>
    <dl class="headers">${headerRows}</dl>
    <p class="muted">Topics: ${reader.subscriber.topics.length ? reader.subscriber.topics.join(', ') : 'none'}${view.variant ? ` · ${view.variant}` : ''}</p>
  </div>
  ${sizeMeter(email)}
</section>
<section class="views">
  ${frame('Desktop', 600)}
  ${frame('Mobile', 375)}
</section>
<section class="card" id="plain-text" style="margin-top: 16px">
  <h2>Plain text</h2>
  <pre class="text">${email.rendered.text}</pre>
</section>`;
  return layout(reader.subscriber.email, view.edition, body);
}

/** A page with only error boxes (for a subscriber page that cannot render). */
export function errorPage(title: string, edition: PreviewEditionChoice | null, boxes: SafeHtml[]): string {
  return layout(title, edition, html`<nav class="crumbs"><a href="/">← All subscribers</a></nav>${boxes}`);
}

/** A bare document for an email frame that cannot render, so the frame explains itself. */
export function frameErrorDocument(box: SafeHtml): string {
  return htmlDocument({
    title: 'cannot render · paperwire preview',
    head: STYLE,
    body: html`<main>${box}</main>`,
  });
}
