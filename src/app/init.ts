// `paperwire init [DIR]`: the start of a real setup — a commented .env (from
// .env.example) and an empty subscriber list, never overwriting either.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PaperwireError } from '../errors.ts';
import { PACKAGE_ROOT } from '../paths.ts';

/** The settings a new setup must fill in, with what each is. */
export const SETTINGS_TO_FILL: readonly { name: string; what: string }[] = [
  { name: 'MAIL_FROM', what: 'the sender, on a domain you control: "Papers <papers@example.org>"' },
  {
    name: 'SMTP_URL',
    what: 'your relay: smtp://user:password@smtp.example.org:587 (unset: the local outbox)',
  },
  { name: 'SOURCES', what: 'what each edition reads: hf (the default), arxiv:cat:cs.CL, files, folders' },
];

const ENV_HEADER = `# paperwire settings, written by \`paperwire init\`. Fill in MAIL_FROM, SMTP_URL and SOURCES
# (uncomment them below), put your subscribers into subscribers.yaml, then try
# \`paperwire send --dry-run\`. The environment wins over this file.

`;

const SUBSCRIBERS = `# The subscriber list: one item per subscriber, an address alone or {email, name, topics}.
# Topics pick each reader's "For you" papers (matched as whole words in titles, abstracts and
# keywords). Unsubscribes are kept in the database (\`paperwire unsubscribe EMAIL\`), never here.
subscribers: []
# subscribers:
#   - email: ada@example.org
#     name: Ada
#     topics: [diffusion, quantization]
#   - grace@example.org
`;

/** What init did with each file. */
export interface InitResult {
  dir: string;
  written: string[];
  /** Files that were there already, left as they are. */
  kept: string[];
}

/** Writes `file` with `text` unless it exists (then false); never replaces a file. */
function writeNew(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new PaperwireError('E_USAGE', `cannot write ${file}: ${(error as Error).message}`, {
      hint: 'Pick a folder you may write to.',
      cause: error,
    });
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Writes `dir`/.env and `dir`/subscribers.yaml (creating `dir`), keeping either when it exists. */
export function initProject(dir: string): InitResult {
  const hint = 'Give the folder the setup should live in, e.g. paperwire init my-newsletter';
  let isFile: boolean;
  try {
    isFile = statSync(dir, { throwIfNoEntry: false })?.isDirectory() === false;
    if (!isFile) mkdirSync(dir, { recursive: true });
  } catch (error) {
    // A part of the path that is a file (ENOTDIR, or EEXIST from mkdir on Node 22), or no permission.
    throw new PaperwireError('E_USAGE', `cannot make the folder ${dir}: ${(error as Error).message}`, {
      hint: `${hint}, in a folder you may write to.`,
      cause: error,
    });
  }
  if (isFile) throw new PaperwireError('E_USAGE', `${dir} is a file, not a folder`, { hint });
  const example = readFileSync(join(PACKAGE_ROOT, '.env.example'), 'utf8');
  const result: InitResult = { dir, written: [], kept: [] };
  for (const [name, text] of [
    ['.env', ENV_HEADER + example],
    ['subscribers.yaml', SUBSCRIBERS],
  ] as const) {
    const file = join(dir, name);
    (writeNew(file, text) ? result.written : result.kept).push(file);
  }
  return result;
}
