// The archive's folder as the public site serves it: nothing outside the folder, whichever
// symbolic link on the way points out of it.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSite } from '../../src/web/site.ts';
import { staticFolderHandler } from '../../src/web/static.ts';
import { tempDir } from '../helpers/temp.ts';

test('a symbolic link to a folder outside the archive serves nothing below it; links inside still work', async (t) => {
  const dir = tempDir(t);
  const archive = join(dir, 'archive');
  mkdirSync(join(archive, '2026-W48'), { recursive: true });
  writeFileSync(join(archive, '2026-W48', 'index.html'), '<p>week 48</p>');
  mkdirSync(join(dir, 'private'));
  writeFileSync(join(dir, 'private', 'secret.html'), '<p>secret</p>');
  symlinkSync(join(dir, 'private'), join(archive, 'elsewhere'));
  symlinkSync(join(archive, '2026-W48'), join(archive, 'latest'));
  symlinkSync(join(dir, 'private', 'secret.html'), join(archive, 'secret.html'));

  const site = await startSite({
    port: 0,
    host: '127.0.0.1',
    basePath: '',
    handlers: [staticFolderHandler({ mountPath: '/archive', dir: archive })],
  });
  t.after(() => site.close());
  const get = (path: string) => fetch(`${site.url}${path}`, { redirect: 'manual' });

  for (const path of ['/archive/elsewhere/secret.html', '/archive/elsewhere/', '/archive/secret.html']) {
    const response = await get(path);
    assert.equal(response.status, 404, path);
    assert.ok(!(await response.text()).includes('secret'), `${path} shows nothing of the file`);
  }
  const inside = await get('/archive/latest/');
  assert.equal(inside.status, 200);
  assert.equal(await inside.text(), '<p>week 48</p>');
});
