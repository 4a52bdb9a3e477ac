// A mailbox connection that drops while the folder is listed: E_MAILBOX with a hint,
// not an "unexpected error". The drop is real: Dovecot is reached through a loopback
// relay the test cuts.
import assert from 'node:assert/strict';
import { createConnection, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import { openImapFolder } from '../../src/mailbox/imap.ts';
import { DOVECOT_PASSWORD, startDovecot } from '../helpers/dovecot.ts';
import { tempDir } from '../helpers/temp.ts';

/** A TCP relay to `port` on loopback; `cut()` ends every connection through it. */
async function relay(t: { after(fn: () => void): void }, port: number) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return {
    port: (server.address() as { port: number }).port,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

test('a connection that drops while the folder is listed is E_MAILBOX with a hint to run it again', async (t) => {
  const dovecot = await startDovecot(t, { users: ['papers'] });
  if (!dovecot) return;
  await dovecot.append(
    'papers',
    'From: a@example.org\r\nSubject: hello\r\nMessage-ID: <m1@example.org>\r\n\r\nhi\r\n',
  );
  const through = await relay(t, dovecot.port);
  const dir = tempDir(t);
  const config = loadConfig(
    { STATE_DIR: dir, MAILBOX_URL: `imap://papers:${DOVECOT_PASSWORD}@127.0.0.1:${through.port}/INBOX` },
    dir,
  );
  const folder = await openImapFolder(config.mailbox!, {
    connectionTimeoutMs: 5_000,
    greetingTimeoutMs: 5_000,
    socketTimeoutMs: 5_000,
  });
  t.after(() => folder.close().catch(() => {}));
  through.cut();
  await assert.rejects(
    folder.list(),
    (error: unknown) => isPaperwireError(error, 'E_MAILBOX') && /again/.test(error.hint ?? ''),
  );
});
