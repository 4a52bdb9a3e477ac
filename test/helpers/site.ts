// The public site (`paperwire serve`) started on a test's store and config.
import { startPublicSite } from '../../src/app/serve.ts';
import type { Config } from '../../src/config/index.ts';
import { silentLogger } from '../../src/log.ts';
import type { Store } from '../../src/store/index.ts';
import type { Site } from '../../src/web/site.ts';

/** Starts the site for `store` and `config` on `host:port` (port 0: any free one), as `paperwire serve` does. */
export function startSiteFor(
  store: Store,
  config: Config,
  where: { port: number; host: string },
): Promise<Site> {
  return startPublicSite({ store, config, log: silentLogger, clock: () => new Date() }, where);
}
