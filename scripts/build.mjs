// Compiles the CLI (src/, TypeScript) into dist/ with esbuild: one ES-module bundle,
// split at the CLI's lazy imports so `paperwire --help` loads little, with the npm
// packages left as imports. The `paperwire` command (scripts/paperwire.mjs) calls
// `builtCli()`, which rebuilds only when a source file is newer than the last build,
// so a fresh clone needs no build step and an edit takes effect at the next run.
// `node scripts/build.mjs` builds by hand. A user who may not write the checkout (installed
// by root, run by a service user) and finds the build missing or stale runs the sources
// through tsx instead: slower to start, the same CLI.
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const stampFile = join(dist, 'current.json');

/**
 * How paperwire's TypeScript is compiled, for the CLI here and for the tests
 * (scripts/run-tests.mjs): ES modules for the oldest supported Node, split into shared
 * chunks, with the npm packages left for node to load from node_modules.
 */
export const COMPILE_OPTIONS = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
};

/** The newest modification time (ms) of the files the bundle is made from. */
function newestSource() {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return null;
  }
}

/** Builds dist/ now and returns the path of the CLI's entry module. */
export async function build() {
  const sourceTime = newestSource();
  const { build: esbuild } = await import('esbuild');
  mkdirSync(dist, { recursive: true });
  // A build of its own, published by one atomic rename of the stamp: two processes
  // building at once (parallel tests, say) never see each other's half-written files.
  const dir = `build-${Date.now()}-${process.pid}`;
  await esbuild({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outdir: join(dist, dir),
    ...COMPILE_OPTIONS,
    sourcemap: true,
    logLevel: 'error',
  });
  const temporary = `${stampFile}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ dir, sourceTime }));
  renameSync(temporary, stampFile);
  removeOldBuilds(dir);
  return join(dist, dir, 'main.js');
}

/** Deletes earlier builds, keeping recent ones a running process may still be importing from. */
function removeOldBuilds(keep) {
  const hour = 60 * 60 * 1000;
  for (const name of readdirSync(dist)) {
    if (!name.startsWith('build-') || name === keep) continue;
    const path = join(dist, name);
    if (Date.now() - statSync(path).mtimeMs > hour) rmSync(path, { recursive: true, force: true });
  }
}

/** True when this user may create and write dist/. */
function mayWriteDist() {
  try {
    mkdirSync(dist, { recursive: true });
    accessSync(dist, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of the CLI's entry module, building it first when it is missing or older than a
 * source file; src/cli/main.ts run through tsx when this user may not write the build.
 */
export async function builtCli() {
  const stamp = readStamp();
  if (stamp && stamp.sourceTime >= newestSource()) {
    const entry = join(dist, stamp.dir, 'main.js');
    if (existsSync(entry)) return entry;
  }
  if (mayWriteDist()) return build();
  const { register } = await import('tsx/esm/api');
  register();
  return join(root, 'src', 'cli', 'main.ts');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`built ${await build()}`);
}
