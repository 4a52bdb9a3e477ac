// `paperwire serve`: the public site under PUBLIC_URL, put together from the
// handlers of the stages (today the unsubscribe endpoint).
import { unsubscribeHandler } from '../unsubscribe/server.ts';
import { basePathOf, type Site, startSite } from '../web/site.ts';
import type { AppContext } from './context.ts';

/** Starts the public site on `host:port`; E_CONFIG without UNSUBSCRIBE_SECRET, E_USAGE when the port is taken. */
export async function startPublicSite(ctx: AppContext, where: { port: number; host: string }): Promise<Site> {
  const { store, config, log } = ctx;
  return startSite({
    ...where,
    basePath: basePathOf(config.publicUrl),
    handlers: [unsubscribeHandler(store.suppressions, config, log)],
    log,
  });
}
