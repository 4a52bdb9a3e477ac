// Watches the templates folder and the subscriber list and calls back once per
// burst of changes (an editor's save is several file events).
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** How long a burst of file events is gathered before one change is reported. */
export const DEBOUNCE_MS = 100;

/** Open watchers; `close` stops them and any pending callback. */
export interface Watching {
  /** What is being watched, for the startup message. */
  readonly watched: string[];
  close(): void;
}

/** Watches `templatesDir` (recursively) and `subscribersFile`, calling `onChange` debounced. */
export function watchPreviewInputs(
  templatesDir: string,
  subscribersFile: string,
  onChange: (what: string) => void,
  onError: (error: Error) => void = () => {},
): Watching {
  let timer: NodeJS.Timeout | null = null;
  const changed = new Set<string>();
  const fire = (what: string): void => {
    changed.add(what);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const all = [...changed].join(', ');
      changed.clear();
      onChange(all);
    }, DEBOUNCE_MS);
  };

  const watchers: FSWatcher[] = [];
  const watched: string[] = [];
  const add = (path: string, recursive: boolean, listener: (file: string | null) => void): void => {
    if (!existsSync(path)) return;
    const watcher = watch(path, { recursive, persistent: true }, (_event, file) => listener(file));
    watcher.on('error', onError);
    watchers.push(watcher);
    watched.push(path);
  };

  add(templatesDir, true, (file) => fire(`templates${file ? `/${file}` : ''}`));
  // Editors save by writing a new file and renaming it over the old one, which
  // ends a watch on the file itself; watching its folder survives that.
  const listName = basename(subscribersFile);
  add(dirname(subscribersFile), false, (file) => {
    if (file === null || file === listName) fire(listName);
  });

  return {
    watched,
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      for (const watcher of watchers) watcher.close();
    },
  };
}
