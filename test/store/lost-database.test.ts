// Losing the database: a deleted or emptied paperwire.db in a folder that was used is
// refused (never silently recreated), and the database rebuilt from the journal (or a
// restored backup) still knows every unsubscribe and every delivery: the edition is not
// mailed again. Real CLI runs in-process, a real SMTP sink, real files.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { runCli } from '../helpers/cli.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { addEntries, type Workspace, workspace } from '../schedule/helpers.ts';
import { dropDatabase } from './helpers.ts';

// A Monday run sends the week before it: 2026-W48, then 2026-W49.
const MONDAY = new Date('2026-11-30T08:00:00Z');
const NEXT_MONDAY = new Date('2026-12-07T08:00:00Z');

async function newsletter(
  t: TestContext,
): Promise<{ ws: Workspace; sink: SmtpSink; env: Record<string, string> }> {
  const ws = workspace(t, 5);
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  addEntries(ws.inbox, 4);
  return { ws, sink, env: ws.env({ SMTP_URL: sink.url, MAIL_FROM: 'Digest <digest@news.example.org>' }) };
}

const cli = (ws: Workspace, env: Record<string, string>, args: string[], now = MONDAY) =>
  runCli(args, { cwd: ws.dir, env, clock: () => now });

for (const loss of ['deleted', 'emptied'] as const) {
  test(`${loss === 'deleted' ? 'a deleted' : 'an emptied'} database is refused, not recreated: nothing is mailed again`, async (t) => {
    const { ws, sink, env } = await newsletter(t);
    assert.equal((await cli(ws, env, ['run'])).status, 0);
    assert.equal(sink.accepted.length, 5);

    if (loss === 'deleted') dropDatabase(join(ws.stateDir, 'paperwire.db'));
    else {
      // What `> paperwire.db` or a broken copy leaves: the file is there, with nothing in it.
      rmSync(join(ws.stateDir, 'paperwire.db-wal'), { force: true });
      rmSync(join(ws.stateDir, 'paperwire.db-shm'), { force: true });
      truncateSync(join(ws.stateDir, 'paperwire.db'), 0);
    }
    for (const command of [['run'], ['send', '--yes'], ['status']]) {
      const refused = await cli(ws, env, command);
      assert.equal(refused.status, 2, `${command[0]}: ${refused.stdout}${refused.stderr}`);
      assert.match(refused.stderr, /paperwire\.db is missing or empty, but its folder was used before/);
      assert.match(refused.stderr, /hint: .*paperwire restore BACKUP-FILE.*--from-journal/);
      assert.doesNotMatch(refused.stderr, /this is a bug/);
    }
    assert.equal(sink.accepted.length, 5, 'nobody got the edition twice');
  });
}

test('rebuilt from the journal, the database still knows every unsubscribe and delivery: nothing is sent twice', async (t) => {
  const { ws, sink, env } = await newsletter(t);
  assert.equal((await cli(ws, env, ['unsubscribe', 's1@example.org'])).status, 0);
  const first = await cli(ws, env, ['run']);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(sink.accepted.length, 4);
  assert.equal(sink.receivedBy('s1@example.org').length, 0);
  // s5 unsubscribes after the edition went out (the link, the mailbox … all end here).
  assert.equal((await cli(ws, env, ['unsubscribe', 's5@example.org'])).status, 0);

  dropDatabase(join(ws.stateDir, 'paperwire.db'));
  const restored = await cli(ws, env, ['restore', '--from-journal']);
  assert.equal(restored.status, 0, restored.stderr);
  assert.match(restored.stdout, /replayed from the journal: 1 editions, \d+ deliveries, 2 unsubscribes/);

  // The same week again, the same inbox: already delivered, nothing new.
  const again = await cli(ws, env, ['run']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /nothing sent: edition 2026-W48 is already delivered/);
  const resend = await cli(ws, env, ['send', '--yes']);
  assert.equal(resend.status, 0, resend.stderr);
  // s5, who got it and left since, counts as suppressed now.
  assert.match(resend.stdout, /already delivered: 3 sent, 2 suppressed/);
  assert.equal(sink.accepted.length, 4, 'nobody got 2026-W48 twice');

  // Next week only the new papers make the edition, and neither unsubscribe is forgotten.
  addEntries(ws.inbox, 2);
  const next = await cli(ws, env, ['run'], NEXT_MONDAY);
  assert.equal(next.status, 0, next.stderr);
  assert.match(next.stdout, /edition 2026-W49: sent 3,/);
  assert.deepEqual(
    sink.accepted
      .slice(4)
      .flatMap((message) => message.to)
      .sort(),
    ['s2@example.org', 's3@example.org', 's4@example.org'],
  );
  const store = openStore(join(ws.stateDir, 'paperwire.db'));
  t.after(() => store.close());
  assert.equal(store.editions.find('2026-W49')?.papers.length, 2, 'not the 4 papers of 2026-W48 again');
  assert.deepEqual(
    store.suppressions.list().map((s) => s.email),
    ['s1@example.org', 's5@example.org'],
  );
});

test('the journal holds its facts as JSON lines; a state folder from before the journal gets one with what its database holds', async (t) => {
  const { ws, env } = await newsletter(t);
  assert.equal((await cli(ws, env, ['unsubscribe', 's2@example.org'])).status, 0);
  assert.equal((await cli(ws, env, ['run'])).status, 0);
  const journal = join(ws.stateDir, 'paperwire-journal.jsonl');
  const facts = (): string[] =>
    readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { fact: string }).fact);
  assert.deepEqual(facts().slice(0, 4), ['journal', 'suppressed', 'edition', 'admitted']);
  assert.equal(facts().filter((fact) => fact === 'sent').length, 4);

  // Delete the journal: the next open writes a new one from the database.
  rmSync(journal);
  assert.equal((await cli(ws, env, ['status'])).status, 0);
  assert.ok(existsSync(journal));
  assert.deepEqual(facts().slice(0, 4), ['journal', 'suppressed', 'edition', 'admitted']);
  assert.equal(facts().filter((fact) => fact === 'sent').length, 4);
});
