#!/usr/bin/env node
// Runs every test/**/*.test.ts file with node's own test runner and tsx.
// Node 20's `--test` does not expand globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
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
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=120000', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
