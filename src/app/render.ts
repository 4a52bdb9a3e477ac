// Rendering as every use case does it: the configured templates and options, and
// each subscriber's own unsubscribe and preferences links. `send`, the dry run, the test copy and the
// preview all render through these two functions, so what is previewed is what is sent.
import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import {
  loadTemplates,
  type PreparedEdition,
  prepareEdition,
  renderEmail,
  renderOptionsFrom,
} from '../render/index.ts';
import { preferencesUrl } from '../signup/index.ts';
import type { Edition, RenderedEmail, Subscriber } from '../types.ts';
import { bodyUnsubscribeUrl } from '../unsubscribe/index.ts';

/**
 * Loads TEMPLATES_DIR and prepares `edition` with the configured options (E_TEMPLATE on a broken
 * template); what the templates do that is allowed but unsafe is logged as a warning.
 */
export async function prepareForSend(
  edition: Edition,
  config: Config,
  log?: Logger,
): Promise<PreparedEdition> {
  const templates = loadTemplates(config.templatesDir);
  for (const warning of templates.warnings) log?.warn(warning);
  return prepareEdition(edition, templates, renderOptionsFrom(config, edition.id));
}

/** The per-subscriber render function of a prepared edition. */
export function renderFor(
  prepared: PreparedEdition,
  config: Config,
  log?: Logger,
): (subscriber: Subscriber) => Promise<RenderedEmail> | RenderedEmail {
  return (subscriber) =>
    renderEmail(prepared, subscriber, {
      unsubscribeUrl: bodyUnsubscribeUrl(config, subscriber.email, log),
      preferencesUrl: preferencesUrl(config, subscriber.email),
    });
}
