// Subscriber-list benchmark: a generated 20,000-subscriber YAML list and a 20,000-row
// listmonk CSV export are read by one child process per reader, so that each peak RSS
// is that reader's own, in one run, side by side:
//   - today's loadSubscribers (js-yaml for YAML, csv-parse for CSV) against the one at
//     BASELINE, the last commit with the hand-written readers (YAML cut into items and
//     each parsed alone by `yaml`; a character-by-character CSV reader);
//   - with and without invalid entries (today's reader looks lines up only for those);
//   - the plain whole-document YAML parses the reader was chosen from (js-yaml, yaml);
//   - the small shapes the tests use (the fixture lists), read 2,000 times.
// BASELINE's src/ is taken from git into node_modules/.cache for the run, so its
// imports resolve; without the git history those figures are left out.
//
//   node --import tsx scripts/bench/subscribers.ts     prints the figures
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './index.ts';

/** The last commit with the hand-written YAML item splitter and CSV reader. */
const BASELINE = 'd42f8a3f12bfb987a953b55c77d6229fb2267211';
const SUBSCRIBERS = 20_000;
const INVALID = 20;
const ROUNDS = 3;
const SMALL_READS = 2_000;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const TOPICS = ['diffusion', 'quantization', 'agents', 'reasoning', 'retrieval'];

/** A YAML list in the shapes people write: bare addresses, and entries with name and topics. */
function yamlList(invalid: number): string {
  const every = Math.floor(SUBSCRIBERS / Math.max(invalid, 1));
  let text = '# generated for the benchmark\nsubscribers:\n';
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const email = invalid > 0 && i % every === every - 1 ? `broken ${i}@example.org` : `s${i}@example.org`;
    const topic = (k: number): string => TOPICS[(i + k) % TOPICS.length]!;
    if (i % 4 === 0) text += `  - ${JSON.stringify(email)}\n`;
    else if (i % 4 === 1)
      text += `  - email: ${email}\n    name: Reader ${i}\n    topics: [${topic(0)}, ${topic(2)}]\n`;
    else if (i % 4 === 2) text += `  - email: "${email.toUpperCase()}"\n    name: "Reader, ${i}"\n`;
    else text += `  - email: ${email}\n    topics: ${topic(1)}, ${topic(3)}\n`;
  }
  return text;
}

/** A listmonk export (uuid,email,name,attributes,status,created_at,updated_at), as Go's csv writes it. */
function listmonkExport(): string {
  const statuses = ['enabled', 'enabled', 'enabled', 'disabled', 'blocklisted'];
  const rows = ['uuid,email,name,attributes,status,created_at,updated_at'];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const uuid = `${(Math.imul(i, 2654435761) >>> 0).toString(16).padStart(8, '0')}-1c2d-4e5f-8a9b-${String(i).padStart(12, '0')}`;
    const attributes =
      i % 3 === 0 ? '{}' : `"{""topics"": [""${TOPICS[i % 5]}"", ""agents""], ""city"": ""Town ${i}""}"`;
    const name = i % 7 === 0 ? `"Reader, ${i}"` : `Reader ${i}`;
    rows.push(
      `${uuid},s${i}@example.org,${name},${attributes},${statuses[i % 5]},2026-01-0${1 + (i % 9)} 10:00:00.123456 +0000 UTC,2026-02-01 10:00:00 +0000 UTC`,
    );
  }
  return `${rows.join('\n')}\n`;
}

/** What one child measured. */
interface ChildFigures {
  ms: number;
  /** Peak RSS of the child, and its RSS once everything was imported and the file read. */
  peakMb: number;
  startMb: number;
  count: number;
}

type Reader = (file: string, text: string) => number;

/** The readers a child can run; `src` is this tree's src/ or BASELINE's. */
async function reader(name: string, src: string): Promise<Reader> {
  if (name === 'loadSubscribers') {
    const { loadSubscribers } = (await import(pathToFileURL(join(src, 'subscribers/index.ts')).href)) as {
      loadSubscribers: (path: string) => { subscribers: unknown[] };
    };
    return (file) => loadSubscribers(file).subscribers.length;
  }
  if (name === 'js-yaml load') {
    const { load } = await import('js-yaml');
    return (_, text) => (load(text, { json: true }) as { subscribers: unknown[] }).subscribers.length;
  }
  if (name === 'yaml parse') {
    const { parse } = await import('yaml');
    return (_, text) => (parse(text, { uniqueKeys: false }) as { subscribers: unknown[] }).subscribers.length;
  }
  throw new Error(`no reader ${name}`);
}

/** In the child: read `file` with `name` `times` times. */
async function child(name: string, src: string, file: string, times: number): Promise<ChildFigures> {
  const read = await reader(name, src);
  const text = readFileSync(file, 'utf8');
  // A big list is read once, cold, as a command reads it; small ones warm up first (JIT).
  for (let n = 0; times > 1 && n < 200; n++) read(file, text);
  const startMb = process.memoryUsage().rss / 2 ** 20;
  const start = performance.now();
  let count = 0;
  for (let n = 0; n < times; n++) count = read(file, text);
  const ms = (performance.now() - start) / times;
  return { ms, peakMb: process.resourceUsage().maxRSS / 1024, startMb, count };
}

function runChild(name: string, src: string, file: string, times: number): ChildFigures {
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', self, '--child', name, src, file, String(times)],
    { encoding: 'utf8', maxBuffer: 1 << 20, cwd: repoRoot },
  );
  if (result.status !== 0) throw new Error(`subscribers benchmark child ${name} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ChildFigures;
}

/** BASELINE's src/ in a folder under node_modules (so its imports resolve), or null without git history. */
function baselineSource(dir: string): string | null {
  const archive = spawnSync('git', ['-C', repoRoot, 'archive', '--format=tar', BASELINE, 'src'], {
    maxBuffer: 64 << 20,
  });
  if (archive.status !== 0) return null;
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  return untar.status === 0 ? join(dir, 'src') : null;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Contender {
  label: string;
  reader: string;
  src: string;
  file: string;
  times: number;
}

/** Runs every contender ROUNDS times, in a rotating order, and keeps the medians. */
function measure(contenders: Contender[]): Map<string, ChildFigures> {
  const runs = new Map<string, ChildFigures[]>(contenders.map((c) => [c.label, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(k + round) % contenders.length]!;
      runs
        .get(contender.label)!
        .push(runChild(contender.reader, contender.src, contender.file, contender.times));
    }
  }
  return new Map(
    [...runs].map(([label, figures]) => [
      label,
      {
        ms: median(figures.map((f) => f.ms)),
        peakMb: median(figures.map((f) => f.peakMb)),
        startMb: median(figures.map((f) => f.startMb)),
        count: figures[0]!.count,
      },
    ]),
  );
}

const mb = (value: number): string => `${Math.round(value)} MB`;
const growth = (f: ChildFigures): number => Math.max(f.peakMb - f.startMb, 0);

/** Generates the lists, runs the children, and turns their figures into results. */
export async function run(): Promise<BenchResult[]> {
  const cache = join(repoRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'paperwire-bench-subscribers-'));
  try {
    const files = {
      yaml: join(dir, 'list.yaml'),
      yamlInvalid: join(dir, 'list-invalid.yaml'),
      csv: join(dir, 'export.csv'),
      smallYaml: join(repoRoot, 'test', 'fixtures', 'subscribers', 'list.yaml'),
      smallCsv: join(repoRoot, 'test', 'fixtures', 'subscribers', 'listmonk.csv'),
    };
    writeFileSync(files.yaml, yamlList(0));
    writeFileSync(files.yamlInvalid, yamlList(INVALID));
    writeFileSync(files.csv, listmonkExport());
    const now = join(repoRoot, 'src');
    const before = baselineSource(dir);

    const contenders: Contender[] = [
      { label: 'yaml now', reader: 'loadSubscribers', src: now, file: files.yaml, times: 1 },
      { label: 'yaml invalid now', reader: 'loadSubscribers', src: now, file: files.yamlInvalid, times: 1 },
      { label: 'js-yaml', reader: 'js-yaml load', src: now, file: files.yaml, times: 1 },
      { label: 'yaml', reader: 'yaml parse', src: now, file: files.yaml, times: 1 },
      { label: 'csv now', reader: 'loadSubscribers', src: now, file: files.csv, times: 1 },
      {
        label: 'small yaml now',
        reader: 'loadSubscribers',
        src: now,
        file: files.smallYaml,
        times: SMALL_READS,
      },
      {
        label: 'small csv now',
        reader: 'loadSubscribers',
        src: now,
        file: files.smallCsv,
        times: SMALL_READS,
      },
    ];
    if (before) {
      contenders.push(
        { label: 'yaml before', reader: 'loadSubscribers', src: before, file: files.yaml, times: 1 },
        {
          label: 'yaml invalid before',
          reader: 'loadSubscribers',
          src: before,
          file: files.yamlInvalid,
          times: 1,
        },
        { label: 'csv before', reader: 'loadSubscribers', src: before, file: files.csv, times: 1 },
        {
          label: 'small yaml before',
          reader: 'loadSubscribers',
          src: before,
          file: files.smallYaml,
          times: SMALL_READS,
        },
        {
          label: 'small csv before',
          reader: 'loadSubscribers',
          src: before,
          file: files.smallCsv,
          times: SMALL_READS,
        },
      );
    }
    const figures = measure(contenders);
    const get = (label: string): ChildFigures => figures.get(label)!;
    const results: BenchResult[] = [];

    const compare = (name: string, label: string, unit: 'ms' | 'µs'): void => {
      // Big lists are judged, on time and peak memory; small ones show the fixed cost of one read.
      const big = unit === 'ms';
      const scale = big ? 1 : 1000;
      const shown = (f: ChildFigures): string => (f.ms * scale).toFixed(big ? 0 : 1);
      const memory = (f: ChildFigures): string =>
        big ? `, peak RSS ${mb(f.peakMb)} (+${mb(growth(f))} while reading)` : '';
      const current = get(`${label} now`);
      const previous = figures.get(`${label} before`);
      if (!previous) {
        results.push({
          name,
          value: Number(shown(current)),
          unit,
          detail: `${memory(current).slice(2)}; no baseline (${BASELINE.slice(0, 7)} is not in this git history)`,
        });
        return;
      }
      const ratio = current.ms / previous.ms;
      results.push({
        name,
        value: Number(shown(current)),
        unit,
        detail: `before (${BASELINE.slice(0, 7)}) ${shown(previous)} ${unit}: ${ratio.toFixed(2)}× the time${memory(current)}${big ? `; before${memory(previous)}` : ''}`,
      });
      if (!big) return;
      results.push({
        name: `${name}: time now ÷ before`,
        value: Number(ratio.toFixed(2)),
        unit: '×',
        floor: 1,
        ok: ratio <= 1,
        detail: 'at most 1: a library replaces hand-written code only if it is at least as fast',
      });
      const memoryRatio = current.peakMb / previous.peakMb;
      results.push({
        name: `${name}: peak RSS now ÷ before`,
        value: Number(memoryRatio.toFixed(2)),
        unit: '×',
        floor: 1.05,
        ok: memoryRatio <= 1.05,
        detail: 'at most 1 (+5 % for the noise of a shared machine): and at least as lean',
      });
    };
    compare(`YAML, ${SUBSCRIBERS.toLocaleString('en')} subscribers`, 'yaml', 'ms');
    compare(
      `YAML, ${SUBSCRIBERS.toLocaleString('en')} subscribers, ${INVALID} invalid (lines looked up)`,
      'yaml invalid',
      'ms',
    );
    compare(`listmonk CSV export, ${SUBSCRIBERS.toLocaleString('en')} rows`, 'csv', 'ms');
    compare('the fixture YAML list (test shapes), one read', 'small yaml', 'µs');
    compare('the fixture listmonk CSV (test shapes), one read', 'small csv', 'µs');
    for (const label of ['js-yaml', 'yaml'] as const) {
      const parse = get(label);
      results.push({
        name: `whole-document parse of the YAML list with ${label === 'yaml' ? "yaml's parse" : "js-yaml's load"}`,
        value: Math.round(parse.ms),
        unit: 'ms',
        detail: `peak RSS ${mb(parse.peakMb)} (+${mb(growth(parse))} while reading)`,
      });
    }
    const counts = [...figures.values()].filter((f) => f.count <= 0);
    if (counts.length > 0) throw new Error('a reader of the subscribers benchmark read nobody');
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === '--child') {
  const [name, src, file, times] = process.argv.slice(3) as [string, string, string, string];
  console.log(JSON.stringify(await child(name, src, file, Number(times))));
} else if (isMain) {
  // Not through index.ts's formatter: importing the runner would run every benchmark.
  for (const result of await run()) {
    const verdict = result.ok === undefined ? '    ' : result.ok ? 'ok  ' : 'FAIL';
    console.log(`${verdict} ${result.name}: ${result.value} ${result.unit} — ${result.detail ?? ''}`);
  }
}
