// The clip guard as the operator sees it: HTML bytes against Gmail's limit.
import { CLIP_LIMIT_BYTES } from '../render/index.ts';

export { CLIP_LIMIT_BYTES };

/** Past this many bytes the size meter turns red (90 KB). */
export const SIZE_WARNING_BYTES = 90 * 1024;

/** Bytes as kilobytes (1 KB = 1024 bytes) with one decimal, e.g. `54.2 KB`. */
export function formatKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** `HTML 54.2 KB, 45.8 KB under the 100 KB clip limit` (or `… over …`). */
export function describeHtmlSize(htmlBytes: number): string {
  const margin = CLIP_LIMIT_BYTES - htmlBytes;
  const side = margin >= 0 ? 'under' : 'over';
  return `HTML ${formatKb(htmlBytes)}, ${formatKb(Math.abs(margin))} ${side} the ${formatKb(CLIP_LIMIT_BYTES).replace('.0', '')} clip limit`;
}
