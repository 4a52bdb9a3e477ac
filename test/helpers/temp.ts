// A temp folder per test, removed when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh `paperwire-*` folder under the system temp dir, removed after the test `t`. */
export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
