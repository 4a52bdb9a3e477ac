// The sign-up and preferences use cases behind `paperwire serve`'s pages
// (src/signup/server.ts declares them as SignupActions): who is active, whether a
// confirmation goes out, what a confirmation and a change of topics store, and the
// log line of each (addresses only with LOG_ADDRESSES=true).
import type { Config } from '../config/index.ts';
import { composeMessage, messageSettings } from '../deliver/headers.ts';
import { confirmationMessageId, messageIdDomain } from '../deliver/message-id.ts';
import { createTransport } from '../deliver/transports/index.ts';
import { PaperwireError } from '../errors.ts';
import { addressFields } from '../log.ts';
import { confirmationEmail } from '../signup/email.ts';
import {
  allowedTopics,
  CONFIRMATION_MAIL_INTERVAL_MS,
  confirmationUrl,
  type SignupRequest,
} from '../signup/index.ts';
import type { PreferencesView } from '../signup/pages.ts';
import type { SignupActions } from '../signup/server.ts';
import type { Brand } from '../web/page.ts';
import type { AppContext } from './context.ts';
import { listEntryOf } from './subscribers.ts';

/** LIST_NAME and POSTAL_ADDRESS, as the pages and the confirmation email show them. */
export function brandOf(config: Pick<Config, 'listName' | 'postalAddress'>): Brand {
  return { listName: config.listName, postalAddress: config.postalAddress };
}

/** Checks that sign-ups can be taken (PUBLIC_URL and the secret) and returns the settings the links need. */
function signupConfig(config: Config): Config & { publicUrl: string; unsubscribeSecret: string } {
  const { publicUrl, unsubscribeSecret } = config;
  if (!publicUrl || !unsubscribeSecret) {
    throw new PaperwireError('E_CONFIG', 'sign-ups need PUBLIC_URL and UNSUBSCRIBE_SECRET', {
      hint: 'Set PUBLIC_URL to the https address readers reach `paperwire serve` at, and UNSUBSCRIBE_SECRET (`openssl rand -hex 32`).',
    });
  }
  return { ...config, publicUrl, unsubscribeSecret };
}

/** The use cases of the sign-up pages, on `ctx`; `idle()` resolves once no confirmation email is in flight. */
export function signupActions(ctx: AppContext): SignupActions & { idle(): Promise<void> } {
  const { store, log } = ctx;
  const config = signupConfig(ctx.config);
  const who = (email: string) => addressFields(email, config.logAddresses);
  const inFlight = new Set<Promise<void>>();

  const sendConfirmation = async (request: SignupRequest): Promise<void> => {
    const now = ctx.clock();
    const rendered = confirmationEmail({
      brand: brandOf(config),
      email: request.email,
      name: request.name,
      url: confirmationUrl(config, request, now),
    });
    const transport = await createTransport(config);
    try {
      await transport.send(
        composeMessage(messageSettings(config, log), {
          // Each confirmation is its own message: in the outbox, its own file.
          editionId: `confirm-${now.toISOString().replace(/[-:.]/g, '')}`,
          subscriber: { email: request.email, name: request.name, topics: [] },
          rendered,
          messageId: confirmationMessageId(messageIdDomain(config.mailFrom)),
          date: now,
        }),
      );
    } finally {
      await transport.close();
    }
  };

  const view = (email: string): PreferencesView => {
    const listed = listEntryOf(config, email);
    const web = store.webSubscribers.find(email);
    const chosen = [...new Set([...(listed?.topics ?? []), ...(web?.topics ?? [])])];
    return {
      email,
      offered: [...new Set([...config.topics, ...chosen])],
      chosen,
      fromList: listed ? listed.topics : null,
      active: store.suppressions.find(email) === null && (listed !== null || Boolean(web?.confirmedAt)),
    };
  };

  return {
    request(request) {
      if (view(request.email).active) {
        log.info('sign-up of an active subscriber: nothing sent', who(request.email));
        return 'active';
      }
      if (!store.webSubscribers.claimConfirmationMail(request.email, CONFIRMATION_MAIL_INTERVAL_MS)) {
        log.info(
          'sign-up: a confirmation went to this address within the hour, nothing sent',
          who(request.email),
        );
        return 'throttled';
      }
      const sending = sendConfirmation(request).then(
        () =>
          log.info('sign-up: confirmation sent', { ...who(request.email), topics: request.topics.length }),
        (error: unknown) => {
          // Not sent: the reader may try again at once rather than in an hour.
          store.webSubscribers.releaseConfirmationMail(request.email);
          log.error('sign-up: the confirmation email could not be sent', {
            ...who(request.email),
            error: (error as Error)?.message ?? String(error),
          });
        },
      );
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
      return 'sent';
    },
    confirm(request) {
      const outcome = store.webSubscribers.confirm(request);
      if (outcome.changed) {
        log.info('subscribed: sign-up confirmed', {
          ...who(request.email),
          topics: request.topics.length,
          ...(outcome.lifted ? { wasSuppressed: outcome.lifted.via } : {}),
        });
      } else log.info('sign-up confirmed again: already subscribed', who(request.email));
      return outcome;
    },
    preferences: view,
    saveTopics(email, topics) {
      const before = view(email);
      if (!before.active) return before;
      const fromList = new Set(before.fromList ?? []);
      const chosen = allowedTopics(topics, before.offered).filter((topic) => !fromList.has(topic));
      store.webSubscribers.setTopics(email, chosen);
      log.info('topics changed on the preferences page', { ...who(email), topics: chosen.length });
      return view(email);
    },
    idle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
