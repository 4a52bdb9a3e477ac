// A real small file system for the tests where the disk itself is the subject: a tmpfs
// of a few MB that fills up, or that is remounted read-only. Needs root (mount); the test
// is skipped with a message elsewhere, and fails instead when CI=true.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { skipUnlessCi } from './system.ts';

/** A mounted tmpfs: its folder, and how to change its size or make it read-only or writable again. */
export interface Tmpfs {
  dir: string;
  remount(options: string): void;
}

function mount(args: string[]): { ok: boolean; error: string } {
  const result = spawnSync('mount', args, { encoding: 'utf8' });
  return { ok: result.status === 0, error: `${result.error?.message ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Mounts a tmpfs of `size` (e.g. `2m`) for the test, unmounted after it; null (test skipped) where it cannot be mounted. */
export function mountTmpfs(t: TestContext, size: string): Tmpfs | null {
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-tmpfs-'));
  const mounted = mount(['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (!mounted.ok) {
    rmdirSync(dir);
    skipUnlessCi(t, `cannot mount a tmpfs here (needs root and mount): ${mounted.error}`);
    return null;
  }
  t.after(() => {
    spawnSync('umount', ['-l', dir]);
    rmdirSync(dir);
  });
  return {
    dir,
    remount(options) {
      const result = mount(['-o', `remount,${options}`, dir]);
      assert.ok(result.ok, `mount -o remount,${options} ${dir}: ${result.error}`);
    },
  };
}
