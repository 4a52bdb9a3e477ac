// One content variant of an edition (the papers and "For you" part a group of
// subscribers share), rendered once: Handlebars → MJML → a phase-2 Handlebars
// template that only fills in the subscriber's name, address and unsubscribe link.
// The clip guard lives here: the HTML must stay under CLIP_LIMIT_BYTES.
import Handlebars from 'handlebars';
import type { Edition } from '../types.ts';
import { escapeRegExp, SENTINEL, sentinelsToEntities, sentinelsToText } from './escape.ts';
import { compileMjml } from './mjml.ts';
import { fromRenderError, TEMPLATE_FILES, type Templates, templateError } from './templates.ts';
import type { TopicMatch } from './topics.ts';
import { type DigestView, digestView } from './view.ts';

/** Gmail clips HTML past ~102 KB; paperwire keeps every message at or under 100 KB. */
export const CLIP_LIMIT_BYTES = 100 * 1024;

/** Summary lengths tried, longest first, before cards are dropped to fit the clip limit. */
export const SUMMARY_LENGTHS = [300, 200, 120] as const;

/** The per-subscriber values of phase 2. */
export interface PersonalValues {
  subscriber: { name: string; email: string };
  unsubscribeUrl: string;
  /** The reader's "Manage your topics" page, or null when there is none (no PUBLIC_URL). */
  preferencesUrl: string | null;
}

/** Phase-2 values as long as any real subscriber's: the clip guard fits the HTML with these. */
export const BUDGET_VALUES: PersonalValues = {
  subscriber: { name: 'N'.repeat(128), email: `${'e'.repeat(242)}@example.org` },
  unsubscribeUrl: `https://example.org/u/${'t'.repeat(298)}`,
  preferencesUrl: `https://example.org/p/${'t'.repeat(298)}`,
};

/** What a variant shows. */
export interface VariantContent {
  /** Identifies the content: subscribers with equal keys get the same email apart from phase 2. */
  key: string;
  forYou: TopicMatch[];
  forYouMore: number;
}

/** The edition-wide settings of a render. */
export interface RenderContext {
  edition: Edition;
  templates: Templates;
  listName: string;
  postalAddress: string | null;
  maxPapers: number;
  /** Checked and marked; the edition's web page when there is one. */
  fullListUrl: string | null;
  /** The edition's page in the web archive, checked and marked; null without one. */
  webUrl: string | null;
}

/** A variant ready for subscribers: precompiled phase-2 templates plus what the clip guard decided. */
export interface Variant {
  key: string;
  html: (values: PersonalValues) => string;
  text: (values: PersonalValues) => string;
  subject: (values: PersonalValues) => string;
  /** Paper cards shown in the HTML (fewer than the top N when the clip guard dropped some). */
  cards: number;
  summaryLength: number;
  /** Size of the HTML filled with `budget`. */
  budgetBytes: number;
}

// Phase 2 runs on trusted output only (our templates' rendered text), with no helpers of ours.
const phaseTwo = Handlebars.create();

function compilePhaseTwo(
  source: string,
  templates: Templates,
  file: string,
  noEscape: boolean,
): (values: PersonalValues) => string {
  let compiled: Handlebars.TemplateDelegate<PersonalValues>;
  try {
    compiled = phaseTwo.compile<PersonalValues>(source, { strict: true, noEscape });
  } catch (error) {
    throw templateError(templates.dir, file, null, `per-subscriber part: ${(error as Error).message}`);
  }
  return (values) => {
    try {
      return compiled(values);
    } catch (error) {
      // Phase 2 sees only {subscriber.name, subscriber.email, unsubscribeUrl, preferencesUrl}.
      throw templateError(
        templates.dir,
        file,
        null,
        `per-subscriber part (a {{{{personal}}}} block or a {{subscriber.…}} value): ${String((error as Error).message).replace(/ - \d+:\d+$/, '')}`,
      );
    }
  };
}

/**
 * Refuses a render whose reader could not unsubscribe: the HTML must link to the
 * unsubscribe URL (`<a href="…">`) and the plain text must show it.
 */
function requireUnsubscribe(
  templates: Templates,
  part: 'html' | 'text',
  rendered: string,
  url: string,
): void {
  const found =
    part === 'text'
      ? rendered.includes(url)
      : new RegExp(`href\\s*=\\s*["']?${escapeRegExp(Handlebars.escapeExpression(url))}["'\\s>]`).test(
          rendered,
        );
  if (found) return;
  const file = part === 'html' ? TEMPLATE_FILES.layout : TEMPLATE_FILES.text;
  throw templateError(
    templates.dir,
    file,
    null,
    part === 'html'
      ? 'the rendered HTML has no unsubscribe link: every email must carry <a href="{{unsubscribeUrl}}">Unsubscribe</a> (the default footer has one)'
      : 'the plain-text part does not show {{unsubscribeUrl}}: every email must tell its reader how to unsubscribe',
  );
}

function runPhaseOne(templates: Templates, file: string, render: () => string): string {
  try {
    return render();
  } catch (error) {
    throw fromRenderError(templates.dir, file, error);
  }
}

interface HtmlAttempt {
  html: (values: PersonalValues) => string;
  /** The HTML filled with the budget values. */
  bytes: number;
  cards: number;
  summaryLength: number;
}

/** Renders the HTML of a variant with `cards` cards and summaries cut to `summaryLength`. */
async function renderHtml(
  ctx: RenderContext,
  content: VariantContent,
  budget: PersonalValues,
  summaryLength: number,
  cards: number,
): Promise<HtmlAttempt> {
  const view = viewFor(ctx, content, summaryLength, cards);
  const mjml = runPhaseOne(ctx.templates, TEMPLATE_FILES.layout, () => ctx.templates.layout(view));
  const html = await compileMjml(sentinelsToEntities(mjml), ctx.templates);
  const personalise = compilePhaseTwo(html, ctx.templates, TEMPLATE_FILES.layout, false);
  const filled = personalise(budget);
  requireUnsubscribe(ctx.templates, 'html', filled, budget.unsubscribeUrl);
  return { html: personalise, bytes: Buffer.byteLength(filled), cards, summaryLength };
}

function viewFor(
  ctx: RenderContext,
  content: VariantContent,
  summaryLength: number,
  cards: number,
): DigestView {
  return digestView({
    edition: ctx.edition,
    listName: ctx.listName,
    postalAddress: ctx.postalAddress,
    maxPapers: ctx.maxPapers,
    fullListUrl: ctx.fullListUrl,
    webUrl: ctx.webUrl,
    forYou: content.forYou,
    forYouMore: content.forYouMore,
    summaryLength,
    cards,
  });
}

/** Bytes of the card summaries of a view: what shortening them saves. */
function summaryBytes(
  ctx: RenderContext,
  content: VariantContent,
  summaryLength: number,
  cards: number,
): number {
  return viewFor(ctx, content, summaryLength, cards).papers.reduce(
    (sum, card) => sum + Buffer.byteLength(card.summary),
    0,
  );
}

/**
 * Fits the HTML under the clip limit with the budget values: first shorter
 * summaries, then fewer cards (the lowest-ranked go, "+K more papers" takes their
 * place). Sizes are estimated between attempts, so a hopeless attempt is skipped.
 */
async function fitHtml(
  ctx: RenderContext,
  content: VariantContent,
  budget: PersonalValues,
): Promise<HtmlAttempt> {
  const top = Math.min(ctx.maxPapers, ctx.edition.papers.length);
  const [longest] = SUMMARY_LENGTHS;
  const shortest = SUMMARY_LENGTHS.at(-1)!;
  const full = await renderHtml(ctx, content, budget, longest, top);
  if (full.bytes <= CLIP_LIMIT_BYTES) return full;
  const longestSummaries = summaryBytes(ctx, content, longest, top);
  let estimate = full.bytes;
  for (const length of SUMMARY_LENGTHS.slice(1)) {
    estimate = full.bytes - (longestSummaries - summaryBytes(ctx, content, length, top));
    if (estimate > CLIP_LIMIT_BYTES) continue;
    const attempt = await renderHtml(ctx, content, budget, length, top);
    if (attempt.bytes <= CLIP_LIMIT_BYTES) return attempt;
    estimate = attempt.bytes;
  }
  const bare = await renderHtml(ctx, content, budget, shortest, 0);
  if (bare.bytes > CLIP_LIMIT_BYTES) {
    throw templateError(
      ctx.templates.dir,
      TEMPLATE_FILES.layout,
      null,
      `even without paper cards the email is ${Math.ceil(bare.bytes / 1024)} KB, over the ${CLIP_LIMIT_BYTES / 1024} KB clip limit`,
    );
  }
  const perCard = Math.max(1, (estimate - bare.bytes) / top);
  let cards = Math.min(top - 1, Math.floor((CLIP_LIMIT_BYTES - bare.bytes) / perCard));
  while (cards > 0) {
    const attempt = await renderHtml(ctx, content, budget, shortest, cards);
    if (attempt.bytes <= CLIP_LIMIT_BYTES) return attempt;
    cards -= Math.max(1, Math.ceil((attempt.bytes - CLIP_LIMIT_BYTES) / perCard));
  }
  return bare;
}

/**
 * Renders the text and subject of a variant and runs both once, so a broken per-subscriber part
 * fails now. The text lists the same `cards` papers as the HTML, with the longest summaries.
 */
function textAndSubject(
  ctx: RenderContext,
  content: VariantContent,
  budget: PersonalValues,
  cards: number,
): Pick<Variant, 'text' | 'subject'> {
  const { templates } = ctx;
  const full = viewFor(ctx, content, SUMMARY_LENGTHS[0], cards);
  const textSource = runPhaseOne(templates, TEMPLATE_FILES.text, () => templates.text(full))
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const subjectSource = runPhaseOne(templates, TEMPLATE_FILES.subject, () => templates.subject(full))
    .replace(/\s+/g, ' ')
    .trim();
  const text = compilePhaseTwo(`${textSource}\n`, templates, TEMPLATE_FILES.text, true);
  const subject = compilePhaseTwo(subjectSource, templates, TEMPLATE_FILES.subject, true);
  requireUnsubscribe(templates, 'text', text(budget), budget.unsubscribeUrl);
  subject(budget);
  // Most editions have no brace or backslash in any source: then there is nothing to restore.
  const restore = (source: string) =>
    SENTINEL.test(source) ? sentinelsToText : (rendered: string) => rendered;
  const restoreText = restore(textSource);
  const restoreSubject = restore(subjectSource);
  return {
    text: (values) => restoreText(text(values)),
    subject: (values) => restoreSubject(subject(values)).replace(/\s+/g, ' ').trim(),
  };
}

/** Renders one variant: the fitted HTML, the plain text (the same papers) and the subject. */
export async function buildVariant(
  ctx: RenderContext,
  content: VariantContent,
  budget: PersonalValues = BUDGET_VALUES,
): Promise<Variant> {
  const fitted = await fitHtml(ctx, content, budget);
  return {
    key: content.key,
    html: fitted.html,
    ...textAndSubject(ctx, content, budget, fitted.cards),
    cards: fitted.cards,
    summaryLength: fitted.summaryLength,
    budgetBytes: fitted.bytes,
  };
}

/**
 * Renders every optional part of the templates once ("For you", "+K more"), small
 * and unfitted, so their errors surface before any subscriber's variant is needed.
 */
export async function checkTemplates(ctx: RenderContext): Promise<void> {
  const first = ctx.edition.papers[0];
  if (!first) return;
  const content: VariantContent = { key: 'check', forYou: [{ paper: first, topic: 'topic' }], forYouMore: 1 };
  await renderHtml(ctx, content, BUDGET_VALUES, SUMMARY_LENGTHS.at(-1)!, 1);
  textAndSubject(ctx, content, BUDGET_VALUES, 1);
}
