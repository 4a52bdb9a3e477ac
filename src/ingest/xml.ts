// Reading XML that may be hostile. fast-xml-parser throws plain Errors for much
// of what a bad file holds (parameter or SYSTEM entities, a second DOCTYPE, an
// element named __proto__, deep nesting, entity limits): here each becomes an
// E_SOURCE_FORMAT naming the file, the place where there is one, and what is
// wrong. A DOCTYPE is refused outright before parsing: an arXiv feed has none,
// and without one no entity can be declared, expanded or fetched.
import { type XMLParser, XMLValidator } from 'fast-xml-parser';
import { PaperwireError } from '../errors.ts';
import { shorten } from '../text.ts';
import type { JsonObject } from './formats/fields.ts';
import { lineColumn } from './json.ts';
import { limitText, MAX_NESTING, MAX_XML_TAGS, occursMoreThan, overLimit } from './limits.ts';

// fast-xml-parser refuses these element names (they would reach an object's prototype).
const RESERVED_ELEMENT = /<\/?(?:[^\s<>/:!?]+:)?(__proto__|constructor|prototype)(?=[\s/>])/;
const DOCTYPE = /<!DOCTYPE/gi;

function notAFeed(origin: string, what: string): PaperwireError {
  return new PaperwireError('E_SOURCE_FORMAT', `${origin}: ${what}`, {
    hint: 'This is not an arXiv API answer, or it was altered: fetch the feed again, or move the file out of the inbox.',
  });
}

/** The DOCTYPE at `at` in words (`a DOCTYPE, declaring 3 entities`, `2 DOCTYPEs`), for the message refusing it. */
function doctypeContents(text: string, at: number, count: number): string {
  if (count > 1) return `${count} DOCTYPEs`;
  const subset = text.indexOf('[', at);
  const close = text.indexOf('>', at);
  const end = subset !== -1 && subset < close ? text.indexOf(']>', subset) : close;
  const declaration = text.slice(at, end === -1 ? at + 65_536 : end);
  if (/<!ENTITY\s+%/.test(declaration)) return 'a DOCTYPE, declaring a % parameter entity';
  if (/\b(?:SYSTEM|PUBLIC)\b/.test(declaration))
    return 'a DOCTYPE, naming an outside file or URL (SYSTEM or PUBLIC)';
  const entities = declaration.match(/<!ENTITY/g)?.length ?? 0;
  return entities > 0 ? `a DOCTYPE, declaring ${entities} entit${entities === 1 ? 'y' : 'ies'}` : 'a DOCTYPE';
}

/** Refuses, before any parsing, what an arXiv feed never holds: too many tags, a DOCTYPE, a reserved element name. */
function refuseHostileXml(text: string, origin: string): void {
  if (occursMoreThan(text, '<', MAX_XML_TAGS)) {
    throw overLimit(
      origin,
      `the XML has more than ${limitText(MAX_XML_TAGS)} tags (an arXiv answer of 2,000 entries has about 60,000)`,
    );
  }
  const doctypes = [...text.matchAll(DOCTYPE)];
  if (doctypes.length > 0) {
    const at = doctypes[0]!.index;
    throw notAFeed(
      origin,
      `line ${lineColumn(text, at).line}: the XML has ${doctypeContents(text, at, doctypes.length)}; an arXiv feed has none, and paperwire expands or fetches nothing from one`,
    );
  }
  const reserved = RESERVED_ELEMENT.exec(text);
  if (reserved) {
    throw notAFeed(
      origin,
      `line ${lineColumn(text, reserved.index).line}: an element named <${reserved[1]}>, a name no feed uses and paperwire refuses`,
    );
  }
}

/** The validator's complaint as a sentence with its place (it gives no column for some, and no useful place for unclosed elements). */
function validationProblem(error: { msg: string; line: number; col?: number }): string {
  const unclosed = /^Invalid '(\[.*\])' found\.$/s.exec(error.msg);
  if (unclosed) {
    const names = JSON.parse(unclosed[1]!) as string[];
    const shownNames = names
      .slice(0, 3)
      .map((name) => `<${name}>`)
      .join(', ');
    return `the file ends with ${names.length.toLocaleString('en-US')} elements still open (${shownNames}${names.length > 3 ? ', …' : ''}): it was cut off`;
  }
  if (error.msg === 'Start tag expected.') return 'it has no root element';
  const place = error.col === undefined ? `line ${error.line}` : `line ${error.line}, column ${error.col}`;
  const message = shorten(error.msg, 200);
  return `at ${place}: ${message}`;
}

/**
 * Parses XML `text` with `parser` after refusing what a feed never holds; malformed XML, and
 * anything the parser itself refuses, is E_SOURCE_FORMAT naming `origin` and the place.
 */
export function readXml(text: string, origin: string, parser: XMLParser): JsonObject {
  refuseHostileXml(text, origin);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new PaperwireError(
      'E_SOURCE_FORMAT',
      `${origin}: not well-formed XML: ${validationProblem(valid.err)}`,
      {
        hint: 'The feed is damaged or cut off: fetch it again, or fix the XML at that place.',
      },
    );
  }
  try {
    return parser.parse(text) as JsonObject;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/nested tags/i.test(message)) {
      throw overLimit(
        origin,
        `the XML elements are nested more than ${MAX_NESTING} levels deep (an arXiv feed nests 4)`,
      );
    }
    throw notAFeed(origin, `cannot be read as XML: ${shorten(message, 200)}`);
  }
}
