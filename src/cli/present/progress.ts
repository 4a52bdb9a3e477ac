// Progress of a send as a person sees it: a bar redrawn on one line on a terminal,
// otherwise (cron, systemd, a pipe) a plain line every few seconds.
import type { DeliveryProgress } from '../../deliver/index.ts';

/** Where and how progress is shown. */
export interface ProgressOutput {
  /** True on a terminal: redraw one line in place. */
  isTTY: boolean;
  /** Writes raw text (no newline added); used for the terminal bar. */
  write(text: string): void;
  /** Writes one line; used when not on a terminal. */
  writeLine(line: string): void;
  /** Time between plain lines; default 5 s. */
  intervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** Shows delivery progress; call `update` as messages finish and `done` at the end. */
export interface ProgressReporter {
  update(progress: DeliveryProgress): void;
  done(): void;
}

const BAR_WIDTH = 30;

/** The bar's text: `[#########.............]  120/500  sent 118  failed 2`. */
export function progressBar(progress: DeliveryProgress): string {
  const finished = progress.sent + progress.failed + progress.deferred;
  const filled = progress.total === 0 ? BAR_WIDTH : Math.round((finished / progress.total) * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
  const extra = progress.deferred ? `  deferred ${progress.deferred}` : '';
  return `[${bar}] ${finished}/${progress.total}  sent ${progress.sent}  failed ${progress.failed}${extra}`;
}

/** A reporter writing to `output`. */
export function createProgressReporter(output: ProgressOutput): ProgressReporter {
  const now = output.now ?? Date.now;
  const interval = output.intervalMs ?? 5000;
  let lastLine = now();
  let lastDraw = 0;
  let drawn = false;
  let latest: DeliveryProgress | null = null;
  return {
    update(progress) {
      latest = progress;
      const time = now();
      if (output.isTTY) {
        // Redrawing per message would cost more than sending; ten times a second is plenty.
        if (time - lastDraw < 100) return;
        lastDraw = time;
        output.write(`\r${progressBar(progress)}`);
        drawn = true;
      } else if (time - lastLine >= interval) {
        lastLine = time;
        output.writeLine(`progress: ${progressBar(progress).replace(/^\[[#.]+\] /, '')}`);
      }
    },
    done() {
      if (output.isTTY && latest) {
        output.write(`\r${progressBar(latest)}\n`);
      } else if (output.isTTY && drawn) output.write('\n');
    },
  };
}
