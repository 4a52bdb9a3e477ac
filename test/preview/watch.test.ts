// Watching the templates and the subscriber list survives the way editors save: a new
// file renamed over the old one (vim, `sed -i`, `git checkout`). Today's edit and every
// later one are reported, in the templates folder, in partials/, and for the list.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEBOUNCE_MS, watchPreviewInputs } from '../../src/preview/watch.ts';
import { tempDir } from '../helpers/temp.ts';

/** Watches a fresh folder; `changes()` waits past the debounce and returns what was reported since the last call. */
function watching(t: { after(fn: () => void): void }) {
  const dir = tempDir(t);
  const templates = join(dir, 'templates');
  mkdirSync(join(templates, 'partials'), { recursive: true });
  writeFileSync(join(templates, 'digest.mjml.hbs'), 'v0');
  writeFileSync(join(templates, 'partials', 'footer.hbs'), 'v0');
  const list = join(dir, 'subscribers.yaml');
  writeFileSync(list, 'subscribers: []\n');
  const seen: string[] = [];
  const watcher = watchPreviewInputs(templates, list, (what) => seen.push(what));
  t.after(() => watcher.close());
  return {
    templates,
    list,
    async changes(): Promise<string[]> {
      await sleep(DEBOUNCE_MS * 4);
      return seen.splice(0);
    },
  };
}

/** Saves `path` the way vim does: write a new file beside it, rename it over the old one. */
function renameSave(path: string, content: string): void {
  writeFileSync(`${path}.swp`, content);
  renameSync(`${path}.swp`, path);
}

test('edits after a rename-save are still seen: the layout, a partial and the subscriber list', async (t) => {
  const w = watching(t);
  await sleep(100);
  for (const [path, label] of [
    [join(w.templates, 'digest.mjml.hbs'), /templates\/digest\.mjml\.hbs/],
    [join(w.templates, 'partials', 'footer.hbs'), /templates\/partials\/footer\.hbs/],
    [w.list, /subscribers\.yaml/],
  ] as const) {
    renameSave(path, 'v1');
    assert.match((await w.changes()).join(' '), label, `the rename-save of ${path}`);
    // The edit after it: today this one is lost.
    writeFileSync(path, 'v2');
    assert.match((await w.changes()).join(' '), label, `an edit after the rename-save of ${path}`);
    renameSave(path, 'v3');
    assert.match((await w.changes()).join(' '), label, `a second rename-save of ${path}`);
  }
});

test('`sed -i` twice on a partial, and a partials folder made later, are seen', async (t) => {
  const w = watching(t);
  await sleep(100);
  const footer = join(w.templates, 'partials', 'footer.hbs');
  for (const version of ['v1', 'v2']) {
    execFileSync('sed', ['-i', `s/v[0-9]/${version}/`, footer]);
    assert.match((await w.changes()).join(' '), /partials\/footer\.hbs/, `sed -i → ${version}`);
  }
  mkdirSync(join(w.templates, 'more'));
  await w.changes();
  writeFileSync(join(w.templates, 'more', 'card.hbs'), 'x');
  assert.match((await w.changes()).join(' '), /templates\/more\/card\.hbs/);
});
