// A preview playground: a temp folder with a real store holding fourteen papers,
// a copy of the default templates (so tests may edit them) and a subscriber list.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { Paper } from '../../src/types.ts';

/** The repository's default templates. */
export const DEFAULT_TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));

const TITLES: [title: string, upvotes: number, keywords: string[]][] = [
  ['Curriculum Sampling for Masked Image Pretraining', 210, ['self-supervised learning']],
  ['Sparse Mixture Routers Without Load Balancing Losses', 185, ['mixture of experts']],
  ['A Tale of Two Tokenizers: Byte-Level versus Subword Models at Scale', 160, ['tokenization']],
  ['Diffusion Policies for Dexterous In-Hand Manipulation', 150, ['diffusion', 'robotics']],
  ['Calibrated Uncertainty for Retrieval-Augmented Question Answering', 131, ['retrieval']],
  ['When Do Reasoning Traces Help? A Controlled Study', 120, ['reasoning']],
  ['Low-Rank Adapters Forget Less Than You Think', 99, ['fine-tuning']],
  ['Quantized KV Caches for Million-Token Contexts', 87, ['quantization', 'long context']],
  ['Self-Play Fine-Tuning for Theorem Provers', 75, ['theorem proving']],
  ['Evaluating Code Agents on Long-Lived Repositories & <Legacy> Systems', 63, ['agents']],
  ['Gaussian Splatting in the Wild with Transient Objects', 41, ['3d vision']],
  ['Multilingual Speech Recognition for Low-Resource Dialects', 30, ['speech']],
  ['Graph Transformers Meet Molecular Dynamics', 22, ['chemistry']],
  ['Protein Language Models Know About Stability', 9, ['biology', 'diffusion']],
];

/** Fourteen papers, most upvoted first, written for these tests. */
export const PREVIEW_PAPERS: Paper[] = TITLES.map(([title, upvotes, keywords], index) => {
  const arxivId = `2611.${String(11000 + index * 37).padStart(5, '0')}`;
  return {
    id: arxivId,
    arxivId,
    title,
    abstract: `We study ${title.toLowerCase()}. Our experiments on three benchmarks show consistent gains over strong baselines, and we release code and checkpoints.`,
    authors: ['Mira Okafor', 'Tomás Lindqvist', 'Hye-jin Park', 'Arjun Mehta', 'Lena Vogel'].slice(
      0,
      2 + (index % 4),
    ),
    links: {
      page: `https://huggingface.co/papers/${arxivId}`,
      arxiv: `https://arxiv.org/abs/${arxivId}`,
      pdf: `https://arxiv.org/pdf/${arxivId}`,
      ...(index % 3 === 0 ? { code: `https://github.com/example/paper-${index}` } : {}),
    },
    upvotes,
    keywords,
    aiSummary: null,
    publishedAt: '2026-11-20T00:00:00.000Z',
    source: 'hf-daily-papers',
    origin: 'test/preview/fixture.ts',
  };
});

/** The ISO week of the fixture papers' publishedAt (20 November 2026). */
export const FIXTURE_WEEK = '2026-W47';

/** The titles an email lists as its top N (the edition ranks by upvotes, as listed above). */
export function topTitles(n = 10): string[] {
  return PREVIEW_PAPERS.slice(0, n).map((paper) => paper.title);
}

/** Three subscribers: one with topics, one whose name needs escaping, one bare address. */
export const SUBSCRIBERS_YAML = `subscribers:
  - email: ada@example.org
    name: Ada
    topics: [quantization, diffusion]
  - email: grace@example.org
    name: Grace <b>Admiral</b>
    topics: [speech]
  - linus@example.org
`;

/** A temp folder laid out like an operator's checkout. */
export interface Playground {
  dir: string;
  /** The environment a child `paperwire` process needs to use this folder. */
  env: Record<string, string>;
  config: Config;
  store: Store;
  templatesDir: string;
  subscribersFile: string;
}

/** Creates a playground (removed after the test); `subscribers: null` leaves the list file out. */
export function playground(
  t: TestContext,
  options: { subscribers?: string | null; papers?: Paper[]; now?: Date; env?: Record<string, string> } = {},
): Playground {
  const dir = mkdtempSync(join(tmpdir(), 'paperwire-'));
  const templatesDir = join(dir, 'templates');
  const subscribersFile = join(dir, 'subscribers.yaml');
  cpSync(DEFAULT_TEMPLATES, templatesDir, { recursive: true });
  const subscribers = options.subscribers === undefined ? SUBSCRIBERS_YAML : options.subscribers;
  if (subscribers !== null) writeFileSync(subscribersFile, subscribers);
  const env = {
    STATE_DIR: join(dir, 'var'),
    TEMPLATES_DIR: templatesDir,
    SUBSCRIBERS_FILE: subscribersFile,
    // The edition of the fixture papers' own week (their publishedAt), whatever today is.
    EDITION_WEEK: FIXTURE_WEEK,
    ...options.env,
  };
  const config = loadConfig(env, dir);
  const store = openStore(config.dbPath);
  const papers = options.papers ?? PREVIEW_PAPERS;
  if (papers.length) store.papers.upsert(papers, options.now ?? new Date());
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, env, config, store, templatesDir, subscribersFile };
}

/** `papers` as a paperwire entries file (the format `paperwire ingest` reads), for CLI tests. */
export function entriesFile(papers: Paper[] = PREVIEW_PAPERS): string {
  return JSON.stringify({
    format: 'paperwire-entries/1',
    papers: papers.map((paper) => ({
      id: paper.arxivId,
      title: paper.title,
      abstract: paper.abstract,
      authors: paper.authors,
      links: paper.links,
      upvotes: paper.upvotes,
      keywords: paper.keywords,
      publishedAt: paper.publishedAt?.slice(0, 10),
    })),
  });
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** The words of an HTML email as a reader sees them: styles and tags dropped, entities decoded, spaces collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<(style|title)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return String.fromCodePoint(code);
      }
      return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, ' ');
}

/** Plain text with every run of white space (line wraps, indents) made one space. */
export function flowed(text: string): string {
  return text.replace(/\s+/g, ' ');
}
