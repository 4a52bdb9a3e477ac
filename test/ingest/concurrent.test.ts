// Two `paperwire ingest` processes at once on one fresh database: neither fails,
// no entry is lost, none is stored twice.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { paperwireAsync, tempDir } from './helpers.ts';

/** An HF daily papers file with papers `2611.<from>` … `2611.<to - 1>`. */
function dailyFile(path: string, from: number, to: number): void {
  const items = [];
  for (let n = from; n < to; n++) {
    const id = `2611.${String(n).padStart(5, '0')}`;
    items.push({ paper: { id, title: `Paper number ${n}`, summary: `Abstract ${n}.`, upvotes: n % 50 } });
  }
  writeFileSync(path, JSON.stringify(items));
}

test('two ingest processes at once: both succeed, every entry stored exactly once', async (t) => {
  const dir = tempDir(t);
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  dailyFile(a, 0, 6000);
  dailyFile(b, 3000, 9000);
  const env = { STATE_DIR: join(dir, 'state') };
  const [first, second] = await Promise.all([
    paperwireAsync(dir, ['ingest', a, b, a, b], env),
    paperwireAsync(dir, ['ingest', b, a, b, a], env),
  ]);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(second.status, 0, second.stderr);
  const newCount = (stdout: string): number => Number(/^total: (\d+) new/m.exec(stdout)?.[1]);
  // Whoever got there first stored each paper; together they stored each exactly once.
  assert.equal(newCount(first.stdout) + newCount(second.stdout), 9000);

  const store = openStore(join(dir, 'state', 'paperwire.db'));
  t.after(() => store.close());
  const papers = store.papers.list();
  assert.equal(papers.length, 9000);
  assert.equal(new Set(papers.map((paper) => paper.id)).size, 9000);
});
