// The unsubscribe endpoint, a handler of the public site (src/web/site.ts), safe
// against link scanners:
//   GET  /unsubscribe?token=…  a page with a confirm button; changes nothing
//   POST /unsubscribe?token=…  `List-Unsubscribe=One-Click` (RFC 8058) or the page's
//                              `confirm=yes` → the address is suppressed ('link')
// A bad token is a 400 and changes nothing; a repeated POST is a 200 and one suppression.
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { SuppressionList } from '../subscribers/suppressions.ts';
import { methodNotAllowed, type WebHandler } from '../web/site.ts';
import { UNSUBSCRIBE_PATH, verifyUnsubscribeToken } from './index.ts';
import { confirmPage, donePage, invalidPage } from './pages.ts';

/** The form fields of a urlencoded or multipart/form-data body (RFC 8058 allows either). */
export function formFields(contentType: string, body: string): Map<string, string> {
  const fields = new Map<string, string>();
  const boundary = /^multipart\/form-data\b.*;\s*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary) {
    for (const part of body.split(`--${boundary}`)) {
      const split = part.indexOf('\r\n\r\n');
      if (split < 0) continue;
      const name = /\bname="([^"]*)"/i.exec(part.slice(0, split))?.[1];
      if (name !== undefined && !fields.has(name))
        fields.set(name, part.slice(split + 4).replace(/\r\n$/, ''));
    }
    return fields;
  }
  for (const [name, value] of new URLSearchParams(body)) if (!fields.has(name)) fields.set(name, value);
  return fields;
}

/** What an unsubscribe POST asked for: RFC 8058 one-click, the confirm page's form, or neither. */
function postKind(fields: Map<string, string>): 'one-click' | 'form' | null {
  if (fields.get('List-Unsubscribe')?.trim() === 'One-Click') return 'one-click';
  if (fields.get('confirm') === 'yes') return 'form';
  return null;
}

/** The unsubscribe handler for `config`'s list; throws E_CONFIG without UNSUBSCRIBE_SECRET. */
export function unsubscribeHandler(
  suppressions: Pick<SuppressionList, 'suppress'>,
  config: Pick<Config, 'unsubscribeSecret' | 'listId' | 'listName'>,
  log: Logger = silentLogger,
): WebHandler {
  const secret = config.unsubscribeSecret;
  if (!secret) {
    throw new PaperwireError('E_CONFIG', 'the unsubscribe endpoint needs UNSUBSCRIBE_SECRET', {
      hint: 'Set UNSUBSCRIBE_SECRET (e.g. `openssl rand -hex 32`) and PUBLIC_URL to the address this server is reached at.',
    });
  }
  // Readers know the newsletter by its name (LIST_NAME); the List-Id only binds the tokens.
  const { listName } = config;
  return async (request) => {
    if (request.path !== UNSUBSCRIBE_PATH && request.path !== `${UNSUBSCRIBE_PATH}/`) return null;
    const { method } = request;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST')
      return methodNotAllowed('GET, HEAD, POST');
    const token = request.query.get('token') ?? '';
    const email = verifyUnsubscribeToken(secret, config.listId, token);
    if (method !== 'POST') {
      if (!email) return { status: 400, type: 'html', body: invalidPage() };
      return { status: 200, type: 'html', body: confirmPage(email, token, listName) };
    }
    const body = await request.body();
    if (!email) return { status: 400, type: 'html', body: invalidPage() };
    const kind = postKind(formFields(String(request.headers['content-type'] ?? ''), body));
    if (!kind)
      return { status: 400, type: 'text', body: 'expected List-Unsubscribe=One-Click or confirm=yes\n' };
    const reason = kind === 'one-click' ? 'one-click unsubscribe (RFC 8058)' : 'unsubscribe page';
    if (suppressions.suppress(email, 'link', reason)) log.info('unsubscribed', { email, via: kind });
    if (kind === 'one-click') return { status: 200, type: 'text', body: 'unsubscribed\n' };
    return { status: 200, type: 'html', body: donePage(email, listName) };
  };
}
