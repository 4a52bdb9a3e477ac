// The preview use cases: render the target edition (target.ts — the very edition
// `send` would send) for one reader to files, and the data behind the live preview
// server. Nothing here writes to the store.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { type MessageSettings, messageSettings } from '../deliver/headers.ts';
import { deliveryMessageId, messageIdDomain } from '../deliver/message-id.ts';
import { PaperwireError } from '../errors.ts';
import {
  CLIP_LIMIT_BYTES,
  choosePreviewReader,
  type PreviewEditionChoice,
  type PreviewEmail,
  type PreviewReaders,
  type PreviewSource,
  previewEmail,
  SAMPLE_READER,
} from '../preview/index.ts';
import type { PreparedEdition } from '../render/index.ts';
import type { Store } from '../store/index.ts';
import { asSubscriber, mergeAudience } from '../subscribers/web.ts';
import type { Subscriber } from '../types.ts';
import { readAudience } from './audience.ts';
import type { AppContext } from './context.ts';
import { outputDir, writeOutputFiles } from './output.ts';
import { prepareForSend, renderFor } from './render.ts';
import { resolveTarget, type TargetQuery, weekSettings } from './target.ts';

/** The edition a preview shows: the target edition (E_NO_EDITION when there is none, with what to do). */
function previewEdition(store: Store, query: TargetQuery): PreviewEditionChoice {
  const target = resolveTarget(store, query);
  if (target.kind === 'edition') return { edition: target.edition, stored: target.why !== 'would-create' };
  // The target rule's own reason (what waits for which week, what is delivered), as send says it.
  throw new PaperwireError('E_NO_EDITION', `nothing to preview: ${target.reason}`, { hint: target.hint });
}

/**
 * Loads the audience for previewing (the list, then the web subscribers), marking the suppressed
 * ones; the sample reader when there is no list file and nobody signed up on the web.
 */
export function loadPreviewReaders(store: Store, file: string): PreviewReaders {
  const reader = (subscriber: Subscriber) => ({
    subscriber,
    suppressed: store.suppressions.find(subscriber.email) !== null,
  });
  if (!existsSync(file)) {
    const web = mergeAudience([], store.webSubscribers.list()).map(asSubscriber);
    return {
      readers: web.length > 0 ? web.map(reader) : [{ subscriber: SAMPLE_READER, suppressed: false }],
      source: web.length > 0 ? 'file' : 'sample',
      file,
      invalid: [],
    };
  }
  const { list, members } = readAudience(store, file);
  return { readers: members.map(asSubscriber).map(reader), source: 'file', file, invalid: list.invalid };
}

/** The message settings a preview shows; a missing MAIL_FROM shows where the address would be instead of failing. */
function previewSettings(config: Config): MessageSettings {
  try {
    return messageSettings(config);
  } catch {
    return {
      ...messageSettings({ ...config, smtpUrl: null }),
      from: '(MAIL_FROM is not set: required to send over SMTP_URL)',
    };
  }
}

/** Renders the email `subscriber` would get from `prepared`, with the headers it would carry. */
async function renderPreview(
  prepared: PreparedEdition,
  config: Config,
  subscriber: Subscriber,
): Promise<PreviewEmail> {
  const editionId = prepared.edition.id;
  const rendered = await renderFor(prepared, config)(subscriber);
  const messageId = deliveryMessageId(editionId, subscriber.email, messageIdDomain(config.mailFrom));
  return previewEmail(previewSettings(config), editionId, subscriber, rendered, messageId);
}

/** What `writePreview` is asked for; everything is optional. */
export interface PreviewInput {
  /** A subscriber on the list; default the first active one (or the sample reader without a list). */
  subscriberEmail?: string;
  /** A checked ISO week such as `2026-W48`; default the edition `send` would send now. */
  week?: string;
  /** Where the files go; default `STATE_DIR/preview`. */
  outDir?: string;
}

/** The files a preview wrote and what they hold. */
export interface PreviewResult {
  htmlPath: string;
  textPath: string;
  htmlBytes: number;
  /** Bytes left under the 100 KB clip limit (negative when over). */
  marginBytes: number;
  editionId: string;
  /** False when the edition is not frozen yet (what the next edition would be). */
  editionStored: boolean;
  subscriber: Subscriber;
}

/** Renders the target edition for one reader and writes `<edition>-<local part>.html` and `.txt`. */
export async function writePreview(ctx: AppContext, input: PreviewInput = {}): Promise<PreviewResult> {
  const { store, config } = ctx;
  const { edition, stored } = previewEdition(store, {
    week: input.week,
    now: ctx.clock(),
    settings: weekSettings(config),
  });
  const reader = choosePreviewReader(
    loadPreviewReaders(store, config.subscribersFile),
    input.subscriberEmail,
  );
  const prepared = await prepareForSend(edition, config, ctx.log);
  const email = await renderPreview(prepared, config, reader.subscriber);

  const outDir = outputDir(config.cwd, input.outDir, config.previewDir);
  const name = `${edition.id}-${safeLocalPart(reader.subscriber.email)}`;
  writeOutputFiles(
    outDir,
    [
      { path: `${name}.html`, content: email.rendered.html },
      { path: `${name}.txt`, content: email.rendered.text },
    ],
    'STATE_DIR/preview',
  );
  return {
    htmlPath: join(outDir, `${name}.html`),
    textPath: join(outDir, `${name}.txt`),
    htmlBytes: email.htmlBytes,
    marginBytes: CLIP_LIMIT_BYTES - email.htmlBytes,
    editionId: edition.id,
    editionStored: stored,
    subscriber: reader.subscriber,
  };
}

/** The part of an address before `@`, reduced to characters safe in a file name. */
export function safeLocalPart(email: string): string {
  const local = email.slice(0, Math.max(0, email.lastIndexOf('@'))) || email;
  const safe = local
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[.]+/, '')
    .slice(0, 64);
  return safe || 'reader';
}

/** The live preview server's data: the target edition (re-resolved on every change), the list, the renders. */
export function previewSource(ctx: AppContext, week?: string): PreviewSource {
  const { store, config } = ctx;
  return {
    newsletter: () => ({
      name: config.listName,
      listId: config.listId,
      postalAddress: config.postalAddress,
      archiveUrl: config.archiveUrl,
    }),
    edition: () => previewEdition(store, { week, now: ctx.clock(), settings: weekSettings(config) }),
    readers: () => loadPreviewReaders(store, config.subscribersFile),
    prepare: (choice) => prepareForSend(choice.edition, config, ctx.log),
    render: (prepared, subscriber) => renderPreview(prepared, config, subscriber),
    version: () => store.dataVersion(),
  };
}
