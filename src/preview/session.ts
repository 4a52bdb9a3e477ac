// What the preview server renders, cached until something it depends on changes:
// the templates, the subscriber list (both watched) or the store (checked per request).
import { PaperwireError } from '../errors.ts';
import type { PreparedEdition } from '../render/index.ts';
import type { Subscriber } from '../types.ts';
import type { PreviewEmail } from './email.ts';
import type { PreviewEditionChoice, PreviewReaders } from './select.ts';

/** Who the newsletter is, as the preview shows it: LIST_NAME, LIST_ID, POSTAL_ADDRESS, ARCHIVE_URL. */
export interface NewsletterInfo {
  name: string;
  listId: string;
  postalAddress: string | null;
  archiveUrl: string | null;
}

/** Where the preview's data comes from (the app layer provides it: src/app/preview.ts). */
export interface PreviewSource {
  /** The newsletter's identity settings. */
  newsletter(): NewsletterInfo;
  /** The edition to show (E_NO_EDITION when there is none). */
  edition(): PreviewEditionChoice;
  /** The subscriber list, or the sample reader. */
  readers(): PreviewReaders;
  /** Loads the templates and prepares `edition` (E_TEMPLATE when one is broken). */
  prepare(edition: PreviewEditionChoice): Promise<PreparedEdition>;
  /** Renders one reader's email from a prepared edition. */
  render(prepared: PreparedEdition, subscriber: Subscriber): Promise<PreviewEmail>;
  /** A number that changes when another process commits to the store (e.g. `paperwire ingest`). */
  version(): number;
}

/** A computed value or the error computing it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(compute: () => T): Outcome<T> {
  try {
    return { ok: true, value: compute() };
  } catch (error) {
    return { ok: false, error };
  }
}

async function attemptAsync<T>(compute: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await compute() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** How many recently shown subscribers are rendered ahead after a change. */
const RECENT_PAGES = 4;

interface Cache {
  storeVersion: number;
  readers?: Outcome<PreviewReaders>;
  edition?: Outcome<PreviewEditionChoice>;
  prepared?: Promise<Outcome<PreparedEdition>>;
  emails: Map<string, Promise<Outcome<PreviewEmail>>>;
}

/** The preview server's view of the world, rendered lazily and cached until `invalidate`. */
export class PreviewSession {
  private cache: Cache | null = null;
  /** Addresses whose pages were shown lately, newest last: rendered ahead after a change. */
  private readonly recent: string[] = [];

  constructor(private readonly source: PreviewSource) {}

  /** Drops everything rendered so far; the next request renders afresh. */
  invalidate(): void {
    this.cache = null;
  }

  /**
   * Starts rendering what open pages will ask for after a change, so the work
   * overlaps with the browser's reload instead of following it.
   */
  warm(): void {
    void this.prepared();
    for (const email of [...this.recent].reverse()) void this.email(email);
  }

  /** A number that changes when another process commits to the store (e.g. `paperwire ingest`). */
  storeVersion(): number {
    return this.source.version();
  }

  private current(): Cache {
    const storeVersion = this.storeVersion();
    if (!this.cache || this.cache.storeVersion !== storeVersion) {
      this.cache = { storeVersion, emails: new Map() };
    }
    return this.cache;
  }

  /** The subscriber list (or the sample reader), or why it cannot be read. */
  readers(): Outcome<PreviewReaders> {
    const cache = this.current();
    cache.readers ??= attempt(() => this.source.readers());
    return cache.readers;
  }

  /** The edition `send` would send now (or the asked-for week's), or why there is none. */
  edition(): Outcome<PreviewEditionChoice> {
    const cache = this.current();
    cache.edition ??= attempt(() => this.source.edition());
    return cache.edition;
  }

  /** The edition prepared with the current templates, or why that fails (a broken template). */
  prepared(): Promise<Outcome<PreparedEdition>> {
    const cache = this.current();
    if (!cache.prepared) {
      const edition = this.edition();
      cache.prepared = edition.ok
        ? attemptAsync(() => this.source.prepare(edition.value))
        : Promise.resolve(edition);
    }
    return cache.prepared;
  }

  /** The email for the reader with address `email` (who must be one of `readers()`). */
  email(email: string): Promise<Outcome<PreviewEmail>> {
    this.remember(email);
    const cache = this.current();
    let rendered = cache.emails.get(email);
    if (!rendered) {
      rendered = (async (): Promise<Outcome<PreviewEmail>> => {
        const readers = this.readers();
        if (!readers.ok) return readers;
        const reader = readers.value.readers.find((candidate) => candidate.subscriber.email === email);
        if (!reader) {
          const error = new PaperwireError('E_USAGE', `${email} is not on the subscriber list (any more)`, {
            hint: 'Go back to the start page: it lists the subscribers as the file has them now.',
          });
          return { ok: false, error };
        }
        const prepared = await this.prepared();
        if (!prepared.ok) return prepared;
        return attemptAsync(() => this.source.render(prepared.value, reader.subscriber));
      })();
      cache.emails.set(email, rendered);
    }
    return rendered;
  }

  private remember(email: string): void {
    const known = this.recent.indexOf(email);
    if (known >= 0) this.recent.splice(known, 1);
    this.recent.push(email);
    if (this.recent.length > RECENT_PAGES) this.recent.shift();
  }
}
