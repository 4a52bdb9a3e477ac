// The public site (`paperwire serve`) started on a test's store and config.
import { startPublicSite } from '../../src/app/serve.ts';
import type { Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/log.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { Site } from '../../src/web/site.ts';

/** Starts the site for `store` and `config` on `host:port` (port 0: any free one), as `paperwire serve` does. */
export function startSiteFor(
  store: Store,
  config: Config,
  where: { port: number; host: string },
): Promise<Site> {
  return startPublicSite({ store, config, log: silentLogger, clock: () => new Date() }, where);
}

/** The site on `config`'s own store (opened here) at a free loopback port; both closed after `t`. */
export async function startProjectSite(
  t: { after(fn: () => Promise<void>): void },
  config: Config,
): Promise<Site> {
  const store = openStore(config.dbPath);
  const site = await startSiteFor(store, config, { port: 0, host: '127.0.0.1' }).catch((error: unknown) => {
    store.close();
    throw error;
  });
  t.after(async () => {
    await site.close();
    store.close();
  });
  return site;
}
