// Render benchmark: one edition of 10 papers for 10,000 subscribers with 20
// distinct topic sets, through the prepared path (MJML once per content variant,
// precompiled Handlebars per subscriber), against rendering MJML once per
// subscriber for 200 of them, extrapolated per subscriber. The ratio must be ≥ 100.
//
//   node --import tsx scripts/bench/render.ts     prints the figures
import { pathToFileURL } from 'node:url';
import { rankPapers } from '../../src/edition/index.ts';
import { DEFAULT_TEMPLATES_DIR, loadTemplates, prepareEdition, renderEmail } from '../../src/render/index.ts';
import { buildVariant } from '../../src/render/variant.ts';
import type { Edition, StoredPaper, Subscriber } from '../../src/types.ts';
import type { BenchResult } from './index.ts';

const SUBSCRIBERS = 10_000;
const TOPIC_SETS = 20;
const BASELINE_SUBSCRIBERS = 200;
const FLOOR_RATIO = 100;

const TOPICS = [
  'diffusion',
  'quantization',
  'agents',
  'retrieval',
  'speech',
  'robotics',
  'alignment',
  'vision',
  'reasoning',
  'compilers',
];

/** Ten papers, each about one of TOPICS, with realistic lengths. */
function edition(): Edition {
  const papers: StoredPaper[] = TOPICS.map((topic, i) => ({
    id: `2611.${40000 + i}`,
    arxivId: `2611.${40000 + i}`,
    title: `Scaling ${topic} models with sparse updates and careful evaluation (${i})`,
    abstract:
      `We study ${topic} at scale. `.repeat(4) +
      'A longer explanation of the method and its results follows. '.repeat(12),
    authors: ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov'],
    links: {
      page: `https://huggingface.co/papers/2611.${40000 + i}`,
      arxiv: `https://arxiv.org/abs/2611.${40000 + i}`,
      pdf: `https://arxiv.org/pdf/2611.${40000 + i}`,
      code: `https://github.com/example/${topic}`,
    },
    upvotes: 200 - i * 7,
    keywords: [topic],
    aiSummary: i % 2 === 0 ? `A one-line summary of the ${topic} paper.` : null,
    publishedAt: '2026-11-24T00:00:00.000Z',
    source: 'hf-daily-papers',
    origin: 'bench',
    seq: i + 1,
    firstSeenAt: '2026-11-24T00:00:00.000Z',
    updatedAt: '2026-11-24T00:00:00.000Z',
    featuredOn: '2026-11-24',
    upvotesObservedAt: '2026-11-24T00:00:00.000Z',
  }));
  return {
    id: '2026-W48',
    createdAt: '2026-11-23T08:00:00.000Z',
    previousId: null,
    papers: rankPapers(papers),
  };
}

/** 20 distinct topic sets: each topic alone, then each with the next one. */
function topicSets(): string[][] {
  const sets = TOPICS.map((topic) => [topic]);
  for (let i = 0; sets.length < TOPIC_SETS; i++) sets.push([TOPICS[i]!, TOPICS[(i + 1) % TOPICS.length]!]);
  return sets;
}

function subscribers(count: number): Subscriber[] {
  const sets = topicSets();
  return Array.from({ length: count }, (_, i) => ({
    email: `reader.${i}@example.org`,
    name: `Reader ${i}`,
    topics: sets[i % sets.length]!,
  }));
}

/** CPU milliseconds (user + system) since `start`: steadier than wall time on a shared machine. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const unsubscribeUrl = (s: Subscriber) =>
  `https://news.example.org/unsubscribe?t=${Buffer.from(s.email).toString('base64url')}.c2lnbmF0dXJl`;

/** Runs the benchmark and returns its figures. */
export async function run(): Promise<BenchResult[]> {
  const templates = loadTemplates(DEFAULT_TEMPLATES_DIR);
  const theEdition = edition();
  const options = { maxPapers: 10 };
  const readers = subscribers(SUBSCRIBERS);
  // Warm-up (not measured): import MJML and let the JIT see every path, so both
  // measurements below run warm.
  const warm = await prepareEdition(theEdition, templates, options);
  for (const reader of readers.slice(0, TOPIC_SETS * 5)) {
    await renderEmail(warm, reader, { unsubscribeUrl: unsubscribeUrl(reader) });
  }

  const started = performance.now();
  const startedCpu = process.cpuUsage();
  const prepared = await prepareEdition(theEdition, templates, options);
  for (const reader of readers) {
    await renderEmail(prepared, reader, { unsubscribeUrl: unsubscribeUrl(reader) });
  }
  const preparedMs = performance.now() - started;
  const preparedCpuMs = cpuMs(startedCpu);
  const preparedPer = preparedCpuMs / SUBSCRIBERS;

  let bytes = 0;
  for (const reader of readers.slice(0, TOPIC_SETS)) {
    const email = await renderEmail(prepared, reader, { unsubscribeUrl: unsubscribeUrl(reader) });
    bytes = Math.max(bytes, Buffer.byteLength(email.html));
  }

  const baselineStarted = process.cpuUsage();
  for (const reader of readers.slice(0, BASELINE_SUBSCRIBERS)) {
    const content = prepared.contentFor(reader.topics);
    const values = {
      subscriber: { name: reader.name ?? '', email: reader.email },
      unsubscribeUrl: unsubscribeUrl(reader),
      preferencesUrl: null,
    };
    const variant = await buildVariant(prepared.context, content);
    variant.html(values);
    variant.text(values);
    variant.subject(values);
  }
  const baselinePer = cpuMs(baselineStarted) / BASELINE_SUBSCRIBERS;
  const ratio = baselinePer / preparedPer;

  return [
    {
      name: 'render: 10,000 subscribers, 20 topic sets, prepared path',
      value: Math.round(preparedCpuMs),
      unit: 'ms CPU',
      detail: `${preparedPer.toFixed(3)} ms CPU per subscriber (${Math.round(preparedMs)} ms wall), ${prepared.variantCount} content variants, largest HTML ${bytes} bytes`,
    },
    {
      name: 'render: MJML once per subscriber (200, extrapolated)',
      value: Number(baselinePer.toFixed(2)),
      unit: 'ms CPU per subscriber',
      detail: `${Math.round((baselinePer * SUBSCRIBERS) / 1000)} s for 10,000 subscribers`,
    },
    {
      name: 'render: prepared path speed-up',
      value: Math.round(ratio),
      unit: '×',
      floor: FLOOR_RATIO,
      ok: ratio >= FLOOR_RATIO,
      detail: 'MJML per subscriber ÷ prepared path, CPU time per subscriber',
    },
  ];
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  // Not through index.ts's formatter: importing the runner would run every benchmark.
  for (const result of await run()) {
    const verdict = result.ok === undefined ? '    ' : result.ok ? 'ok  ' : 'FAIL';
    console.log(`${verdict} ${result.name}: ${result.value} ${result.unit} — ${result.detail ?? ''}`);
  }
}
