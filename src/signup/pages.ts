// The sign-up and preferences pages. Every value is escaped by `html`; forms post back
// to their own URL (the token stays in the query), so they work without JavaScript. The
// one script is the confirmation page's, which submits its own button at once.
import { html, type SafeHtml } from '../web/html.ts';
import { type Brand, sitePage } from '../web/page.ts';
import { MAX_NAME_LENGTH } from './index.ts';

/** The script of the confirmation page: a scanner that only GETs never runs it, a reader's browser does. */
export const CONFIRM_SCRIPT = "document.getElementById('pw-confirm').submit();";

/** The form's honeypot field: hidden from people, filled in by bots. */
export const HONEYPOT_FIELD = 'website';

function page(brand: Brand, title: string, body: SafeHtml, script?: string): string {
  return sitePage({ ...brand, title, body, script });
}

/** Checkboxes named `topics` for `offered`, ticked where `chosen`; `fixed` ones are ticked and cannot be unticked. */
function topicChoices(
  offered: readonly string[],
  chosen: ReadonlySet<string>,
  fixed: ReadonlySet<string> = new Set(),
): SafeHtml {
  return html`${offered.map((topic, index) => {
    const id = `pw-topic-${index}`;
    const locked = fixed.has(topic);
    return html`<label class="pw-choice" for="${id}"><input type="checkbox" id="${id}" name="topics" value="${topic}"${
      chosen.has(topic) || locked ? html` checked` : ''
    }${locked ? html` disabled` : ''}> ${topic}${locked ? html` <span class="pw-hint">(from the list)</span>` : ''}</label>
`;
  })}`;
}

/** What the sign-up form was given back (to show again after an error). */
export interface FormValues {
  email: string;
  name: string;
  topics: string[];
}

/** The sign-up form: email, an optional name, topics from TOPICS (none when unset), a honeypot. */
export function subscribeFormPage(
  brand: Brand,
  topics: readonly string[],
  values: FormValues = { email: '', name: '', topics: [] },
  error: { field: 'email' | 'name'; message: string } | null = null,
): string {
  const invalid = (field: 'email' | 'name') =>
    error?.field === field ? html` aria-invalid="true" aria-describedby="pw-error"` : '';
  return page(
    brand,
    `Subscribe to ${brand.listName}`,
    html`<p>The papers the research community upvoted most, in your inbox once a week. We send you an email to confirm first.</p>
${error ? html`<p class="pw-error" id="pw-error" role="alert">${error.message}</p>` : ''}
<form method="post">
<label for="pw-email">Email address</label>
<input type="email" id="pw-email" name="email" required autocomplete="email" maxlength="254" value="${values.email}"${invalid('email')}>
<label for="pw-name">Name <span class="pw-hint">(optional)</span></label>
<input type="text" id="pw-name" name="name" autocomplete="name" maxlength="${MAX_NAME_LENGTH}" value="${values.name}"${invalid('name')}>
${
  topics.length > 0
    ? html`<fieldset>
<legend>Topics for your "For you" part <span class="pw-hint">(optional)</span></legend>
${topicChoices(topics, new Set(values.topics))}</fieldset>`
    : ''
}
<div class="pw-away" aria-hidden="true"><label for="pw-website">Leave this field empty</label><input type="text" id="pw-website" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>
<div class="pw-actions"><button type="submit">Subscribe</button></div>
</form>`,
  );
}

/** The answer to every accepted sign-up, whatever the address: it never tells whether it is subscribed. */
export function checkInboxPage(brand: Brand): string {
  return page(
    brand,
    'Check your inbox',
    html`<p>If the address can receive ${brand.listName}, an email with a confirmation link is on its way. Open it and confirm to get the next edition.</p>
<p class="pw-hint">The link works for 48 hours. Nothing arrived? Look in your spam folder, or sign up again in an hour.</p>`,
  );
}

/** The page the confirmation link opens: a button that POSTs back, pressed at once by a small script. */
export function confirmPage(brand: Brand, email: string): string {
  return page(
    brand,
    'Confirm your subscription',
    html`<p>Subscribe <strong>${email}</strong> to <strong>${brand.listName}</strong>?</p>
<form method="post" id="pw-confirm">
<input type="hidden" name="confirm" value="yes">
<div class="pw-actions"><button type="submit">Confirm subscription</button></div>
</form>`,
    CONFIRM_SCRIPT,
  );
}

/** The page after a confirmation. */
export function confirmedPage(brand: Brand, email: string, preferencesHref: string): string {
  return page(
    brand,
    'You are subscribed',
    html`<p><strong>${email}</strong> gets the next edition of <strong>${brand.listName}</strong>.</p>
<p>Every email has a link to <a href="${preferencesHref}">change your topics</a> or unsubscribe.</p>`,
  );
}

/** The page for a confirmation link past its 48 hours. */
export function expiredPage(brand: Brand, subscribeHref: string): string {
  return page(
    brand,
    'This link has expired',
    html`<p>Confirmation links work for 48 hours. <a href="${subscribeHref}">Sign up again</a> to get a new one.</p>`,
  );
}

/** The page for a link whose token does not verify (forged, cut short, of another list). */
export function invalidLinkPage(brand: Brand): string {
  return page(
    brand,
    'This link is not valid',
    html`<p>The link may have been cut short by your mail program. Open it again from the email, or copy the whole address into your browser.</p>`,
  );
}

/** The 429 page. */
export function tooManyPage(brand: Brand): string {
  return page(
    brand,
    'Too many sign-ups',
    html`<p>Too many sign-ups came from your network in the last hour. Please try again later.</p>`,
  );
}

/** What the preferences page shows of a reader. */
export interface PreferencesView {
  email: string;
  /** The checkboxes: TOPICS plus the reader's own topics. */
  offered: string[];
  /** The reader's topics now (the union of the list's and the web's). */
  chosen: string[];
  /** The list's topics of a reader who is also on the config list (they stay); null for a web-only reader. */
  fromList: string[] | null;
  /** Whether the address gets the newsletter now (not unsubscribed, on the list or confirmed on the web). */
  active: boolean;
}

/** The preferences page: topics to tick, a save button, an unsubscribe button (to the unsubscribe endpoint). */
export function preferencesPage(
  brand: Brand,
  view: PreferencesView,
  unsubscribeAction: string,
  saved = false,
): string {
  if (!view.active) {
    return page(
      brand,
      'Your subscription',
      html`<p><strong>${view.email}</strong> does not get ${brand.listName} at the moment, so there are no topics to choose.</p>`,
    );
  }
  const fixed = new Set(view.fromList ?? []);
  return page(
    brand,
    'Manage your topics',
    html`${saved ? html`<p class="pw-status" role="status">Saved. The next edition follows your topics.</p>` : ''}
<p>Topics for <strong>${view.email}</strong>: each edition's "For you" part lists the papers that match them.</p>
${
  view.fromList
    ? html`<p class="pw-hint">This address is also on the newsletter's own list. Its name there is the one used, and its topics there stay chosen whatever you choose here: you get the topics of both.</p>`
    : ''
}
<form method="post">
<input type="hidden" name="save" value="yes">
${
  view.offered.length > 0
    ? html`<fieldset>
<legend>Your topics</legend>
${topicChoices(view.offered, new Set(view.chosen), fixed)}</fieldset>`
    : html`<p>There are no topics to choose from.</p>`
}
<div class="pw-actions"><button type="submit">Save topics</button></div>
</form>
<form method="post" action="${unsubscribeAction}">
<input type="hidden" name="confirm" value="yes">
<div class="pw-actions"><button type="submit" class="pw-secondary">Unsubscribe</button></div>
</form>`,
  );
}
