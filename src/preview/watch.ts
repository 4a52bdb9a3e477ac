// Watches the templates folder and the subscriber list and calls back once per
// burst of changes (an editor's save is several file events).
//
// Folders are watched, never files: editors (vim, `sed -i`) and `git checkout` save by
// writing a new file and renaming it over the old one, which ends a watch on the file
// itself. Node 20's recursive watch on Linux watches every file, so it loses them the
// same way; each folder of the templates gets its own watch instead.
import { type Dirent, existsSync, type FSWatcher, readdirSync, watch } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

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

  const watchers = new Map<string, FSWatcher>();
  const watched: string[] = [];
  const add = (path: string, listener: (file: string | null) => void): void => {
    if (watchers.has(path) || !existsSync(path)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(path, { persistent: true }, (_event, file) => listener(file));
    } catch (error) {
      onError(error as Error);
      return;
    }
    watcher.on('error', (error) => {
      // A folder that went away (a partials folder deleted) is dropped; it is watched again if it comes back.
      watcher.close();
      watchers.delete(path);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(error);
    });
    watchers.set(path, watcher);
  };

  /** Watches `dir` and every folder below it (a new partials folder included). */
  const addTemplateFolders = (dir: string): void => {
    add(dir, (file) => {
      const name = relative(templatesDir, join(dir, file ?? ''));
      fire(`templates${name ? `/${name}` : ''}`);
      addTemplateFolders(dir);
    });
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) addTemplateFolders(join(dir, entry.name));
  };

  if (existsSync(templatesDir)) {
    addTemplateFolders(templatesDir);
    watched.push(templatesDir);
  }
  const listName = basename(subscribersFile);
  const listDir = dirname(subscribersFile);
  if (existsSync(listDir)) {
    add(listDir, (file) => {
      if (file === null || file === listName) fire(listName);
    });
    watched.push(listDir);
  }

  return {
    watched,
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
