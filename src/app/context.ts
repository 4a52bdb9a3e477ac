// What every use case runs with: the checked configuration, the open store, the
// clock and the log. The CLI builds it once per command; tests build their own.
import type { Clock } from '../clock.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/index.ts';

/** The surroundings of a use case. */
export interface AppContext {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
}
