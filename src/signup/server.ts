// The sign-up and preferences endpoints, a handler of the public site (src/web/site.ts):
//   GET  /subscribe                 the form
//   POST /subscribe                 email, name, topics → "check your inbox", whatever the address
//                                   (429 past SIGNUP_RATE_PER_HOUR for the client; a filled
//                                   honeypot gets the same page and sends nothing)
//   GET  /subscribe/confirm?token=… a page with a button, pressed at once by its one script;
//                                   confirms nothing, so a mail scanner's GET subscribes nobody
//   POST /subscribe/confirm?token=… confirm=yes → the reader is subscribed
//   GET  /preferences?token=…       the reader's topics, a save button and an unsubscribe button
//   POST /preferences?token=…       save=yes, topics → stored
// A bad, expired or other-list token is a 400 and changes nothing. The decisions (who is
// active, whether to mail, what is stored) are the app's, behind SignupActions.
import type { Clock } from '../clock.ts';
import { type Logger, silentLogger } from '../log.ts';
import { normalizeAddress } from '../subscribers/address.ts';
import { addressProblem } from '../subscribers/index.ts';
import type { ConfirmOutcome } from '../subscribers/web.ts';
import { UNSUBSCRIBE_PATH, unsubscribeToken } from '../unsubscribe/index.ts';
import type { Brand } from '../web/page.ts';
import { methodNotAllowed, policyAllowingScript, type WebHandler, type WebResponse } from '../web/site.ts';
import {
  allowedTopics,
  CONFIRM_PATH,
  nameProblem,
  PREFERENCES_PATH,
  preferencesToken,
  type SignupRequest,
  SUBSCRIBE_PATH,
  verifyConfirmationToken,
  verifyPreferencesToken,
} from './index.ts';
import {
  CONFIRM_SCRIPT,
  checkInboxPage,
  confirmedPage,
  confirmPage,
  expiredPage,
  HONEYPOT_FIELD,
  invalidLinkPage,
  type PreferencesView,
  preferencesPage,
  subscribeFormPage,
  tooManyPage,
} from './pages.ts';
import { slidingWindowLimiter } from './rate-limit.ts';

/** What a sign-up led to; the reader is told the same in every case. */
export type SignupOutcome = 'sent' | 'active' | 'throttled';

/** The use cases behind the pages (src/app/signup.ts implements them). */
export interface SignupActions {
  /** Mails a confirmation unless the address is active or was sent one within the hour. */
  request(request: SignupRequest): SignupOutcome;
  /** Subscribes the reader of a verified confirmation. */
  confirm(request: SignupRequest): ConfirmOutcome;
  /** What the preferences page shows for `email`. */
  preferences(email: string): PreferencesView;
  /** Stores the topics `email` ticked (those on offer only) and returns the page's new state. */
  saveTopics(email: string, topics: string[]): PreferencesView;
}

/** How the endpoints are set up. */
export interface SignupSiteSettings {
  /** UNSUBSCRIBE_SECRET, which signs every token. */
  secret: string;
  listId: string;
  /** TOPICS. */
  topics: string[];
  brand: Brand;
  /** The path the site lives under (links on the pages start with it). */
  basePath: string;
  /** SIGNUP_RATE_PER_HOUR. */
  ratePerHour: number;
  clock: Clock;
  log?: Logger;
}

const HOUR_MS = 3_600_000;

const html = (status: number, body: string, headers?: Record<string, string>): WebResponse => ({
  status,
  type: 'html',
  body,
  headers,
});

/** Whether `path` is `route`, with or without a trailing slash. */
function at(path: string, route: string): boolean {
  return path === route || path === `${route}/`;
}

/** The sign-up and preferences handler. */
export function signupHandler(actions: SignupActions, settings: SignupSiteSettings): WebHandler {
  const { secret, listId, brand, basePath, clock } = settings;
  const log = settings.log ?? silentLogger;
  const limiter = slidingWindowLimiter(settings.ratePerHour, HOUR_MS, clock);
  const subscribeHref = `${basePath}${SUBSCRIBE_PATH}`;

  const subscribe: WebHandler = async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      return html(200, subscribeFormPage(brand, settings.topics));
    }
    if (request.method !== 'POST') return methodNotAllowed('GET, HEAD, POST');
    const form = new URLSearchParams(await request.body());
    if (!limiter.take(request.clientAddress)) {
      log.warn('sign-up refused: too many from one client this hour', { limit: settings.ratePerHour });
      return html(429, tooManyPage(brand), { 'Retry-After': '3600' });
    }
    const values = {
      email: form.get('email') ?? '',
      name: form.get('name') ?? '',
      topics: allowedTopics(form.getAll('topics'), settings.topics),
    };
    if ((form.get(HONEYPOT_FIELD) ?? '') !== '') {
      log.info('sign-up dropped: the hidden field was filled in (a bot)');
      return html(200, checkInboxPage(brand));
    }
    const email = normalizeAddress(values.email);
    if (email === null) {
      const message = `That is not an email address: ${addressProblem(values.email) ?? 'check it'}.`;
      return html(400, subscribeFormPage(brand, settings.topics, values, { field: 'email', message }));
    }
    const problem = nameProblem(values.name);
    if (problem)
      return html(
        400,
        subscribeFormPage(brand, settings.topics, values, { field: 'name', message: problem }),
      );
    actions.request({ email, name: values.name.trim() || null, topics: values.topics });
    return html(200, checkInboxPage(brand));
  };

  const confirm: WebHandler = async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'POST')
      return methodNotAllowed('GET, HEAD, POST');
    const body = request.method === 'POST' ? await request.body() : '';
    const check = verifyConfirmationToken(secret, listId, request.query.get('token') ?? '', clock());
    if (!check.ok) {
      return html(
        400,
        check.reason === 'expired' ? expiredPage(brand, subscribeHref) : invalidLinkPage(brand),
      );
    }
    const { email } = check.request;
    if (request.method !== 'POST') {
      return html(200, confirmPage(brand, email), {
        'Content-Security-Policy': policyAllowingScript(CONFIRM_SCRIPT),
      });
    }
    if (new URLSearchParams(body).get('confirm') !== 'yes') {
      return { status: 400, type: 'text', body: 'expected confirm=yes\n' };
    }
    actions.confirm(check.request);
    const preferencesHref = `${basePath}${PREFERENCES_PATH}?token=${preferencesToken(secret, listId, email)}`;
    return html(200, confirmedPage(brand, email, preferencesHref));
  };

  const preferences: WebHandler = async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'POST')
      return methodNotAllowed('GET, HEAD, POST');
    const body = request.method === 'POST' ? await request.body() : '';
    const email = verifyPreferencesToken(secret, listId, request.query.get('token') ?? '');
    if (!email) return html(400, invalidLinkPage(brand));
    const unsubscribeAction = `${basePath}${UNSUBSCRIBE_PATH}?token=${unsubscribeToken(secret, listId, email)}`;
    if (request.method !== 'POST') {
      return html(200, preferencesPage(brand, actions.preferences(email), unsubscribeAction));
    }
    const form = new URLSearchParams(body);
    if (form.get('save') !== 'yes') return { status: 400, type: 'text', body: 'expected save=yes\n' };
    const view = actions.saveTopics(email, form.getAll('topics'));
    return html(200, preferencesPage(brand, view, unsubscribeAction, view.active));
  };

  return (request) => {
    if (at(request.path, SUBSCRIBE_PATH)) return subscribe(request);
    if (at(request.path, CONFIRM_PATH)) return confirm(request);
    if (at(request.path, PREFERENCES_PATH)) return preferences(request);
    return null;
  };
}
