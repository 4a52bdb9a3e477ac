// What a preview shows: which edition (the one `send` would send now, or a given
// week's) and for which reader (a listed subscriber, or a sample one).
import { existsSync } from 'node:fs';
import type { Config } from '../config/index.ts';
import { getEdition, isoWeekOf, latestEdition, parseWeek, previewEdition } from '../edition/index.ts';
import { PaperwireError } from '../errors.ts';
import type { Store } from '../store/index.ts';
import { findSuppression } from '../store/suppressions.ts';
import { addressKey, loadSubscribers } from '../subscribers/index.ts';
import type { Edition, Subscriber } from '../types.ts';

/** The edition a preview renders, and whether it is stored or only what the next one would be. */
export interface PreviewEditionChoice {
  edition: Edition;
  /** False when the edition is not frozen yet: what `send` would freeze now. */
  stored: boolean;
}

/** The given week's edition, else the edition `send` would send now (this week's, else the next one). */
export function choosePreviewEdition(
  store: Store,
  options: { week?: string; now?: Date } = {},
): PreviewEditionChoice {
  const now = options.now ?? new Date();
  if (options.week !== undefined) {
    parseWeek(options.week);
    const edition = getEdition(store, options.week.trim());
    if (!edition) {
      const latest = latestEdition(store);
      throw new PaperwireError('E_NO_EDITION', `there is no edition ${options.week} in ${store.path}`, {
        hint: latest
          ? `The latest edition is ${latest.id} (\`paperwire editions\` lists them all); leave out --week to preview the next one.`
          : 'No edition has been created yet; leave out --week to preview what the next one would be.',
      });
    }
    return { edition, stored: true };
  }
  const current = getEdition(store, isoWeekOf(now));
  if (current) return { edition: current, stored: true };
  const next = previewEdition(store, { now });
  if (next) return { edition: next, stored: false };
  const latest = latestEdition(store);
  if (latest) {
    throw new PaperwireError(
      'E_NO_EDITION',
      `nothing new since edition ${latest.id}: no next edition to preview`,
      {
        hint: `Run \`paperwire ingest\` to add papers, or preview the last edition with \`paperwire preview --week ${latest.id}\`.`,
      },
    );
  }
  throw new PaperwireError('E_NO_EDITION', `no papers in ${store.path} yet: nothing to preview`, {
    hint: 'Run `paperwire ingest` first: with no argument it reads every file in INBOX_DIR (data/inbox/).',
  });
}

/** A reader shown when there is no subscriber list yet. */
export const SAMPLE_READER: Subscriber = { email: 'reader@example.org', name: null, topics: [] };

/** One person a preview can be rendered for. */
export interface PreviewReader {
  subscriber: Subscriber;
  /** True when the address has unsubscribed (or bounced): `send` skips it. */
  suppressed: boolean;
}

/** The readers a preview can show: the subscriber list, or the sample reader when there is no list file. */
export interface PreviewReaders {
  readers: PreviewReader[];
  /** `file` = read from `file`; `sample` = the file does not exist, so the sample reader stands in. */
  source: 'file' | 'sample';
  file: string;
  /** Lines of the list that are not valid subscribers (shown, never fatal). */
  invalid: { line: number; value: string; reason: string }[];
}

/** Loads the subscriber list for previewing, marking the suppressed ones. */
export function loadPreviewReaders(store: Store, config: Config): PreviewReaders {
  const file = config.subscribersFile;
  if (!existsSync(file)) {
    return {
      readers: [{ subscriber: SAMPLE_READER, suppressed: false }],
      source: 'sample',
      file,
      invalid: [],
    };
  }
  const list = loadSubscribers(file);
  const readers = list.subscribers.map((subscriber) => ({
    subscriber,
    suppressed: findSuppression(store, subscriber.email) !== null,
  }));
  return { readers, source: 'file', file, invalid: list.invalid };
}

/** The reader with address `email` (E_USAGE when not on the list), else the first active one. */
export function choosePreviewReader(list: PreviewReaders, email?: string): PreviewReader {
  if (email !== undefined) {
    const key = addressKey(email);
    const found = list.readers.find((reader) => addressKey(reader.subscriber.email) === key);
    if (!found) {
      throw new PaperwireError('E_USAGE', `${email} is not on the subscriber list ${list.file}`, {
        hint:
          list.source === 'sample'
            ? `That file does not exist yet; create it (see \`paperwire subscribers --help\`) or leave out --subscriber to preview for ${SAMPLE_READER.email}.`
            : 'Check the spelling, or leave out --subscriber to preview for the first subscriber.',
      });
    }
    return found;
  }
  // Everyone unsubscribed still leaves a preview worth seeing: fall back to the first.
  const reader = list.readers.find((candidate) => !candidate.suppressed) ?? list.readers[0];
  return reader ?? { subscriber: SAMPLE_READER, suppressed: false };
}
