// Files the commands write for the operator (`paperwire archive`, `paperwire preview`):
// into `--out DIR` (relative to the working directory) or a folder of STATE_DIR, each
// under a temporary name renamed into place, so nothing (`paperwire serve`, a browser
// reloading the file) ever reads half a file.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PaperwireError } from '../errors.ts';

/** One file to write: its path relative to the output folder, and its content. */
export interface OutputFile {
  path: string;
  content: string;
}

/** The folder a command writes to: `outDir` (its --out, relative to `cwd`) or else `defaultDir`. */
export function outputDir(cwd: string, outDir: string | undefined, defaultDir: string): string {
  return outDir ? resolve(cwd, outDir) : defaultDir;
}

/**
 * Writes `files` into `dir`; E_USAGE naming the file when one cannot be written, with a hint
 * naming `defaultName`, the folder used without --out (e.g. `STATE_DIR/archive`).
 */
export function writeOutputFiles(dir: string, files: readonly OutputFile[], defaultName: string): void {
  for (const file of files) {
    const path = join(dir, file.path);
    const temporary = join(dirname(path), `.${process.pid}.tmp`);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(temporary, file.content);
      renameSync(temporary, path);
    } catch (error) {
      throw new PaperwireError('E_USAGE', `cannot write ${path}: ${(error as Error).message}`, {
        hint: `Choose a folder you may write to (--out DIR), or fix the permissions of ${defaultName}.`,
        cause: error,
      });
    }
  }
}
