// Where paperwire's own files are (the bundled templates, package.json), found from
// this file wherever it runs: from src/ through tsx, or compiled into dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of paperwire's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'paperwire'
    ) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`paperwire's package.json is not above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The root folder of the paperwire package. */
export const PACKAGE_ROOT = packageRoot();

/** The version in package.json. */
export const VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
