// Run by fetch-limits.test.ts in a child process: ingests the URL in argv[2] into a fresh
// store and prints the source's report and the process's peak memory as one JSON line.
// A child, so that a crash or a runaway heap cannot take the test runner with it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestSources } from '../../src/ingest/index.ts';
import { openStore } from '../../src/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperwire-limit-'));
const store = openStore(join(dir, 'paperwire.db'));
try {
  const report = await ingestSources(store, [process.argv[2]!], {
    fetchTimeoutMs: 20_000,
    fetchMaxAttempts: 1,
    clock: () => new Date(),
  });
  const source = report.sources[0]!;
  // resourceUsage().maxRSS is in kilobytes.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ problem: source.problem, peakRssMb })}\n`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
