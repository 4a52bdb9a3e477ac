// Operator templates: a copy of the defaults to start from, and every kind of
// breakage reported as E_TEMPLATE naming the file and line, before anything is sent.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { isPaperwireError, type PaperwireError } from '../../src/errors.ts';
import { initTemplates, loadTemplates, prepareEdition, renderEmail } from '../../src/render/index.ts';
import { openStore } from '../../src/store/index.ts';
import { cleanEnv, runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';
import { addEntries, workspace } from '../schedule/helpers.ts';
import { fixtureEdition, TEMPLATES_DIR, UNSUBSCRIBE_URL } from './helpers.ts';

/** A fresh copy of the default templates with `file` edited by `edit`; returns the dir and the edited line. */
function brokenCopy(
  t: TestContext,
  file: string,
  find: string,
  replace: string,
): { dir: string; line: number } {
  const dir = join(tempDir(t), 'templates');
  initTemplates(dir);
  const path = join(dir, file);
  const source = readFileSync(path, 'utf8');
  const at = source.indexOf(find);
  assert.ok(at >= 0, `${find} is in ${file}`);
  writeFileSync(path, source.slice(0, at) + replace + source.slice(at + find.length));
  return { dir, line: source.slice(0, at).split('\n').length };
}

function templateError(file: string, line: number | null, what: RegExp) {
  return (error: unknown) => {
    assert.ok(isPaperwireError(error, 'E_TEMPLATE'), `E_TEMPLATE, got ${String(error)}`);
    const { message, hint } = error as PaperwireError;
    assert.ok(
      message.includes(line === null ? file : `${file}:${line}: `),
      `${message} names ${file}:${line}`,
    );
    assert.match(message, what);
    assert.ok(hint);
    return true;
  };
}

const prepare = (dir: string) => prepareEdition(fixtureEdition(), loadTemplates(dir), { maxPapers: 10 });

test('init-templates copies the defaults, which render; a second copy is refused and changes nothing', async (t) => {
  const dir = join(tempDir(t), 'mine');
  const written = initTemplates(dir);
  assert.deepEqual(written.map((path) => path.slice(dir.length + 1)).sort(), [
    'digest.mjml.hbs',
    'digest.txt.hbs',
    'partials/footer.hbs',
    'partials/for-you.hbs',
    'partials/header.hbs',
    'partials/paper.hbs',
    'subject.hbs',
  ]);
  const header = join(dir, 'partials', 'header.hbs');
  writeFileSync(
    header,
    readFileSync(header, 'utf8').replace('Trending papers of the week', 'Our reading list'),
  );
  const prepared = await prepare(dir);
  const email = await renderEmail(
    prepared,
    { email: 'a@x.org', name: null, topics: [] },
    { unsubscribeUrl: UNSUBSCRIBE_URL },
  );
  assert.match(email.html, />Our reading list<\/h1>/);

  assert.throws(
    () => initTemplates(dir),
    (error: unknown) => isPaperwireError(error, 'E_USAGE') && Boolean(error.hint),
  );
  assert.match(readFileSync(header, 'utf8'), /Our reading list/, 'the edited file is kept');
});

test('paperwire init-templates DIR writes the files, then refuses to overwrite them (exit 2)', async (t) => {
  const cwd = tempDir(t);
  const run = () =>
    runCli(['init-templates', 'my-templates'], {
      cwd,
      env: cleanEnv({ STATE_DIR: join(cwd, 'state') }),
    });
  const first = await run();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /wrote .*my-templates\/digest\.mjml\.hbs/);
  assert.equal(readdirSync(join(cwd, 'my-templates', 'partials')).length, 4);
  const second = await run();
  assert.equal(second.status, 2);
  assert.match(second.stderr, /already has digest\.mjml\.hbs/);
  assert.match(second.stderr, /hint: Nothing was copied/);
});

test('paperwire init-templates pointed at an existing file is a usage error with a hint (exit 2), not a stack trace', async (t) => {
  const cwd = tempDir(t);
  writeFileSync(join(cwd, 'notes.txt'), 'mine');
  const run = (dir: string) =>
    runCli(['init-templates', dir], { cwd, env: cleanEnv({ STATE_DIR: join(cwd, 'state') }) });
  for (const dir of ['notes.txt', 'notes.txt/templates']) {
    const result = await run(dir);
    assert.equal(result.status, 2, `${dir}: ${result.stderr}`);
    assert.match(result.stderr, /^paperwire: .*notes\.txt/m);
    assert.match(result.stderr, /^ {2}hint: Give the name of a new folder/m);
    assert.doesNotMatch(result.stderr, /unexpected error|this is a bug|\n {4}at /);
  }
  assert.match((await run('notes.txt')).stderr, /notes\.txt is a file, not a folder/);
  assert.equal(readFileSync(join(cwd, 'notes.txt'), 'utf8'), 'mine');
  assert.throws(
    () => initTemplates(join(cwd, 'notes.txt')),
    (error: unknown) => isPaperwireError(error, 'E_USAGE'),
  );
});

test('invalid MJML in a partial names the partial and line', async (t) => {
  const { dir, line } = brokenCopy(
    t,
    'partials/paper.hbs',
    '<mj-text css-class="pw-pad"',
    '<mj-text colour="red" css-class="pw-pad"',
  );
  await assert.rejects(
    prepare(dir),
    templateError('partials/paper.hbs', line, /invalid MJML: <mj-text> Attribute colour is illegal/),
  );
});

test('an unknown MJML element in the layout names the layout and line', async (t) => {
  const { dir, line } = brokenCopy(
    t,
    'digest.mjml.hbs',
    '    {{> footer}}',
    '    <mj-sparkle>✨</mj-sparkle>\n    {{> footer}}',
  );
  await assert.rejects(prepare(dir), templateError('digest.mjml.hbs', line, /mj-sparkle/));
});

test('a broken "For you" part fails at prepareEdition, not later for the first subscriber with topics', async (t) => {
  const { dir, line } = brokenCopy(
    t,
    'partials/for-you.hbs',
    '<mj-text css-class="pw-pad"',
    '<mj-text align="middle" css-class="pw-pad"',
  );
  await assert.rejects(prepare(dir), templateError('partials/for-you.hbs', line, /align/));
});

test('an unknown partial is found when the templates are loaded', async (t) => {
  const { dir, line } = brokenCopy(t, 'digest.mjml.hbs', '        {{> paper}}', '        {{> papr}}');
  assert.throws(() => loadTemplates(dir), templateError('digest.mjml.hbs', line, /unknown partial "papr"/));
});

test('a Handlebars syntax error names the file and line', async (t) => {
  const { dir, line } = brokenCopy(t, 'partials/footer.hbs', '{{#if more}}', '{{#if more}');
  assert.throws(
    () => loadTemplates(dir),
    templateError('partials/footer.hbs', line, /Handlebars syntax error/),
  );
  // A mismatched block is reported where the block opens.
  const text = brokenCopy(t, 'digest.txt.hbs', '{{/each}}', '{{/if}}');
  const opened =
    readFileSync(join(text.dir, 'digest.txt.hbs'), 'utf8').split('\n').indexOf('{{#each forYou.papers}}') + 1;
  assert.throws(
    () => loadTemplates(text.dir),
    templateError('digest.txt.hbs', opened, /each doesn't match if/),
  );
});

test('an unknown helper is found when the templates are loaded', async (t) => {
  const { dir, line } = brokenCopy(t, 'partials/paper.hbs', '{{title}}', '{{shout title}}');
  assert.throws(
    () => loadTemplates(dir),
    templateError('partials/paper.hbs', line, /unknown helper "shout"/),
  );
});

test('a misspelt value names the file and line at prepareEdition', async (t) => {
  const { dir, line } = brokenCopy(t, 'partials/paper.hbs', '{{title}}', '{{titel}}');
  await assert.rejects(prepare(dir), templateError('partials/paper.hbs', line, /"titel" not defined/));
});

test('a per-subscriber block using edition values fails at prepareEdition', async (t) => {
  const { dir } = brokenCopy(
    t,
    'partials/header.hbs',
    '{{{{/personal}}}}',
    ' {{edition.id}}{{{{/personal}}}}',
  );
  await assert.rejects(
    prepare(dir),
    templateError('digest.mjml.hbs', null, /per-subscriber part.* not defined/),
  );
});

test('a missing folder or template file is E_TEMPLATE with a hint', async (t) => {
  assert.throws(
    () => loadTemplates(join(tempDir(t), 'nope')),
    (error: unknown) => isPaperwireError(error, 'E_TEMPLATE') && Boolean(error.hint),
  );
  const dir = join(tempDir(t), 'templates');
  initTemplates(dir);
  rmSync(join(dir, 'subject.hbs'));
  assert.throws(() => loadTemplates(dir), templateError('subject.hbs', null, /template not found/));
});

test('no template can reach prototype properties: they render empty or fail as E_TEMPLATE, never leak', async (t) => {
  const reader = { email: 'r@example.org', name: null, topics: [] };
  for (const probe of ['{{lookup this "constructor"}}', '{{__proto__}}', '{{constructor}}']) {
    const { dir } = brokenCopy(t, 'partials/paper.hbs', '{{title}}', `{{title}} PROBE[${probe}]`);
    const email = await renderEmail(await prepare(dir), reader, { unsubscribeUrl: UNSUBSCRIBE_URL });
    const rendered = [...email.html.matchAll(/PROBE\[([^\]]*)\]/g)].map((match) => match[1]);
    assert.ok(rendered.length > 0, `${probe}: the probe is in the email`);
    assert.deepEqual(new Set(rendered), new Set(['']), `${probe} rendered nothing`);
  }
  // Reaching through a prototype for a property of it is an error naming the place.
  const { dir, line } = brokenCopy(t, 'partials/paper.hbs', '{{title}}', '{{title.constructor.name}}');
  await assert.rejects(prepare(dir), templateError('partials/paper.hbs', line, /not defined/));
});

test('a layout whose HTML has no unsubscribe link is refused (E_TEMPLATE naming it), and so is a text part without it', async (t) => {
  const html = brokenCopy(
    t,
    'partials/footer.hbs',
    '<a href="{{unsubscribeUrl}}" style="color:#1d4ed8;text-decoration:underline;">Unsubscribe</a>',
    'Reply to leave',
  );
  await assert.rejects(prepare(html.dir), templateError('digest.mjml.hbs', null, /no unsubscribe link/));
  // Showing the URL as text is not a link.
  const shown = brokenCopy(
    t,
    'partials/footer.hbs',
    '<a href="{{unsubscribeUrl}}" style="color:#1d4ed8;text-decoration:underline;">Unsubscribe</a>',
    'Unsubscribe: {{unsubscribeUrl}}',
  );
  await assert.rejects(prepare(shown.dir), templateError('digest.mjml.hbs', null, /no unsubscribe link/));
  const text = brokenCopy(t, 'digest.txt.hbs', 'Unsubscribe: {{unsubscribeUrl}}', 'Reply to leave.');
  await assert.rejects(prepare(text.dir), templateError('digest.txt.hbs', null, /unsubscribe/));
});

test('paperwire send refuses a template without an unsubscribe link before anything is sent', async (t) => {
  const ws = workspace(t, 2);
  addEntries(ws.inbox, 3);
  const { dir } = brokenCopy(t, 'digest.txt.hbs', 'Unsubscribe: {{unsubscribeUrl}}', '');
  const env = ws.env({ TEMPLATES_DIR: dir });
  assert.equal((await runCli(['ingest'], { cwd: ws.dir, env })).status, 0);
  const sent = await runCli(['send', '--yes'], { cwd: ws.dir, env });
  assert.equal(sent.status, 2, sent.stderr);
  assert.match(sent.stderr, /digest\.txt\.hbs: the plain-text part does not show \{\{unsubscribeUrl\}\}/);
  assert.equal(existsSync(join(ws.stateDir, 'outbox')), false, 'nothing written to the outbox');
  const store = openStore(join(ws.stateDir, 'paperwire.db'));
  t.after(() => store.close());
  assert.deepEqual(store.editions.summaries(), [], 'no edition frozen');
});

test('<mj-include> is an E_TEMPLATE at its line, never silently dropped; one in a comment is fine', async (t) => {
  const { dir, line } = brokenCopy(
    t,
    'partials/footer.hbs',
    '<mj-section css-class="pw-outer"',
    '<mj-include path="./legal.mjml" />\n<mj-section css-class="pw-outer"',
  );
  assert.throws(
    () => loadTemplates(dir),
    templateError('partials/footer.hbs', line, /<mj-include> is not supported.*partials\/NAME\.hbs/),
  );
  const commented = brokenCopy(
    t,
    'digest.mjml.hbs',
    '<mjml lang="en">',
    '{{!-- <mj-include path="x" /> --}}\n<mjml lang="en">',
  );
  await prepare(commented.dir);
});

test('a triple-stash of a source value is a warning naming file and line, logged by preview and send', async (t) => {
  const { dir, line } = brokenCopy(t, 'partials/paper.hbs', '>{{title}}</a>', '>{{{title}}}</a>');
  const templates = loadTemplates(dir);
  assert.equal(templates.warnings.length, 1);
  assert.match(
    templates.warnings[0]!,
    new RegExp(
      `partials/paper\\.hbs:${line}: \\{\\{\\{title\\}\\}\\} puts a source's text into the email unescaped`,
    ),
  );
  assert.deepEqual(loadTemplates(TEMPLATES_DIR).warnings, [], 'the defaults have none');

  const ws = workspace(t, 1);
  addEntries(ws.inbox, 2);
  const env = ws.env({ TEMPLATES_DIR: dir });
  assert.equal((await runCli(['ingest'], { cwd: ws.dir, env })).status, 0);
  const preview = await runCli(['preview'], { cwd: ws.dir, env });
  assert.equal(preview.status, 0, preview.stderr);
  assert.match(preview.stderr, /\{\{\{title\}\}\} puts a source's text into the email unescaped/);
  const sent = await runCli(['send', '--yes'], { cwd: ws.dir, env });
  assert.equal(sent.status, 0, sent.stderr);
  assert.match(sent.stderr, /paper\.hbs:\d+: \{\{\{title\}\}\} puts a source's text/);
});
