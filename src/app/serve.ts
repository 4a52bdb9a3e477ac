// `paperwire serve`: the public site under PUBLIC_URL, put together from the
// handlers of the stages: the unsubscribe endpoint, and with PUBLIC_URL the sign-up
// and preferences pages.
import { createTransport } from '../deliver/transports/index.ts';
import { signupHandler } from '../signup/server.ts';
import { unsubscribeHandler } from '../unsubscribe/server.ts';
import { basePathOf, type Site, startSite, type WebHandler } from '../web/site.ts';
import type { AppContext } from './context.ts';
import { brandOf, signupActions } from './signup.ts';

/**
 * Starts the public site on `host:port`; E_CONFIG without UNSUBSCRIBE_SECRET, or when
 * sign-ups could not be mailed (SMTP_URL without MAIL_FROM, an unusable DKIM key);
 * E_USAGE when the port is taken. Closing it waits for confirmation emails in flight.
 */
export async function startPublicSite(ctx: AppContext, where: { port: number; host: string }): Promise<Site> {
  const { store, config, log } = ctx;
  const basePath = basePathOf(config.publicUrl);
  const handlers: WebHandler[] = [unsubscribeHandler(store.suppressions, config, log)];
  let signups: ReturnType<typeof signupActions> | null = null;
  if (config.publicUrl && config.unsubscribeSecret) {
    // The sender and the DKIM key are checked now rather than at the first sign-up.
    await (await createTransport(config)).close();
    signups = signupActions(ctx);
    handlers.push(
      signupHandler(signups, {
        secret: config.unsubscribeSecret,
        listId: config.listId,
        topics: config.topics,
        brand: brandOf(config),
        basePath,
        ratePerHour: config.signupRatePerHour,
        clock: ctx.clock,
        log,
      }),
    );
  }
  const site = await startSite({ ...where, basePath, handlers, log });
  return {
    url: site.url,
    close: async () => {
      await site.close();
      await signups?.idle();
    },
  };
}
