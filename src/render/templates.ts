// Loading an operator's template folder: every file is parsed and checked up
// front (Handlebars syntax, partials and helpers that exist), so a broken
// template fails before anything is rendered, naming its file and line.
import {
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  type Stats,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { BUNDLED_TEMPLATES_DIR } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';
import { safeUrl } from './escape.ts';

/** The default design shipped with paperwire (`templates/` in the package). */
export const DEFAULT_TEMPLATES_DIR = BUNDLED_TEMPLATES_DIR;

/** The files of a template folder, relative to it. */
export const TEMPLATE_FILES = {
  layout: 'digest.mjml.hbs',
  text: 'digest.txt.hbs',
  subject: 'subject.hbs',
} as const;
const PARTIALS_DIR = 'partials';

/** A compiled phase-1 template that names its file when it throws. */
export type PhaseOneTemplate = (view: object, runtime?: Handlebars.RuntimeOptions) => string;

/** A loaded, checked template folder. */
export interface Templates {
  dir: string;
  /** Renders the MJML layout (with its partials) for a view. */
  layout: PhaseOneTemplate;
  text: PhaseOneTemplate;
  subject: PhaseOneTemplate;
  /** Every MJML source (layout first, then partials) by its path relative to `dir`, to place MJML errors. */
  mjmlSources: { file: string; source: string }[];
  /** What the templates do that works but is unsafe (`{{{title}}}`), as `file:line: what` lines. */
  warnings: string[];
}

/** A template error that knows where it happened; turned into E_TEMPLATE by `templateError`. */
interface LocatedError extends Error {
  templateFile?: string;
  lineNumber?: number;
}

const HINT =
  'Fix that template (or run `paperwire init-templates DIR` for a fresh copy of the defaults); nothing was sent.';

/** An E_TEMPLATE error for `file` (relative to `dir`) at `line`. */
export function templateError(dir: string, file: string, line: number | null, what: string): PaperwireError {
  const where = line === null ? join(dir, file) : `${join(dir, file)}:${line}`;
  return new PaperwireError('E_TEMPLATE', `${where}: ${what}`, { hint: HINT });
}

/** Converts an error thrown while running a template into E_TEMPLATE naming its file and line. */
export function fromRenderError(dir: string, fallbackFile: string, error: unknown): PaperwireError {
  if (error instanceof PaperwireError) return error;
  const located = error as LocatedError;
  const what = String(located?.message ?? error).replace(/ - \d+:\d+$/, '');
  return templateError(dir, located.templateFile ?? fallbackFile, located.lineNumber ?? null, what);
}

function attribute<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error && typeof error === 'object' && !('templateFile' in error)) {
      (error as LocatedError).templateFile = file;
    }
    throw error;
  }
}

const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', 'blockHelperMissing']);

type HandlebarsEnv = ReturnType<typeof Handlebars.create>;

/** Registers the helpers every phase-1 template may use. */
function registerHelpers(hb: HandlebarsEnv): void {
  // {{{{personal}}}}…{{{{/personal}}}} keeps its content for phase 2 (per subscriber) untouched.
  hb.registerHelper('personal', (options: Handlebars.HelperOptions) => options.fn(undefined));
  // Defence in depth: views carry checked links already; this re-checks one in a template.
  hb.registerHelper('safeUrl', (value: unknown) => safeUrl(String(value ?? '')) ?? '');
  hb.registerHelper('plural', (count: unknown, singular: unknown, plural: unknown) =>
    Number(count) === 1 ? String(singular) : typeof plural === 'string' ? plural : `${singular}s`,
  );
  hb.registerHelper('wrap', (text: unknown, width: unknown, indent: unknown) =>
    wrapText(String(text ?? ''), Number(width) || 72, Number(indent) || 0),
  );
}

/** Wraps plain text into lines of at most `width` characters, indenting every line after the first by `indent` spaces. */
export function wrapText(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

interface AstNode {
  type: string;
  loc?: { start: { line: number } };
  path?: { type: string; original?: unknown };
  name?: { type: string; original?: unknown };
  params?: AstNode[];
  hash?: { pairs: { value: AstNode }[] };
  [key: string]: unknown;
}

/** Walks a Handlebars AST and reports the first partial or helper that is not registered. */
function checkNames(
  node: unknown,
  hb: HandlebarsEnv,
  partials: Set<string>,
): { line: number; what: string } | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = checkNames(child, hb, partials);
      if (found) return found;
    }
    return null;
  }
  if (!node || typeof node !== 'object') return null;
  const n = node as AstNode;
  const line = n.loc?.start.line ?? 0;
  if (
    (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') &&
    n.name?.type === 'PathExpression'
  ) {
    const name = String(n.name.original);
    if (!partials.has(name) && n.type === 'PartialStatement') {
      const known = [...partials].sort().join(', ') || 'none';
      return { line, what: `unknown partial "${name}" (partials: ${known})` };
    }
  }
  const called = n.type === 'SubExpression' || (n.params?.length ?? 0) > 0 || (n.hash?.pairs.length ?? 0) > 0;
  if (
    called &&
    (n.type === 'MustacheStatement' || n.type === 'BlockStatement' || n.type === 'SubExpression') &&
    n.path?.type === 'PathExpression'
  ) {
    const name = String(n.path.original);
    if (!BUILTIN_HELPERS.has(name) && !(name in hb.helpers))
      return { line, what: `unknown helper "${name}"` };
  }
  for (const [key, value] of Object.entries(n)) {
    if (key !== 'loc' && typeof value === 'object') {
      const found = checkNames(value, hb, partials);
      if (found) return found;
    }
  }
  return null;
}

/** Calls `visit` on every node of a Handlebars AST. */
function eachNode(node: unknown, visit: (node: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) eachNode(child, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  visit(node as AstNode);
  for (const [key, value] of Object.entries(node))
    if (key !== 'loc' && typeof value === 'object') eachNode(value, visit);
}

/** Values that come from a source (titles, abstracts, links …): `{{{…}}}` would let their markup into the email. */
const SOURCE_FIELDS = new Set(['title', 'shortTitle', 'url', 'authors', 'summary', 'preheader', 'topic']);

/**
 * Checks an MJML template's AST: `<mj-include>` is refused (MJML would read the file without
 * Handlebars, so its values would never be filled in), an unescaped source value is a warning.
 */
function checkMjmlTemplate(ast: unknown, dir: string, file: string, warnings: string[]): void {
  eachNode(ast, (node) => {
    const line = node.loc?.start.line ?? 0;
    // `original` is the text as written; `value` may have lost the whitespace around a standalone tag.
    const text = node.type === 'ContentStatement' ? node.original : undefined;
    if (typeof text === 'string') {
      const match = /<mj-include\b/i.exec(text);
      if (match) {
        const at = line + (text.slice(0, match.index).match(/\n/g)?.length ?? 0);
        throw templateError(
          dir,
          file,
          at,
          '<mj-include> is not supported: MJML would read that file without Handlebars. Put its MJML in partials/NAME.hbs and write {{> NAME}} instead',
        );
      }
    }
    if (node.type === 'MustacheStatement' && node.escaped === false && node.path?.type === 'PathExpression') {
      const path = String(node.path.original);
      const field = path.split(/[./]/).at(-1) ?? '';
      if (SOURCE_FIELDS.has(field)) {
        warnings.push(
          `${join(dir, file)}:${line}: {{{${path}}}} puts a source's text into the email unescaped, so markup in a title or abstract becomes part of the email: write {{${path}}}`,
        );
      }
    }
  });
}

function readTemplate(dir: string, file: string): string {
  const path = join(dir, file);
  if (!existsSync(path)) {
    throw new PaperwireError('E_TEMPLATE', `${path}: template not found`, {
      hint: existsSync(dir)
        ? `Every template folder needs ${Object.values(TEMPLATE_FILES).join(', ')}; copy the missing one from \`paperwire init-templates DIR\`.`
        : 'Point TEMPLATES_DIR at a template folder, or create one with `paperwire init-templates DIR`.',
    });
  }
  return readFileSync(path, 'utf8');
}

/** Parses and compiles one file; Handlebars syntax errors become E_TEMPLATE naming file and line. */
function compileFile(
  hb: HandlebarsEnv,
  dir: string,
  file: string,
  source: string,
  partials: Set<string>,
  options: CompileOptions,
  mjmlWarnings?: string[],
): PhaseOneTemplate {
  let ast: unknown;
  try {
    ast = hb.parse(source);
  } catch (error) {
    const message = String((error as Error).message);
    const line =
      (error as LocatedError).lineNumber ?? Number(/on line (\d+)/.exec(message)?.[1] ?? Number.NaN);
    const what =
      message
        .split('\n')
        .at(-1)
        ?.replace(/ - \d+:\d+$/, '') ?? message;
    throw templateError(dir, file, Number.isNaN(line) ? null : line, `Handlebars syntax error: ${what}`);
  }
  const unknown = checkNames(ast, hb, partials);
  if (unknown) throw templateError(dir, file, unknown.line, unknown.what);
  if (mjmlWarnings) checkMjmlTemplate(ast, dir, file, mjmlWarnings);
  const compiled = hb.compile(source, options);
  return (view, runtime) => attribute(file, () => compiled(view, runtime));
}

interface CompileOptions {
  strict: boolean;
  noEscape?: boolean;
}

/** Loads and checks a template folder: the MJML layout and its partials, the text part and the subject. */
export function loadTemplates(dir: string): Templates {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new PaperwireError('E_TEMPLATE', `${dir}: template folder not found`, {
      hint: 'Point TEMPLATES_DIR at a template folder, or create one with `paperwire init-templates DIR`.',
    });
  }
  const html = Handlebars.create();
  const text = Handlebars.create();
  registerHelpers(html);
  registerHelpers(text);

  const partialDir = join(dir, PARTIALS_DIR);
  const partialFiles = existsSync(partialDir)
    ? readdirSync(partialDir)
        .filter((name) => name.endsWith('.hbs'))
        .sort()
    : [];
  const partialNames = new Set(partialFiles.map((name) => name.replace(/\.hbs$/, '')));
  const mjmlSources: Templates['mjmlSources'] = [];
  const warnings: string[] = [];

  const layoutSource = readTemplate(dir, TEMPLATE_FILES.layout);
  mjmlSources.push({ file: TEMPLATE_FILES.layout, source: layoutSource });
  for (const name of partialFiles) {
    const file = `${PARTIALS_DIR}/${name}`;
    const source = readTemplate(dir, file);
    mjmlSources.push({ file, source });
    html.registerPartial(
      name.replace(/\.hbs$/, ''),
      compileFile(html, dir, file, source, partialNames, { strict: true }, warnings),
    );
  }
  const layout = compileFile(
    html,
    dir,
    TEMPLATE_FILES.layout,
    layoutSource,
    partialNames,
    { strict: true },
    warnings,
  );
  return {
    dir,
    layout,
    text: compileFile(text, dir, TEMPLATE_FILES.text, readTemplate(dir, TEMPLATE_FILES.text), new Set(), {
      strict: true,
      noEscape: true,
    }),
    subject: compileFile(
      text,
      dir,
      TEMPLATE_FILES.subject,
      readTemplate(dir, TEMPLATE_FILES.subject),
      new Set(),
      { strict: true, noEscape: true },
    ),
    mjmlSources,
    warnings,
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name)).map((file) => join(entry.name, file))
      : entry.isFile()
        ? [entry.name]
        : [],
  );
}

/** Why a path cannot be written to, in words, from the error's code. */
function writeProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a part of the path is a file, not a folder';
  return (error as Error).message;
}

/** The longest leading part of `path` that exists, or null. */
function nearestExisting(path: string): string | null {
  for (let at = resolve(path); ; at = dirname(at)) {
    if (existsSync(at)) return at;
    if (dirname(at) === at) return null;
  }
}

/**
 * Copies the default templates into `target`, refusing (E_USAGE) when `target` is a file or any of
 * the files already exists there; a copy that fails half-way names the file it stopped at.
 */
export function initTemplates(target: string, source = DEFAULT_TEMPLATES_DIR): string[] {
  const hint = 'Give the name of a new folder (paperwire creates it) or of an empty one.';
  let info: Stats | undefined;
  try {
    info = statSync(target, { throwIfNoEntry: false });
  } catch (error) {
    throw new PaperwireError('E_USAGE', `${target}: ${writeProblem(error)}`, { hint, cause: error });
  }
  if (info && !info.isDirectory()) {
    throw new PaperwireError('E_USAGE', `${target} is a file, not a folder`, { hint });
  }
  // Node 22 and later answer a stat below a file with "no such file", as for a new folder:
  // find the nearest part of the path that exists and check it is a folder.
  const existing = info ? target : nearestExisting(target);
  if (existing && !statSync(existing).isDirectory()) {
    throw new PaperwireError(
      'E_USAGE',
      `${target}: a part of the path is a file, not a folder (${existing})`,
      {
        hint,
      },
    );
  }
  const files = listFiles(source).sort();
  const clashes = files.filter((file) => existsSync(join(target, file)));
  if (clashes.length > 0) {
    throw new PaperwireError('E_USAGE', `${target} already has ${clashes.join(', ')}`, {
      hint: 'Nothing was copied. Choose an empty folder, or move those files aside first.',
    });
  }
  for (const file of files) {
    try {
      mkdirSync(join(target, file, '..'), { recursive: true });
      copyFileSync(join(source, file), join(target, file), constants.COPYFILE_EXCL);
    } catch (error) {
      throw new PaperwireError('E_USAGE', `cannot write ${join(target, file)}: ${writeProblem(error)}`, {
        hint: `Choose a folder you may write to.${files.indexOf(file) > 0 ? ' The files before this one were copied.' : ''}`,
        cause: error,
      });
    }
  }
  return files.map((file) => join(target, file));
}
