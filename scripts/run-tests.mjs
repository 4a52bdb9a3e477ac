#!/usr/bin/env node
// Runs every test/**/*.test.ts file with node's own test runner.
// `node scripts/run-tests.mjs deliver render/layout` runs the files whose path contains a part.
//
// The test files are compiled first, with esbuild, into one bundle per file (src/ and the
// test helpers inside it, the npm packages left as imports; shared code split into chunks),
// and node runs the bundles. Each test file is a process of its own, and running the sources
// through tsx made every one of them resolve and transform some 150 modules through tsx's
// hooks: about a fifth of the suite's CPU time. `import.meta.url` keeps the address of the
// file it is written in, so fixtures and child scripts are found as from the sources.
// TEST_TSX=1 runs the sources through tsx instead, the way they were written.
// TEST_NODE_ARGS adds options to node's, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
// Node 20's `--test` does not expand globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COMPILE_OPTIONS } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

/** The project's own TypeScript with `import.meta.url` replaced by the address of its source file. */
const keepSourceUrls = {
  name: 'keep-source-urls',
  setup(build) {
    const own = new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(src|test)/.*\\.ts$`);
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!own.test(args.path)) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

/** Compiles the test files into OUT (same relative paths, `.mjs`) and returns the bundles' paths. */
async function bundle(files, out) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: files.map((file) => join(root, file)),
    outdir: out,
    outbase: root,
    outExtension: { '.js': '.mjs' },
    // As the CLI is compiled: the npm packages load as they do for it, by node from node_modules.
    ...COMPILE_OPTIONS,
    // A failing assertion's stack names the .ts line (node --enable-source-maps below).
    sourcemap: 'linked',
    plugins: [keepSourceUrls],
    logLevel: 'error',
  });
  return files.map((file) => join(out, file.replace(/\.ts$/, '.mjs')));
}

/** Deletes the bundles of runs that were interrupted (their process is gone). */
function removeAbandoned(builds) {
  if (!existsSync(builds)) return;
  for (const name of readdirSync(builds)) {
    try {
      process.kill(Number(name), 0);
    } catch (error) {
      if (error.code === 'ESRCH') rmSync(join(builds, name), { recursive: true, force: true });
    }
  }
}

const filter = process.argv.slice(2);
const files = findTests(join(root, 'test'))
  .filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filter.join(' ') || 'test/**/*.test.ts'}`);
  process.exit(1);
}
// Four files at a time on two cores: many tests mostly wait (on a server's pacing, a timer,
// a browser), so two at a time leave the cores idle a third of the time; more than four
// measured no faster. TEST_CONCURRENCY overrides it.
const concurrency = Number(process.env.TEST_CONCURRENCY) || 4;
const runner = [
  ...(process.env.TEST_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-timeout=120000',
];

let args;
let out = null;
if (process.env.TEST_TSX === '1') {
  args = ['--import', 'tsx', ...runner, ...files];
} else {
  // Inside node_modules so the bundles' package imports resolve as from src/; one folder per
  // run, so two runs in one checkout do not clash.
  const builds = join(root, 'node_modules', '.cache', 'paperwire-tests');
  removeAbandoned(builds);
  out = join(builds, String(process.pid));
  mkdirSync(out, { recursive: true });
  args = ['--enable-source-maps', ...runner, ...(await bundle(files, out))];
}
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (out) rmSync(out, { recursive: true, force: true });
process.exit(result.status ?? 1);
