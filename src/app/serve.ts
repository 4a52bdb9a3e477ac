// `paperwire serve`: the public site under PUBLIC_URL, put together from the
// handlers of the stages: the unsubscribe endpoint, with PUBLIC_URL the sign-up and
// preferences pages, and the web archive (STATE_DIR/archive) at ARCHIVE_URL's path when
// ARCHIVE_URL lies under PUBLIC_URL.
import type { Config } from '../config/index.ts';
import { createTransport } from '../deliver/transports/index.ts';
import { signupHandler } from '../signup/server.ts';
import { unsubscribeHandler } from '../unsubscribe/server.ts';
import { basePathOf, type Site, startSite, type WebHandler } from '../web/site.ts';
import { staticFolderHandler } from '../web/static.ts';
import type { AppContext } from './context.ts';
import { brandOf, signupActions } from './signup.ts';

/**
 * The path below PUBLIC_URL's own path where `serve` answers for ARCHIVE_URL (`/archive`), or null
 * when there is no archive URL or it lies elsewhere (another host publishes the folder then).
 */
export function archiveMountPath(config: Pick<Config, 'publicUrl' | 'archiveUrl'>): string | null {
  if (!config.publicUrl || !config.archiveUrl) return null;
  const site = new URL(config.publicUrl);
  const archive = new URL(config.archiveUrl);
  if (site.origin !== archive.origin) return null;
  const base = basePathOf(config.publicUrl);
  const path = archive.pathname.replace(/\/+$/, '');
  return path.startsWith(`${base}/`) ? path.slice(base.length) : null;
}

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
  const mountPath = archiveMountPath(config);
  if (mountPath) handlers.push(staticFolderHandler({ mountPath, dir: config.archiveDir }));
  const site = await startSite({ ...where, basePath, handlers, log });
  return {
    url: site.url,
    close: async () => {
      await site.close();
      await signups?.idle();
    },
  };
}
