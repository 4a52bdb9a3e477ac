// What a source names: a live source that knows the week (`hf`, `arxiv:QUERY`), an http(s) URL,
// or a file or folder. One rule, used alike by the settings (SOURCES) and by ingest.
import { isAbsolute, resolve } from 'node:path';
import { isHttpUrl } from '../urls.ts';

/** A source as ingest reads it. */
export type SourceSpec =
  /** The Hugging Face Daily Papers of the week being fetched. */
  | { kind: 'hf' }
  /** The arXiv API: papers matching `query` submitted in the week being fetched. */
  | { kind: 'arxiv'; query: string }
  | { kind: 'url'; url: string }
  /** A file, or a folder whose files are read. */
  | { kind: 'path'; path: string };

/** HF_API_URL when unset: the API the `hf` source asks. */
export const DEFAULT_HF_API_URL = 'https://huggingface.co';
/** ARXIV_API_URL when unset: the API the `arxiv:` sources ask. */
export const DEFAULT_ARXIV_API_URL = 'https://export.arxiv.org';

const ARXIV_PREFIX = /^arxiv:/i;

/** What `source` names; anything that is not `hf`, `arxiv:…` or an http(s) URL is a path. */
export function classifySource(source: string): SourceSpec {
  const text = source.trim();
  if (text.toLowerCase() === 'hf') return { kind: 'hf' };
  // Runs of spaces are one: the query is also the source's name in the store.
  if (ARXIV_PREFIX.test(text))
    return { kind: 'arxiv', query: text.replace(ARXIV_PREFIX, '').trim().replace(/\s+/g, ' ') };
  if (isHttpUrl(text)) return { kind: 'url', url: text };
  return { kind: 'path', path: source };
}

/** True for a source that fetches a given week (`hf`, `arxiv:QUERY`) rather than reading what is there. */
export function isLiveSource(source: string): boolean {
  const kind = classifySource(source).kind;
  return kind === 'hf' || kind === 'arxiv';
}

/** True when every `(` has its `)` and quotes come in pairs. */
function balanced(query: string): boolean {
  let depth = 0;
  for (const char of query.replace(/"[^"]*"/g, '')) {
    if (char === '"') return false;
    if (char === '(') depth++;
    if (char === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Why `source` cannot be a source, or null when it can (whether a path exists is found out on reading it). */
export function sourceProblem(source: string): string | null {
  const text = source.trim();
  const spec = classifySource(text);
  if (spec.kind === 'arxiv') {
    if (spec.query === '') return 'arxiv: needs a query after the colon, e.g. arxiv:cat:cs.CL';
    if (!balanced(spec.query)) return 'the arXiv query has an unclosed parenthesis or quote';
    return null;
  }
  if (spec.kind === 'url') return URL.canParse(text) ? null : 'not a valid URL';
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(text)) return 'a URL, but only http and https are read';
  if (/^hf:/i.test(text)) return 'hf takes nothing after it: the week comes from the edition';
  if (text.toLowerCase() === 'arxiv') return 'write arxiv:QUERY, e.g. arxiv:cat:cs.CL';
  return null;
}

/** `source` as ingest takes it: live sources in one spelling (`hf`, `arxiv:QUERY`), paths made absolute. */
export function resolveSource(source: string, cwd: string): string {
  const spec = classifySource(source);
  if (spec.kind === 'hf') return 'hf';
  if (spec.kind === 'arxiv') return `arxiv:${spec.query}`;
  if (spec.kind === 'url') return spec.url;
  return isAbsolute(spec.path) ? spec.path : resolve(cwd, spec.path);
}
