// A copy of the project as a fresh clone has it, for tests of `npm start` and of a new setup.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp.ts';

/** The repository the tests run in. */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A copy of the project as a fresh clone has it (the files git tracks, the installed
 * node_modules linked in): no developer's .env, var/ or dist/ comes along, so nothing
 * run in it can mail anyone. Files changed but not committed are copied as they are now.
 */
export function freshClone(t: { after(fn: () => void): void }): string {
  const dir = join(tempDir(t), 'paperwire');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  }).split('\0');
  for (const file of files.filter((name) => name && existsSync(join(repoRoot, name)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(dir, file));
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}
