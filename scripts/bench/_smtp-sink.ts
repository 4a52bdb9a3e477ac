// A loopback SMTP sink for the send benchmark, run as its own process so its CPU
// is not charged to the sender being measured. It accepts every message, counts
// it, and talks to its parent over IPC: it sends `{ port }` once listening and
// answers `{ type: 'count' }` with `{ count }`.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

let count = 0;
let bytes = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 50 * 1024 * 1024,
  onData(stream, _session, callback) {
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
      count++;
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as AddressInfo;
  process.send?.({ type: 'listening', port });
});

process.on('message', (message: { type?: string }) => {
  if (message.type === 'count') process.send?.({ type: 'count', count, bytes });
  if (message.type === 'reset') {
    count = 0;
    bytes = 0;
    process.send?.({ type: 'reset' });
  }
});

// The parent going away (or closing the IPC channel) ends the sink.
process.on('disconnect', () => {
  for (const connection of server.connections) connection.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
