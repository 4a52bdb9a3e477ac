// Preview: render an edition for one reader without sending anything, to files
// on disk (`paperwire preview`) or live in a browser (`paperwire preview --serve`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/index.ts';
import { loadTemplates } from '../render/index.ts';
import type { Store } from '../store/index.ts';
import type { Subscriber } from '../types.ts';
import { preparePreview, renderPreviewEmail } from './email.ts';
import { choosePreviewEdition, choosePreviewReader, loadPreviewReaders } from './select.ts';
import { CLIP_LIMIT_BYTES } from './size.ts';

export { startPreviewServer } from './server.ts';
export { CLIP_LIMIT_BYTES, describeHtmlSize } from './size.ts';

/** What `writePreview` is asked for; everything is optional. */
export interface PreviewOptions {
  /** A subscriber on the list; default the first active one (or the sample reader without a list). */
  subscriberEmail?: string;
  /** An ISO week such as `2026-W48`; default the edition `send` would send now. */
  week?: string;
  /** Where the files go; default `STATE_DIR/preview`. */
  outDir?: string;
  now?: Date;
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

/** Renders the chosen edition for one reader and writes `<edition>-<local part>.html` and `.txt`. */
export async function writePreview(
  store: Store,
  config: Config,
  options: PreviewOptions = {},
): Promise<PreviewResult> {
  const { edition, stored } = choosePreviewEdition(store, { week: options.week, now: options.now });
  const reader = choosePreviewReader(loadPreviewReaders(store, config), options.subscriberEmail);
  const templates = loadTemplates(config.templatesDir);
  const prepared = await preparePreview(edition, templates, config);
  const email = await renderPreviewEmail(prepared, config, reader.subscriber);

  const outDir = options.outDir ? resolve(config.cwd, options.outDir) : config.previewDir;
  mkdirSync(outDir, { recursive: true });
  const name = `${edition.id}-${safeLocalPart(reader.subscriber.email)}`;
  const htmlPath = join(outDir, `${name}.html`);
  const textPath = join(outDir, `${name}.txt`);
  writeFileSync(htmlPath, email.rendered.html);
  writeFileSync(textPath, email.rendered.text);
  return {
    htmlPath,
    textPath,
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
