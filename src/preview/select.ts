// What a preview shows: an edition (the one `send` would send now, or a given
// week's) and a reader (a listed subscriber, or a sample one). The app layer finds
// them (src/app/preview.ts); these are the shapes and the choice of reader.
import { PaperwireError } from '../errors.ts';
import { addressKey } from '../identity.ts';
import type { Edition, Subscriber } from '../types.ts';

/** The edition a preview renders, and whether it is stored or only what the next one would be. */
export interface PreviewEditionChoice {
  edition: Edition;
  /** False when the edition is not frozen yet: what `send` would freeze now. */
  stored: boolean;
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
