// Render: a frozen edition + a subscriber → subject, HTML and plain text.
//
// 1. loadTemplates checks the template folder (syntax, partials, helpers).
// 2. prepareEdition checks every optional part of the templates and renders the plain variant,
//    so a broken template fails before anything is sent.
// 3. renderEmail finds the subscriber's content variant (their "For you" papers),
//    renders it once — Handlebars, then MJML, then fitting under the clip limit —
//    and from then on only runs its precompiled phase-2 template per subscriber.

import { editionPageUrl } from '../archive/urls.ts';
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import type { Edition, RenderedEmail, Subscriber } from '../types.ts';
import { markSource, safeUrl } from './escape.ts';
import type { Templates } from './templates.ts';
import { TopicMatcher } from './topics.ts';
import {
  BUDGET_VALUES,
  buildVariant,
  CLIP_LIMIT_BYTES,
  checkTemplates,
  type PersonalValues,
  type RenderContext,
  type Variant,
  type VariantContent,
} from './variant.ts';

export { safeUrl } from './escape.ts';
export {
  DEFAULT_TEMPLATES_DIR,
  initTemplates,
  loadTemplates,
  TEMPLATE_FILES,
  type Templates,
} from './templates.ts';
export { CLIP_LIMIT_BYTES, SUMMARY_LENGTHS } from './variant.ts';

/** How a render is set up for one edition. */
export interface RenderOptions {
  /** How many top papers get a card (MAX_PAPERS). */
  maxPapers: number;
  /** Where "all papers of the week" links without a web page; undefined: the Hugging Face week page; null: no link. */
  fullListUrl?: string | null;
  /** The newsletter's name in the header, subject and footer; default "paperwire". */
  listName?: string;
  /** The sender's postal address, a footer line; none by default. */
  postalAddress?: string | null;
  /** The edition's page in the web archive: "View in your browser", and the full list. None by default. */
  webUrl?: string | null;
}

/** The render options a configuration asks for, for `editionId`; `send`, `run` and `preview` all render with these. */
export function renderOptionsFrom(
  config: Pick<Config, 'maxPapers' | 'listName' | 'postalAddress' | 'archiveUrl'>,
  editionId: string,
): RenderOptions {
  return {
    maxPapers: config.maxPapers,
    listName: config.listName,
    postalAddress: config.postalAddress,
    webUrl: config.archiveUrl ? editionPageUrl(config.archiveUrl, editionId) : null,
  };
}

/** The most papers a "For you" part lists (the rest are counted). */
export const FOR_YOU_MAX = 5;

/** The Hugging Face page listing a week's papers, the default full list. */
export function weekPageUrl(editionId: string): string {
  return `https://huggingface.co/papers/week/${editionId}`;
}

/** An edition made ready to render for many subscribers: its variants are built once each, on first use. */
export class PreparedEdition {
  readonly edition: Edition;
  readonly context: RenderContext;
  private readonly matcher: TopicMatcher;
  private readonly contents = new Map<string, VariantContent>();
  private readonly building = new Map<string, Promise<Variant>>();
  private readonly built = new Map<string, Variant>();

  constructor(context: RenderContext) {
    this.edition = context.edition;
    this.context = context;
    this.matcher = new TopicMatcher(context.edition.papers);
  }

  /** How many distinct content variants have been rendered so far. */
  get variantCount(): number {
    return this.building.size;
  }

  /** The content variant for a subscriber's topics (cached per topic list). */
  contentFor(topics: readonly string[]): VariantContent {
    const topicsKey = topics.join('\n');
    let content = this.contents.get(topicsKey);
    if (!content) {
      const matches = this.matcher.match(topics);
      const forYou = matches.slice(0, FOR_YOU_MAX);
      const forYouMore = matches.length - forYou.length;
      content = {
        key: JSON.stringify([forYou.map(({ paper, topic }) => [paper.paper.id, topic]), forYouMore]),
        forYou,
        forYouMore,
      };
      this.contents.set(topicsKey, content);
    }
    return content;
  }

  /** The variant's precompiled templates, if it has been rendered already. */
  ready(content: VariantContent): Variant | undefined {
    return this.built.get(content.key);
  }

  /** Renders a variant once; concurrent callers share the same promise. */
  variant(content: VariantContent): Promise<Variant> {
    let pending = this.building.get(content.key);
    if (!pending) {
      pending = buildVariant(this.context, content).then((variant) => {
        this.built.set(content.key, variant);
        return variant;
      });
      // A failed render is not cached: the next caller sees the error again.
      pending.catch(() => this.building.delete(content.key));
      this.building.set(content.key, pending);
    }
    return pending;
  }
}

/**
 * Prepares an edition for rendering: resolves the options, checks every optional
 * part of the templates once, then renders the plain variant, so template errors
 * (E_TEMPLATE) surface here, before anything is sent.
 */
export async function prepareEdition(
  edition: Edition,
  templates: Templates,
  options: RenderOptions,
): Promise<PreparedEdition> {
  if (!Number.isInteger(options.maxPapers) || options.maxPapers < 1) {
    throw new PaperwireError(
      'E_CONFIG',
      `MAX_PAPERS=${options.maxPapers} is not a whole number of at least 1`,
      {
        hint: 'Set MAX_PAPERS in .env to how many papers each email lists (default 10).',
      },
    );
  }
  const webUrl = options.webUrl ? safeUrl(options.webUrl) : null;
  const fullList =
    webUrl ?? (options.fullListUrl === undefined ? weekPageUrl(edition.id) : options.fullListUrl);
  const prepared = new PreparedEdition({
    edition,
    templates,
    listName: options.listName?.trim() || 'paperwire',
    postalAddress: options.postalAddress?.trim() || null,
    maxPapers: options.maxPapers,
    fullListUrl: fullList === null ? null : markSource(safeUrl(fullList) ?? weekPageUrl(edition.id)),
    webUrl: webUrl === null ? null : markSource(webUrl),
  });
  await checkTemplates(prepared.context);
  await prepared.variant(prepared.contentFor([]));
  return prepared;
}

/** The per-subscriber links of an email: the unsubscribe link, and the preferences page when there is one. */
export interface PersonalLinks {
  unsubscribeUrl: string;
  /** Null or absent: the email has no "Manage your topics" link. */
  preferencesUrl?: string | null;
}

function personalValues(subscriber: Subscriber, personal: PersonalLinks): PersonalValues {
  const url = personal.unsubscribeUrl.trim();
  const preferencesUrl = personal.preferencesUrl ? safeUrl(personal.preferencesUrl.trim()) : null;
  if (personal.preferencesUrl && !preferencesUrl) {
    throw new PaperwireError(
      'E_CONFIG',
      `the preferences link ${JSON.stringify(personal.preferencesUrl)} is not an http(s) URL`,
      { hint: 'Check PUBLIC_URL in .env.' },
    );
  }
  if (!(safeUrl(url) || /^mailto:[^\s]+$/i.test(url))) {
    throw new PaperwireError(
      'E_CONFIG',
      `the unsubscribe link ${JSON.stringify(url)} is not an http(s) or mailto: URL`,
      {
        hint: 'Check PUBLIC_URL and UNSUBSCRIBE_MAILTO in .env.',
      },
    );
  }
  return {
    subscriber: { name: subscriber.name?.trim() ?? '', email: subscriber.email },
    unsubscribeUrl: url,
    preferencesUrl,
  };
}

/** True when `html` is within the clip limit; counting UTF-8 bytes is skipped when 3 bytes a character would fit. */
function fitsClipLimit(html: string): boolean {
  return html.length * 3 <= CLIP_LIMIT_BYTES || Buffer.byteLength(html) <= CLIP_LIMIT_BYTES;
}

function personalise(variant: Variant, values: PersonalValues): RenderedEmail | null {
  const html = variant.html(values);
  if (!fitsClipLimit(html)) return null;
  return { subject: variant.subject(values), html, text: variant.text(values) };
}

/** Bigger than the budget: fit this one email again with its own values. */
async function refit(
  prepared: PreparedEdition,
  content: VariantContent,
  values: PersonalValues,
): Promise<RenderedEmail> {
  const budget: PersonalValues = {
    subscriber: {
      name: values.subscriber.name.padEnd(BUDGET_VALUES.subscriber.name.length, 'N'),
      email: values.subscriber.email.padEnd(BUDGET_VALUES.subscriber.email.length, 'e'),
    },
    unsubscribeUrl: values.unsubscribeUrl.padEnd(BUDGET_VALUES.unsubscribeUrl.length, 't'),
    preferencesUrl: values.preferencesUrl?.padEnd(BUDGET_VALUES.preferencesUrl?.length ?? 0, 't') ?? null,
  };
  const variant = await buildVariant(prepared.context, content, budget);
  const email = personalise(variant, values);
  if (!email) {
    throw new PaperwireError(
      'E_TEMPLATE',
      `the email does not fit ${CLIP_LIMIT_BYTES} bytes even with every paper card dropped`,
      { hint: "Shorten the templates' fixed content (header, footer, styles) in TEMPLATES_DIR." },
    );
  }
  return email;
}

/**
 * Renders one subscriber's email. Once their content variant is rendered this is
 * synchronous and cheap (precompiled Handlebars); the HTML is never over 100 KB.
 */
export function renderEmail(
  prepared: PreparedEdition,
  subscriber: Subscriber,
  personal: PersonalLinks,
): Promise<RenderedEmail> | RenderedEmail {
  const values = personalValues(subscriber, personal);
  const content = prepared.contentFor(subscriber.topics);
  const variant = prepared.ready(content);
  if (variant) return personalise(variant, values) ?? refit(prepared, content, values);
  return prepared
    .variant(content)
    .then((built) => personalise(built, values) ?? refit(prepared, content, values));
}
