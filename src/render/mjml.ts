// MJML → HTML, strictly validated. `mjml` takes ~0.6 s to import, so it is loaded
// on first use only. Its errors name a line of the rendered MJML; they are traced
// back to the template file and line that produced it.
import type { PaperwireError } from '../errors.ts';
import { escapeRegExp } from './escape.ts';
import { type Templates, templateError } from './templates.ts';

type Mjml2Html = typeof import('mjml');

let loading: Promise<Mjml2Html> | undefined;

function loadMjml(): Promise<Mjml2Html> {
  loading ??= import('mjml').then(
    (module) => ((module as { default?: Mjml2Html }).default ?? module) as Mjml2Html,
  );
  return loading;
}

interface MjmlValidationError {
  line: number;
  message: string;
  tagName: string;
}

/** Compiles MJML to HTML, or throws E_TEMPLATE naming the template file and line of the first error. */
export async function compileMjml(mjml: string, templates: Templates): Promise<string> {
  const mjml2html = await loadMjml();
  let result: Awaited<ReturnType<Mjml2Html>>;
  try {
    result = await mjml2html(mjml, {
      validationLevel: 'strict',
      minify: false,
      beautify: false,
      keepComments: false,
      ignoreIncludes: true,
      fonts: {},
    });
  } catch (error) {
    const errors = (error as { errors?: MjmlValidationError[] }).errors;
    if (!Array.isArray(errors) || errors.length === 0) throw error;
    throw mjmlError(errors, mjml, templates);
  }
  // Indentation is a third of MJML's output and means nothing to a mail client.
  return result.html.replace(/\n[ \t]+/g, '\n');
}

function mjmlError(errors: MjmlValidationError[], mjml: string, templates: Templates): PaperwireError {
  const [first] = errors as [MjmlValidationError];
  const place = locate(mjml.split('\n')[first.line - 1] ?? '', first.tagName, templates);
  const others =
    errors.length > 1 ? ` (and ${errors.length - 1} more MJML error${errors.length > 2 ? 's' : ''})` : '';
  return templateError(
    templates.dir,
    place.file,
    place.line,
    `invalid MJML: <${first.tagName}> ${first.message}${place.exact ? '' : ` (line ${first.line} of the rendered MJML)`}${others}`,
  );
}

/** A regular expression matching what a template line renders to: its text, with any value where `{{…}}` was. */
function linePattern(line: string): RegExp {
  const parts = line.trim().split(/\{\{[\s\S]*?\}\}+/);
  const body = parts.map(escapeRegExp).join('[\\s\\S]*?');
  return new RegExp(`^${body}$`);
}

/** Finds the template line that rendered `renderedLine`, a line with `<tagName`. */
function locate(
  renderedLine: string,
  tagName: string,
  templates: Templates,
): { file: string; line: number | null; exact: boolean } {
  const tag = `<${tagName}`;
  const target = renderedLine.trim();
  let firstWithTag: { file: string; line: number } | null = null;
  for (const { file, source } of templates.mjmlSources) {
    const lines = source.split('\n');
    for (const [index, line] of lines.entries()) {
      if (!line.includes(tag)) continue;
      firstWithTag ??= { file, line: index + 1 };
      if (linePattern(line).test(target)) return { file, line: index + 1, exact: true };
    }
  }
  if (firstWithTag) return { ...firstWithTag, exact: false };
  return { file: templates.mjmlSources[0]?.file ?? 'digest.mjml.hbs', line: null, exact: false };
}
