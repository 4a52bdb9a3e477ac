import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Config, type Env, loadConfig } from '../../src/config/index.ts';
import { messageSettings } from '../../src/deliver/headers.ts';
import {
  type DeliverInput,
  type DeliverySummary,
  deliverEdition,
  planDelivery,
} from '../../src/deliver/index.ts';
import { messageIdDomain } from '../../src/deliver/message-id.ts';
import { createTransport, type SmtpTimeouts } from '../../src/deliver/transports/index.ts';
import type { Store } from '../../src/store/index.ts';
import type { LedgerRecord } from '../../src/store/ledger.ts';
import type { Paper, RenderedEmail, Subscriber, Transport } from '../../src/types.ts';
import { runCli } from '../helpers/cli.ts';
import { type SmtpSink, type SmtpSinkOptions, startSmtpSink } from '../helpers/smtp-sink.ts';
import { testStore } from '../helpers/store.ts';
import { tempDir } from '../helpers/temp.ts';

export { runCli, tempDir, testStore };

/** A config whose state lives in `dir`, plus `env`. */
export function testConfig(dir: string, env: Env = {}): Config {
  return loadConfig({ STATE_DIR: join(dir, 'var'), ...env }, dir);
}

/** Stores an (empty) edition so ledger rows can point at it. */
export function addEdition(store: Store, id: string, previousId: string | null = null): void {
  store.transaction(() =>
    store.editions.insert({ id, createdAt: new Date().toISOString(), previousId, papers: [] }, 0),
  );
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

/** Ledger rows of an edition, keyed by address. */
export function ledgerRows(store: Store, editionId: string): Map<string, LedgerRecord> {
  return new Map(store.ledger.records(editionId).map((row) => [row.email, row]));
}

/** Retry without waiting. */
export const noDelay = (): number => 0;

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

/** What deliverWith takes beyond the store, config, edition and subscribers. */
export type DeliverExtras = Partial<Omit<DeliverInput, 'plan'>> & {
  admitNewcomers?: boolean;
  transport: Transport;
};

/** Plans (admitting newcomers unless told otherwise) and runs deliverEdition with the config's settings. */
export function deliverWith(
  store: Store,
  config: Config,
  editionId: string,
  subscribers: readonly Subscriber[],
  extras: DeliverExtras,
): Promise<DeliverySummary> {
  const { admitNewcomers = true, ...rest } = extras;
  const plan = planDelivery(store, editionId, subscribers, admitNewcomers, messageIdDomain(config.mailFrom));
  return deliverEdition({
    ledger: store.ledger,
    suppressions: store.suppressions,
    message: messageSettings(config),
    maxAttempts: config.sendMaxAttempts,
    render: simpleRender,
    concurrency: 2 * config.smtpMaxConnections,
    retryDelayMs: noDelay,
    clock: () => new Date(),
    plan,
    ...rest,
  });
}

/** The From address of the SMTP delivery tests. */
export const SMTP_TEST_FROM = 'Paper digest <digest@news.example.org>';

/**
 * A local SMTP sink (started with `sinkOptions`, closed after the test), a config that sends
 * to it from SMTP_TEST_FROM with 3 attempts (plus `env`), and that config's store.
 */
export async function smtpSetUp(
  t: TestContext,
  env: Env = {},
  sinkOptions: SmtpSinkOptions = {},
): Promise<{ sink: SmtpSink; config: Config; store: Store }> {
  const sink = await startSmtpSink(sinkOptions);
  t.after(() => sink.close());
  const config = testConfig(tempDir(t), {
    SMTP_URL: sink.url,
    MAIL_FROM: SMTP_TEST_FROM,
    SEND_MAX_ATTEMPTS: '3',
    ...env,
  });
  return { sink, config, store: testStore(t, config) };
}

/** deliverWith through the transport the config names (SMTP or the outbox), made for this run and closed after it. */
export async function deliverThrough(
  store: Store,
  config: Config,
  editionId: string,
  subscribers: readonly Subscriber[],
  extras: Omit<DeliverExtras, 'transport'> & { smtpTimeouts?: SmtpTimeouts } = {},
): Promise<DeliverySummary> {
  const { smtpTimeouts, ...rest } = extras;
  const transport = await createTransport(config, { smtpTimeouts, log: extras.log });
  try {
    return await deliverWith(store, config, editionId, subscribers, { transport, ...rest });
  } finally {
    await transport.close();
  }
}
