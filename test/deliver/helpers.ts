import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Config, type Env, loadConfig } from '../../src/config/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import type { Paper, RenderedEmail, Subscriber } from '../../src/types.ts';
import { cleanEnv, PAPERWIRE_BIN, runPaperwire } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';

export { tempDir };

/** A config whose state lives in `dir`, plus `env`. */
export function testConfig(dir: string, env: Env = {}): Config {
  return loadConfig({ STATE_DIR: join(dir, 'var'), ...env }, dir);
}

/** Opens the config's store, closed after the test. */
export function testStore(t: TestContext, config: Config): Store {
  const store = openStore(config.dbPath);
  t.after(() => store.close());
  return store;
}

/** Inserts an (empty) edition row so ledger rows can point at it. */
export function addEdition(store: Store, id: string, previousId: string | null = null): void {
  store.db
    .prepare(
      'INSERT INTO editions (id, created_at, previous_id, through_seq, paper_count) VALUES (?, ?, ?, 0, 0)',
    )
    .run(id, new Date().toISOString(), previousId);
}

/** `count` subscribers `s0@example.org` …, every third with a name and topics. */
export function makeSubscribers(count: number, domain = 'example.org'): Subscriber[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `s${i}@${domain}`,
    name: i % 3 === 0 ? `Subscriber ${i}` : null,
    topics: i % 3 === 0 ? ['agents'] : [],
  }));
}

/** A cheap stand-in for renderEmail. */
export function simpleRender(subscriber: Subscriber): RenderedEmail {
  const who = subscriber.name ?? subscriber.email;
  return {
    subject: 'Papers of the week',
    html: `<html><body><p>Hello ${who}</p></body></html>`,
    text: `Hello ${who}`,
  };
}

/** A ledger row as the tests look at it. */
export interface LedgerRow {
  email: string;
  status: string;
  attempts: number;
  message_id: string;
  smtp_code: number | null;
  enhanced_code: string | null;
  response: string | null;
}

/** Ledger rows of an edition, keyed by address. */
export function ledgerRows(store: Store, editionId: string): Map<string, LedgerRow> {
  const rows = store.db.prepare('SELECT * FROM ledger WHERE edition_id = ?').all(editionId) as LedgerRow[];
  return new Map(rows.map((row) => [row.email, row]));
}

/** Retry without waiting. */
export const noDelay = (): number => 0;

/** The `paperwire` executable, for tests that run the CLI as a child process. */
export const paperwireBin = PAPERWIRE_BIN;

/** Runs `paperwire ARGS` in `cwd` with only `env` (plus PATH) and waits for it. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Env },
): { status: number | null; stdout: string; stderr: string } {
  return runPaperwire(args, { cwd: options.cwd, env: cleanEnv(options.env) });
}

/** `count` papers as ingest would produce them, with keywords the sample topics match. */
export function makePapers(count: number, prefix = 'paper'): Paper[] {
  const topics = ['diffusion', 'quantization', 'agents', 'reasoning'];
  return Array.from({ length: count }, (_, i) => ({
    id: `2611.${String(10000 + i)}`,
    arxivId: `2611.${String(10000 + i)}`,
    title: `A ${prefix} about ${topics[i % topics.length]} number ${i}`,
    abstract: `We study ${topics[i % topics.length]} and report results. `.repeat(12).trim(),
    authors: ['Ada Lovelace', 'Alan Turing'],
    links: { arxiv: `https://arxiv.org/abs/2611.${String(10000 + i)}` },
    upvotes: 100 - i,
    keywords: [topics[i % topics.length]!],
    aiSummary: null,
    publishedAt: '2026-11-20T00:00:00.000Z',
    source: 'paperwire-json',
    origin: 'test',
  }));
}
