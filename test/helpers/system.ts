// What a test needs of this machine (a program, root, a system user): one rule for when it
// is missing — the test is skipped saying why, or fails when CI=true, where nothing may pass
// by skipping.
import { existsSync, readFileSync } from 'node:fs';
import type { TestContext } from 'node:test';

/** Skips `t` saying `why`, or throws when CI=true. Returns false, for `if (!…) return`. */
export function skipUnlessCi(t: TestContext, why: string): false {
  if (process.env.CI === 'true') throw new Error(`${why}; CI=true makes this a failure`);
  t.skip(why);
  return false;
}

/** True when `path` (the program `what`) exists; otherwise skipUnlessCi, naming the install `hint`. */
export function requireInstalled(t: TestContext, what: string, path: string, hint: string): boolean {
  return existsSync(path) || skipUnlessCi(t, `${what} is not installed (${path} missing): ${hint}`);
}

/** The uid and gid of the system user `name` in /etc/passwd; throws naming the `reinstall` that creates it. */
export function systemUser(name: string, reinstall: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error(`no "${name}" user in /etc/passwd (${reinstall})`);
  return { uid: Number(uid), gid: Number(gid) };
}
