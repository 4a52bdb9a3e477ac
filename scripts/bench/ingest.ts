// Ingest benchmark: a generated 20,000-entry Hugging Face daily papers file is
// ingested into a fresh store by a child process (so its peak RSS is the
// ingest's own, read from process.resourceUsage().maxRSS), then ingested again
// (every entry known: the refresh path).
//
//   node --import tsx scripts/bench/ingest.ts     prints the figures
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './index.ts';

const ENTRIES = 20_000;
const FLOOR_ENTRIES_PER_SECOND = 10_000;
const CEILING_RSS_MB = 400;

const WORDS =
  'diffusion quantization agents reasoning transformer sparse attention latent policy benchmark tokens scaling retrieval alignment distillation memory'.split(
    ' ',
  );

/** A realistic daily-papers item: wrapped title and summary, authors with ids, keywords, sometimes a repo. */
function item(n: number): unknown {
  const word = (k: number): string => WORDS[(n * 7 + k * 3) % WORDS.length]!;
  const sentence = (k: number): string =>
    `We study ${word(k)} and ${word(k + 1)} for ${word(k + 2)} models, and show that a simple\n${word(k + 3)} baseline matches prior work at a fraction of the cost. `;
  const summary = Array.from({ length: 8 }, (_, k) => sentence(k)).join('');
  const id = `2611.${String(10_000 + n).padStart(5, '0')}`;
  const title = `Generated Paper ${n}: ${word(1)} Meets ${word(2)} in\n  ${word(3)} Models`;
  return {
    paper: {
      id,
      authors: Array.from({ length: 5 }, (_, k) => ({
        _id: `a${n}x${k}`,
        name: `Author ${n}-${k}`,
        hidden: false,
      })),
      publishedAt: '2026-11-18T10:00:00.000Z',
      title,
      summary,
      upvotes: n % 300,
      discussionId: `d${n}`,
      ai_keywords: [word(0), word(4), word(5)],
      ...(n % 3 === 0 ? { githubRepo: `lab-${n}/repo-${n}` } : {}),
    },
    publishedAt: '2026-11-18T05:00:00.000Z',
    title,
    summary,
    numComments: n % 7,
    isAuthorParticipating: false,
  };
}

/** What the child reports. */
interface ChildFigures {
  firstMs: number;
  /** CPU time (user + system, all threads) of the first ingest. */
  firstCpuMs: number;
  secondMs: number;
  firstNew: number;
  secondNew: number;
  maxRssMb: number;
}

/** In the child: ingest `file` twice into a store at `db`. */
async function child(file: string, db: string): Promise<ChildFigures> {
  const { openStore } = await import('../../src/store/index.ts');
  const { ingestSources } = await import('../../src/ingest/index.ts');
  const store = openStore(db);
  const options = { fetchTimeoutMs: 1000, fetchMaxAttempts: 1, clock: () => new Date() };
  let start = performance.now();
  const cpuBefore = process.cpuUsage();
  const first = await ingestSources(store, [file], options);
  const firstMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const firstCpuMs = (cpu.user + cpu.system) / 1000;
  // The peak of one ingest of the file, before the refresh run adds its own garbage.
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  start = performance.now();
  const second = await ingestSources(store, [file], options);
  const secondMs = performance.now() - start;
  store.close();
  return {
    firstMs,
    firstCpuMs,
    secondMs,
    firstNew: first.totals.new,
    secondNew: second.totals.new,
    maxRssMb,
  };
}

/** Generates the file, runs the child, and turns its figures into results. */
export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-bench-'));
  try {
    const file = join(dir, 'daily.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: ENTRIES }, (_, n) => item(n))));
    const sizeMb = statSync(file).size / 2 ** 20;
    const self = fileURLToPath(import.meta.url);
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', self, '--child', file, join(dir, 'bench.db')],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (result.status !== 0) throw new Error(`ingest benchmark child failed: ${result.stderr}`);
    const figures = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ChildFigures;
    if (figures.firstNew !== ENTRIES || figures.secondNew !== 0) {
      throw new Error(
        `ingest benchmark stored ${figures.firstNew} then ${figures.secondNew} new, not ${ENTRIES} then 0`,
      );
    }
    const wallRate = Math.round(ENTRIES / (figures.firstMs / 1000));
    // The machine is shared: judge on CPU time (user + system, GC and I/O threads included), which
    // other people's load does not inflate; the wall-clock rate is shown beside it.
    const cpuRate = Math.round(ENTRIES / (figures.firstCpuMs / 1000));
    const refreshRate = Math.round(ENTRIES / (figures.secondMs / 1000));
    const rss = Math.round(figures.maxRssMb);
    return [
      {
        name: 'ingest 20,000 HF entries into a fresh store',
        value: cpuRate,
        unit: 'entries per CPU-second',
        floor: FLOOR_ENTRIES_PER_SECOND,
        ok: cpuRate >= FLOOR_ENTRIES_PER_SECOND,
        detail: `${(cpuRate / FLOOR_ENTRIES_PER_SECOND).toFixed(1)}× the floor; wall clock ${wallRate}/s on this (shared) machine; file ${sizeMb.toFixed(1)} MB`,
      },
      {
        name: 're-ingest the same file (all known, 0 new)',
        value: refreshRate,
        unit: 'entries/s',
        detail: `${(figures.secondMs / figures.firstMs).toFixed(2)}× the first ingest's time`,
      },
      {
        name: 'ingest process peak RSS',
        value: rss,
        unit: 'MB',
        ok: rss < CEILING_RSS_MB,
        detail: `must stay under ${CEILING_RSS_MB} MB (maxRSS of the child process, tsx included)`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === '--child') {
  const [file, db] = process.argv.slice(3) as [string, string];
  console.log(JSON.stringify(await child(file, db)));
} else if (isMain) {
  // Not through index.ts's formatter: importing the runner would run every benchmark.
  for (const result of await run()) {
    const verdict = result.ok === undefined ? '    ' : result.ok ? 'ok  ' : 'FAIL';
    console.log(`${verdict} ${result.name}: ${result.value} ${result.unit} — ${result.detail ?? ''}`);
  }
}
