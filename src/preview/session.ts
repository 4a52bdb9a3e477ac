// What the preview server renders, cached until something it depends on changes:
// the templates, the subscriber list (both watched) or the store (checked per request).
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import { loadTemplates, type PreparedEdition } from '../render/index.ts';
import type { Store } from '../store/index.ts';
import { type PreviewEmail, preparePreview, renderPreviewEmail } from './email.ts';
import {
  choosePreviewEdition,
  loadPreviewReaders,
  type PreviewEditionChoice,
  type PreviewReaders,
} from './select.ts';

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

  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly week?: string,
  ) {}

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
    return this.store.db.pragma('data_version', { simple: true }) as number;
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
    cache.readers ??= attempt(() => loadPreviewReaders(this.store, this.config));
    return cache.readers;
  }

  /** The edition `send` would send now (or the session's week), or why there is none. */
  edition(): Outcome<PreviewEditionChoice> {
    const cache = this.current();
    cache.edition ??= attempt(() => choosePreviewEdition(this.store, { week: this.week }));
    return cache.edition;
  }

  /** The edition prepared with the current templates, or why that fails (a broken template). */
  prepared(): Promise<Outcome<PreparedEdition>> {
    const cache = this.current();
    if (!cache.prepared) {
      const edition = this.edition();
      cache.prepared = edition.ok
        ? attemptAsync(() =>
            preparePreview(edition.value.edition, loadTemplates(this.config.templatesDir), this.config),
          )
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
        return attemptAsync(() => renderPreviewEmail(prepared.value, this.config, reader.subscriber));
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
