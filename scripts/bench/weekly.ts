// Weekly-run benchmark: the time of one whole `paperwire run` as a command (spawn to exit),
// the way the Monday job runs, against local Hugging Face and arXiv APIs in another process
// (scripts/bench/_api-servers.ts: 500 Daily Papers in the week plus 20 of the Friday before,
// 100 cs.CL submissions, 50 of them on both) and 10,000 subscribers written to the outbox.
// The run fetches the last complete week (6 HF pages, 1 arXiv request), freezes the edition
// of 550 papers, renders and writes 10,000 messages. Two rounds, each in a fresh project;
// the JSON log splits each into fetch + freeze (start to "sending") and delivery.
//
//   node --import tsx scripts/bench/weekly.ts     prints the figures
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/index.ts';
import { addWeeks, isoWeekOf, weekDays } from '../../src/week.ts';
import { cleanEnv, runPaperwire, startPaperwire } from '../../test/helpers/cli.ts';
import { jsonLines } from '../../test/schedule/helpers.ts';
import { benchSubscribersYaml } from './_subscriber-list.ts';
import type { BenchResult } from './index.ts';

const SUBSCRIBERS = 10_000;
const ROUNDS = 2;
const TOPICS = ['diffusion', 'quantization', 'agents', 'reasoning', 'benchmarks'];
const here = fileURLToPath(new URL('.', import.meta.url));

/** Starts the API servers' process for `week`; resolves to their URLs and a stop function. */
async function startApis(week: string): Promise<{ hf: string; arxiv: string; stop(): void }> {
  const child: ChildProcess = fork(join(here, '_api-servers.ts'), [week, weekDays(week).from], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const urls = await new Promise<{ hf: string; arxiv: string }>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { type: string; hf: string; arxiv: string }) => {
      if (message.type === 'listening') resolve(message);
    });
  });
  return { ...urls, stop: () => child.disconnect() };
}

/** A project folder with 10,000 subscribers and the live sources pointed at the local APIs. */
function makeProject(root: string, name: string, apis: { hf: string; arxiv: string }) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'subscribers.yaml'), benchSubscribersYaml(SUBSCRIBERS, TOPICS));
  const env = {
    PATH: process.env.PATH ?? '',
    STATE_DIR: 'var',
    SUBSCRIBERS_FILE: 'subscribers.yaml',
    TEMPLATES_DIR: DEFAULT_TEMPLATES_DIR,
    SOURCES: 'hf, arxiv:cat:cs.CL',
    HF_API_URL: apis.hf,
    ARXIV_API_URL: apis.arxiv,
    SCHEDULE_TZ: 'UTC',
    LOG_FORMAT: 'json',
  };
  return { dir, env };
}

/** One `paperwire run`, timed from spawn to exit; the JSON log gives when delivery began. */
async function timedRun(project: { dir: string; env: Record<string, string> }) {
  const started = performance.now();
  const startedAt = Date.now();
  const { code, stdout, stderr } = await startPaperwire(['run'], { cwd: project.dir, env: project.env })
    .exited;
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`bench: paperwire run exited ${code}\n${stdout}\n${stderr}`);
  const sending = jsonLines(stderr).find((entry) => entry.msg.startsWith('sending edition'));
  const sendingAt = sending ? Date.parse(String(sending.time)) : Number.NaN;
  return { seconds, fetchSeconds: (sendingAt - startedAt) / 1000, stdout };
}

export async function run(): Promise<BenchResult[]> {
  // The edition the run sends: the last complete week by this machine's clock.
  const week = addWeeks(isoWeekOf(new Date()), -1);
  // Build dist/ first, so the rounds time the run, not the build.
  runPaperwire(['--version'], { cwd: tmpdir(), env: cleanEnv() });
  const root = mkdtempSync(join(tmpdir(), 'paperwire-bench-weekly-'));
  const apis = await startApis(week);
  try {
    const rounds: { seconds: number; fetchSeconds: number }[] = [];
    let papers = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const project = makeProject(root, `round-${round}`, apis);
      const result = await timedRun(project);
      const sent = /^edition (\S+): sent (\d+)/m.exec(result.stdout);
      if (!sent || sent[1] !== week || Number(sent[2]) !== SUBSCRIBERS) {
        throw new Error(`bench: expected edition ${week} sent to ${SUBSCRIBERS}:\n${result.stdout}`);
      }
      const files = readdirSync(join(project.dir, 'var', 'outbox', week)).length;
      if (files !== SUBSCRIBERS) throw new Error(`bench: ${files} .eml files, not ${SUBSCRIBERS}`);
      papers = Number(/^total: (\d+) new/m.exec(result.stdout)?.[1] ?? 0);
      rounds.push(result);
      rmSync(project.dir, { recursive: true, force: true });
    }
    const best = Math.min(...rounds.map((r) => r.seconds));
    const each = rounds.map(
      (r) => `${r.seconds.toFixed(1)} s (fetch + freeze ${r.fetchSeconds.toFixed(1)} s)`,
    );
    return [
      {
        name: `one weekly run: ${papers} papers of ${week} from the local HF and arXiv APIs, ${SUBSCRIBERS.toLocaleString('en-US')} subscribers to the outbox`,
        value: Number(best.toFixed(1)),
        unit: 's',
        detail: `best of ${ROUNDS}, whole process: ${each.join('; ')}; ${Math.round(SUBSCRIBERS / best)} messages/s overall`,
      },
    ];
  } finally {
    apis.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  for (const result of await run())
    console.log(`${result.name}: ${result.value} ${result.unit} — ${result.detail}`);
}
