// Send benchmark. An SMTP sink runs in a separate process on loopback
// (scripts/bench/_smtp-sink.ts). Against it, in the same run:
//
// 1. throughput — bare nodemailer pooled sending of 5,000 pre-rendered ~63 KB
//    messages, against `paperwire send` (sendEdition: subscriber list, freeze,
//    templates, render per subscriber, ledger, pool) for 5,000 subscribers. Rounds
//    alternate bare / paperwire / paperwire / bare so drift on a shared machine
//    hits both; the figure is the ratio paperwire / bare (floor 0.8).
// 2. whole process — `paperwire send --yes` to 2,000 subscribers as a command (start-up
//    included), against a plain Node script (_bare-send.mjs) sending one pre-rendered
//    message 2,000 times through a pool of 5, both timed from spawn to exit, alternating;
//    the figure is bare time / paperwire time (≥ 1: paperwire is no slower).
// 3. memory — peak RSS of a whole send of 1,000 and of 20,000 subscribers, each in
//    its own child process (this file with --child, reading
//    process.resourceUsage().maxRSS); the ratio must stay under 1.5.
//
//   node --import tsx scripts/bench/send.ts     prints the figures
//   BENCH_SEND_MESSAGES=2000 BENCH_SEND_SKIP_RSS=1 …   a quicker throughput-only run (profiling)
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import { sendEdition } from '../../src/app/send.ts';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { freezeEdition } from '../../src/edition/index.ts';
import { silentLogger } from '../../src/log.ts';
import {
  DEFAULT_TEMPLATES_DIR,
  loadTemplates,
  prepareEdition,
  renderEmail,
  renderOptionsFrom,
} from '../../src/render/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { Paper, RenderedEmail } from '../../src/types.ts';
import { bodyUnsubscribeUrl } from '../../src/unsubscribe/index.ts';
import { isoWeekOf } from '../../src/week.ts';
import { benchSubscribersYaml } from './_subscriber-list.ts';
import type { BenchResult } from './index.ts';

const MESSAGES = Number(process.env.BENCH_SEND_MESSAGES ?? 5_000);
/** Subscribers of the whole-process comparison. */
const PROCESS_MESSAGES = 2_000;
const FLOOR_PROCESS_RATIO = 1;
const PAPERWIRE_BIN = fileURLToPath(new URL('../paperwire.mjs', import.meta.url));
const RSS_SMALL = 1_000;
const RSS_LARGE = 20_000;
const FLOOR_RATIO = 0.8;
const CEILING_RSS_RATIO = 1.5;
/** 25 of 40 papers with the default templates gives ~63 KB of HTML. */
const PAPERS = 40;
const MAX_PAPERS = '25';
const MAIL_FROM = 'Paper digest <digest@news.example.org>';
/** A Monday: paperwire sends the week before's edition then, which takes these undated papers all. */
const NOW = new Date('2026-11-23T08:00:00Z');
const TOPICS = ['diffusion', 'quantization', 'agents', 'reasoning'];

const here = fileURLToPath(new URL('.', import.meta.url));

function papers(): Paper[] {
  return Array.from({ length: PAPERS }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length]!;
    const id = `2611.${String(10_000 + i)}`;
    return {
      id,
      arxivId: id,
      title: `Scaling ${topic} with sparse attention, part ${i}`,
      abstract:
        `We study ${topic} at scale and show that a simple baseline matches prior work at a fraction of the cost. `.repeat(
          6,
        ),
      authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
      links: { arxiv: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
      upvotes: 200 - i,
      keywords: [topic],
      aiSummary: null,
      publishedAt: '2026-11-20T00:00:00.000Z',
      source: 'paperwire-json',
      origin: 'bench',
    };
  });
}

/** A project folder: a store with this week's papers and a YAML list of `count` subscribers. */
function makeProject(
  root: string,
  name: string,
  count: number,
  port: number,
): { dir: string; env: Record<string, string> } {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'subscribers.yaml'), benchSubscribersYaml(count, TOPICS));
  const env = {
    STATE_DIR: 'var',
    SUBSCRIBERS_FILE: 'subscribers.yaml',
    TEMPLATES_DIR: DEFAULT_TEMPLATES_DIR,
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    MAIL_FROM,
    MAX_PAPERS,
    LOG_FORMAT: 'text',
  };
  const store = openStore(loadConfig(env, dir).dbPath);
  store.papers.upsert(papers(), NOW);
  store.close();
  return { dir, env };
}

/** The sink process, and a way to ask how many messages it has accepted. */
interface Sink {
  port: number;
  count(): Promise<number>;
  stop(): void;
}

async function startSink(): Promise<Sink> {
  const child: ChildProcess = fork(join(here, '_smtp-sink.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { type: string; port?: number }) => {
      if (message.type === 'listening' && message.port) resolve(message.port);
    });
  });
  return {
    port,
    count: () =>
      new Promise((resolve) => {
        const onMessage = (message: { type: string; count?: number }): void => {
          if (message.type !== 'count') return;
          child.off('message', onMessage);
          resolve(message.count ?? 0);
        };
        child.on('message', onMessage);
        child.send({ type: 'count' });
      }),
    stop: () => child.disconnect(),
  };
}

/** Renders a hundred subscribers' emails once; the bare sender cycles through them. */
async function preRender(config: Config): Promise<RenderedEmail[]> {
  const store = openStore(config.dbPath);
  try {
    // Freezing here is the same freeze paperwire does; its own project is separate.
    const frozen = freezeEdition(store, isoWeekOf(NOW), NOW);
    const edition = frozen.status === 'nothing-new' ? null : frozen.edition;
    if (!edition) throw new Error('bench: no edition to render');
    const prepared = await prepareEdition(
      edition,
      loadTemplates(config.templatesDir),
      renderOptionsFrom(config, edition.id),
    );
    const out: RenderedEmail[] = [];
    for (let i = 0; i < 100; i++) {
      out.push(
        await renderEmail(
          prepared,
          { email: `s${i}@example.org`, name: `Subscriber ${i}`, topics: [TOPICS[i % 4]!] },
          { unsubscribeUrl: bodyUnsubscribeUrl(config, `s${i}@example.org`) },
        ),
      );
    }
    return out;
  } finally {
    store.close();
  }
}

/** Bare nodemailer: every message handed to a pool at once; messages per second. */
async function bareRun(
  port: number,
  rendered: RenderedEmail[],
  round: number,
  count = MESSAGES,
): Promise<number> {
  const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port, maxConnections: 5 });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const content = rendered[i % rendered.length]!;
      return transport.sendMail({
        from: MAIL_FROM,
        to: { name: `Subscriber ${i}`, address: `s${i}@example.org` },
        subject: content.subject,
        html: content.html,
        text: content.text,
        messageId: `<bench-${round}.${i}@news.example.org>`,
        headers: {
          'List-Id': '<weekly.paperwire.invalid>',
          'List-Unsubscribe': '<mailto:digest@news.example.org?subject=unsubscribe>',
        },
      });
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  transport.close();
  return count / seconds;
}

/** `paperwire send` through the library for a fresh project; messages per second. */
async function paperwireRun(project: { dir: string; env: Record<string, string> }): Promise<number> {
  const config = loadConfig(project.env, project.dir);
  const store = openStore(config.dbPath);
  try {
    const start = performance.now();
    const result = await sendEdition({ store, config, log: silentLogger, clock: () => NOW }, { yes: true });
    const seconds = (performance.now() - start) / 1000;
    if (result.kind !== 'delivered' || result.summary.sent !== MESSAGES) {
      throw new Error(`bench: paperwire send did not deliver ${MESSAGES}: ${JSON.stringify(result)}`);
    }
    return MESSAGES / seconds;
  } finally {
    store.close();
  }
}

/** Peak RSS (MB) of a whole send in a child process. */
function childRss(project: { dir: string; env: Record<string, string> }, expected: number): number {
  // The child runs in the project folder, where a bare `tsx` would not resolve.
  const args = ['--import', import.meta.resolve('tsx'), fileURLToPath(import.meta.url), '--child'];
  const result = spawnSync(process.execPath, args, {
    cwd: project.dir,
    env: { ...process.env, ...project.env },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  let figures: { maxRssKb: number; sent: number };
  try {
    figures = JSON.parse(line) as { maxRssKb: number; sent: number };
  } catch {
    throw new Error(`bench: the send child failed (${result.status}): ${result.stderr}`);
  }
  if (figures.sent !== expected) throw new Error(`bench: the child sent ${figures.sent}, not ${expected}`);
  return figures.maxRssKb / 1024;
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Wall time (s) of a command from spawn to exit; throws unless it exits 0. */
function timed(args: string[], options: { cwd: string; env: Record<string, string | undefined> }): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {
    ...options,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0)
    throw new Error(`bench: ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return seconds;
}

/** `paperwire send` to PROCESS_MESSAGES subscribers as a whole process vs the bare script; bare time / paperwire time. */
function wholeProcess(
  root: string,
  port: number,
  rendered: RenderedEmail,
): { ratio: number; detail: string } {
  const messageFile = join(root, 'message.json');
  writeFileSync(
    messageFile,
    JSON.stringify({
      from: MAIL_FROM,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: {
        'List-Id': '<weekly.paperwire.invalid>',
        'List-Unsubscribe': '<mailto:digest@news.example.org?subject=unsubscribe>',
      },
    }),
  );
  const bareScript = fileURLToPath(new URL('./_bare-send.mjs', import.meta.url));
  const bare = (): number =>
    timed([bareScript, String(port), String(PROCESS_MESSAGES), messageFile], {
      cwd: root,
      env: { PATH: process.env.PATH },
    });
  const paperwire = (n: number): number => {
    const project = makeProject(root, `process-${n}`, PROCESS_MESSAGES, port);
    return timed([PAPERWIRE_BIN, 'send', '--yes'], {
      cwd: project.dir,
      env: { PATH: process.env.PATH, ...project.env },
    });
  };
  // The CLI is built (dist/) before anything is timed, as after an install.
  timed([PAPERWIRE_BIN, '--version'], { cwd: root, env: { PATH: process.env.PATH } });
  const bareTimes = [bare()];
  const paperwireTimes = [paperwire(1), paperwire(2)];
  bareTimes.push(bare());
  return {
    ratio: mean(bareTimes) / mean(paperwireTimes),
    detail: `${PROCESS_MESSAGES} messages, spawn to exit: paperwire send ${paperwireTimes.map((v) => v.toFixed(2)).join(', ')} s, bare nodemailer script ${bareTimes.map((v) => v.toFixed(2)).join(', ')} s`,
  };
}

/** Runs the benchmark. */
export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'paperwire-bench-send-'));
  const sink = await startSink();
  try {
    const projects = [1, 2].map((n) => makeProject(root, `throughput-${n}`, MESSAGES, sink.port));
    const rendered = await preRender(
      loadConfig(makeProject(root, 'render', 1, sink.port).env, join(root, 'render')),
    );
    const htmlKb = Buffer.byteLength(rendered[0]!.html) / 1024;

    // Warm both paths (JIT, connections, MJML loaded) on a small run, outside the measurement.
    await bareRun(sink.port, rendered, 0, 500);
    const bare: number[] = [];
    const paperwire: number[] = [];
    let cpu = process.cpuUsage();
    const note = (what: string, rate: number): void => {
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      const perMessage = (used.user + used.system) / 1000 / MESSAGES;
      process.stderr.write(
        `  ${what}: ${rate.toFixed(0)} msg/s, ${perMessage.toFixed(2)} ms CPU per message\n`,
      );
    };
    bare.push(await bareRun(sink.port, rendered, 1));
    note('bare', bare[0]!);
    paperwire.push(await paperwireRun(projects[0]!));
    note('paperwire', paperwire[0]!);
    paperwire.push(await paperwireRun(projects[1]!));
    note('paperwire', paperwire[1]!);
    bare.push(await bareRun(sink.port, rendered, 2));
    note('bare', bare[1]!);
    const ratio = mean(paperwire) / mean(bare);
    const whole = wholeProcess(root, sink.port, rendered[1]!);

    const throughput: BenchResult[] = [
      {
        name: 'send throughput, paperwire send / bare nodemailer pool',
        value: ratio,
        unit: '×',
        floor: FLOOR_RATIO,
        ok: ratio >= FLOOR_RATIO,
        detail: `in-process, ${MESSAGES} messages of ${htmlKb.toFixed(0)} KB HTML to a loopback sink process: paperwire ${paperwire.map((v) => v.toFixed(0)).join(', ')} msg/s, bare ${bare.map((v) => v.toFixed(0)).join(', ')} msg/s`,
      },
      {
        name: 'send as a whole process, bare script time / paperwire send time',
        value: whole.ratio,
        unit: '×',
        floor: FLOOR_PROCESS_RATIO,
        ok: whole.ratio >= FLOOR_PROCESS_RATIO,
        detail: whole.detail,
      },
      {
        name: 'send throughput, paperwire send',
        value: Math.round(mean(paperwire)),
        unit: 'messages/s',
        detail: 'subscriber list, freeze, render, ledger and SMTP pool included',
      },
    ];
    if (process.env.BENCH_SEND_SKIP_RSS) return throughput;
    const small = childRss(makeProject(root, 'rss-small', RSS_SMALL, sink.port), RSS_SMALL);
    const large = childRss(makeProject(root, 'rss-large', RSS_LARGE, sink.port), RSS_LARGE);
    const rssRatio = large / small;

    return [
      ...throughput,
      {
        name: `send peak RSS, ${RSS_LARGE.toLocaleString('en')} / ${RSS_SMALL.toLocaleString('en')} subscribers`,
        value: rssRatio,
        unit: '×',
        floor: CEILING_RSS_RATIO,
        ok: rssRatio < CEILING_RSS_RATIO,
        detail: `ceiling, not floor: ${small.toFixed(0)} MB → ${large.toFixed(0)} MB (whole send in a child process)`,
      },
    ];
  } finally {
    sink.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** In the child: one whole send of the project in the working directory. */
async function child(): Promise<{ maxRssKb: number; sent: number }> {
  const config = loadConfig(process.env, process.cwd());
  const store = openStore(config.dbPath);
  try {
    const result = await sendEdition({ store, config, log: silentLogger, clock: () => NOW }, { yes: true });
    return {
      maxRssKb: process.resourceUsage().maxRSS,
      sent: result.kind === 'delivered' ? result.summary.sent : 0,
    };
  } finally {
    store.close();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === '--child') {
  console.log(JSON.stringify(await child()));
} else if (isMain) {
  // Not through index.ts's formatter: importing the runner would run every benchmark.
  for (const result of await run()) {
    const verdict = result.ok === undefined ? '    ' : result.ok ? 'ok  ' : 'FAIL';
    const value = Number.isInteger(result.value) ? result.value : result.value.toFixed(2);
    console.log(`${verdict} ${result.name}: ${value} ${result.unit} — ${result.detail ?? ''}`);
  }
}
