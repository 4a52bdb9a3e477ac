// `paperwire ingest` and `paperwire run` with one odd source among good ones, as
// an operator meets it: the odd one is reported with its error and hint, every
// other source is stored (and mailed, for `run`), and the exit code is 1.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPaperwire } from '../helpers/cli.ts';
import { addEntries, workspace } from '../schedule/helpers.ts';
import { fixture } from './helpers.ts';

/** A workspace whose inbox holds, in name order: a feed with a SYSTEM entity, 2 entries, a link loop, a paper. */
function oddInbox(t: Parameters<typeof workspace>[0]) {
  const ws = workspace(t, 2);
  const secret = join(ws.dir, 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET-CONTENT');
  writeFileSync(
    join(ws.inbox, 'b-feed.xml'),
    `<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY e SYSTEM "file://${secret}">]>\n<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>2611.09001</id><title>&e;</title></entry></feed>\n`,
  );
  addEntries(ws.inbox, 2);
  symlinkSync(join(ws.inbox, 'c-loop.json'), join(ws.inbox, 'c-loop.json'));
  copyFileSync(fixture('hf-paper.json'), join(ws.inbox, 'd-paper.json'));
  return ws;
}

/** What ingest and run both print about the inbox. */
function assertInboxReport(stdout: string): void {
  assert.match(
    stdout,
    /^inbox\/b-feed\.xml: failed, nothing stored\n {2}error: inbox\/b-feed\.xml: line 2: the XML has a DOCTYPE, naming an outside file or URL \(SYSTEM or PUBLIC\).*\n {2}hint: .+$/m,
  );
  assert.match(stdout, /^inbox\/batch-[\d-]+\.json: 2 new, 0 updated, 0 rejected \(paperwire-json\)$/m);
  assert.match(stdout, /^inbox\/c-loop\.json is a symbolic link loop: skipped \(warning\)$/m);
  assert.match(stdout, /^inbox\/d-paper\.json: 1 new, 0 updated, 0 rejected \(hf-paper\)$/m);
  assert.doesNotMatch(stdout, /TOP-SECRET/);
}

test('paperwire ingest with an odd source among good ones: exit 1, the odd one reported, every other stored', (t) => {
  const ws = oddInbox(t);
  const result = runPaperwire(['ingest'], { cwd: ws.dir, env: ws.env() });
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stderr, '');
  assertInboxReport(result.stdout);
  assert.match(result.stdout, /^total: 3 new, 0 updated, 0 rejected; 1 source failed$/m);
  const papers = runPaperwire(['papers', '--json'], { cwd: ws.dir, env: ws.env() });
  assert.equal((JSON.parse(papers.stdout) as unknown[]).length, 3);
});

test('paperwire run with an odd source among good ones: exit 1, the edition of the good ones is delivered', (t) => {
  const ws = oddInbox(t);
  const result = runPaperwire(['run'], { cwd: ws.dir, env: ws.env() });
  assert.equal(result.status, 1, `${result.stdout}\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /unexpected error|this is a bug/);
  assertInboxReport(result.stdout);
  assert.match(result.stdout, /^edition \d{4}-W\d\d: sent 2, /m);
  const outbox = /^outbox: (.+) \(2 \.eml files\)$/m.exec(result.stdout);
  assert.ok(outbox, result.stdout);
  assert.equal(readdirSync(join(ws.dir, outbox[1]!)).filter((name) => name.endsWith('.eml')).length, 2);
});
