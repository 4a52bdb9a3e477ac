// A real SMTP server for tests (smtp-server on 127.0.0.1, port 0) that records what
// it receives and whose answers are decided per test by hooks: accept, refuse the
// connection, the login or the sender, reply 4xx/5xx to RCPT TO or after the final
// ".", answer slowly or never, or cut the connection once the message is in.
//
//   const sink = await startSmtpSink();
//   t.after(() => sink.close());
//   sink.hooks.rcpt = (address) => (address === 'gone@example.org' ? { code: 550, message: '5.1.1 no such user' } : undefined);
//   … send to sink.url …
//   assert.equal(sink.receivedBy('ada@example.org').length, 1);
//
// Replies are sent exactly as the hooks write them (the server adds no enhanced
// status code of its own), so `{ code: 550, message: '5.7.1 policy' }` is `550 5.7.1 policy`.
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** A message as the sink saw it. */
export interface SinkMessage {
  /** The envelope sender (MAIL FROM). */
  from: string;
  /** The envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  /** The message exactly as received (parse it with mailparser's simpleParser). */
  raw: Buffer;
  /** The Message-ID header without angle brackets, or null. */
  messageId: string | null;
  /** performance.now() when the whole message was in (for an accepted one: when it was accepted). */
  at: number;
  /** True when MAIL FROM carried the SMTPUTF8 parameter (RFC 6531). */
  smtpUtf8: boolean;
}

/** An SMTP reply a hook asks for. */
export interface SinkReply {
  code: number;
  message: string;
}

/** Decide the sink's answers; return nothing to accept. `attempt` counts per recipient, from 1. */
export interface SinkHooks {
  /** Answer to a new connection (a reply refuses it, e.g. 554 at the greeting); `attempt` counts connections. */
  connect?(context: { attempt: number }): SinkReply | undefined;
  /** Answer to AUTH, after the `auth` option's own check passed. */
  auth?(user: string): SinkReply | undefined;
  /** Answer to MAIL FROM for `address` (as sent); `attempt` counts MAIL FROM commands. */
  mailFrom?(address: string, context: { attempt: number }): SinkReply | undefined;
  /** Answer to RCPT TO for `address` (lower-cased). */
  rcpt?(
    address: string,
    context: { attempt: number },
  ): SinkReply | undefined | Promise<SinkReply | undefined>;
  /**
   * Answer to the end of DATA, once the whole message is in. `'drop'` destroys the
   * connection without any reply: the client cannot know whether the message arrived.
   * A promise that never settles is a server that stores the message and never answers.
   */
  data?(
    message: SinkMessage,
    context: { attempt: number },
  ): SinkReply | 'drop' | undefined | Promise<SinkReply | 'drop' | undefined>;
}

/** Options of startSmtpSink. */
export interface SmtpSinkOptions {
  hooks?: SinkHooks;
  /** Wait this long before accepting each message (a slow server, for kill-mid-send tests). */
  acceptDelayMs?: number;
  /** Require this login (AUTH PLAIN/LOGIN, allowed without TLS). */
  auth?: { user: string; pass: string };
  /** Offer STARTTLS with smtp-server's built-in self-signed certificate. */
  starttls?: boolean;
  /** Offer SMTPUTF8 in the EHLO reply (default true, as smtp-server does). */
  smtpUtf8?: boolean;
}

/** A running sink. */
export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:<port>`, ready for SMTP_URL. */
  url: string;
  /** The hooks in force; replace them at any time. */
  hooks: SinkHooks;
  /** Accepted messages, in order. */
  accepted: SinkMessage[];
  /** Accepted messages addressed to `address` (case-insensitive). */
  receivedBy(address: string): SinkMessage[];
  /** How many times each recipient was accepted (lower-cased address → count). */
  countsByRecipient(): Map<string, number>;
  /** How many times RCPT TO was tried for `address`, accepted or not. */
  rcptAttempts(address: string): number;
  /** How many complete messages arrived for `address` before the reply, whatever the reply. */
  dataAttempts(address: string): number;
  /** Every complete message that arrived, accepted or not, in order. */
  arrived: SinkMessage[];
  /** The MAIL FROM and RCPT TO commands exactly as the client sent them (without TLS), in order. */
  envelopeCommands: string[];
  /** Resolves once `count` messages were accepted (rejects after `timeoutMs`). */
  waitForAccepted(count: number, timeoutMs?: number): Promise<void>;
  /** Cuts every connection and stops listening. */
  close(): Promise<void>;
}

function bump(counts: Map<string, number>, key: string): number {
  const value = (counts.get(key) ?? 0) + 1;
  counts.set(key, value);
  return value;
}

function messageIdOf(raw: Buffer): string | null {
  const headerEnd = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, headerEnd === -1 ? raw.length : headerEnd).toString('utf8');
  return /^message-id:\s*<([^>\r\n]+)>/im.exec(head)?.[1] ?? null;
}

function smtpError(reply: SinkReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

/** Starts a sink on 127.0.0.1 and a free port. Close it in `after`/`t.after`. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const accepted: SinkMessage[] = [];
  const arrived: SinkMessage[] = [];
  const envelopeCommands: string[] = [];
  let connections = 0;
  let mailFroms = 0;
  const rcptCounts = new Map<string, number>();
  const dataCounts = new Map<string, number>();
  const sockets = new Map<number, Socket>();
  const waiters = new Set<() => void>();

  const sink = { hooks: options.hooks ?? {} } as SmtpSink;
  const disabledCommands = [...(options.starttls ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])];
  const server = new SMTPServer({
    logger: false,
    hideENHANCEDSTATUSCODES: true,
    disabledCommands,
    authOptional: !options.auth,
    allowInsecureAuth: true,
    size: 50 * 1024 * 1024,
    hideSMTPUTF8: options.smtpUtf8 === false,
    onConnect(_session, callback) {
      const reply = sink.hooks.connect?.({ attempt: ++connections });
      callback(reply ? smtpError(reply) : null);
    },
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        const reply = sink.hooks.auth?.(auth.username ?? '');
        callback(reply ? smtpError(reply) : null, reply ? undefined : { user: auth.username });
      } else {
        callback(smtpError({ code: 535, message: '5.7.8 authentication failed' }));
      }
    },
    onMailFrom(address, _session, callback) {
      const reply = sink.hooks.mailFrom?.(address.address, { attempt: ++mailFroms });
      callback(reply ? smtpError(reply) : null);
    },
    onRcptTo(address, _session, callback) {
      const key = address.address.toLowerCase();
      const attempt = bump(rcptCounts, key);
      Promise.resolve(sink.hooks.rcpt?.(key, { attempt })).then(
        (reply) => callback(reply ? smtpError(reply) : null),
        (error: Error) => callback(error),
      );
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const message: SinkMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
          raw,
          messageId: messageIdOf(raw),
          at: performance.now(),
          smtpUtf8: session.envelope.smtpUtf8 === true,
        };
        arrived.push(message);
        let attempt = 0;
        for (const to of message.to) attempt = Math.max(attempt, bump(dataCounts, to));
        try {
          const reply = await sink.hooks.data?.(message, { attempt });
          if (reply === 'drop') {
            sockets.get(session.remotePort)?.destroy();
            return;
          }
          if (reply) return callback(smtpError(reply));
          if (options.acceptDelayMs)
            await new Promise((resolve) => setTimeout(resolve, options.acceptDelayMs));
          message.at = performance.now();
          accepted.push(message);
          for (const wake of waiters) wake();
          callback(null, `2.0.0 accepted ${message.messageId ?? ''}`.trim());
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  server.server.on('connection', (socket: Socket) => {
    // smtp-server hands hooks the addresses decoded (punycode domains in Unicode): keep the wire's.
    socket.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\r\n')) {
        if (/^(MAIL FROM|RCPT TO):/i.test(line)) envelopeCommands.push(line);
      }
    });
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });
  server.on('error', () => {
    // A client vanishing mid-session is what some tests do on purpose.
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  Object.assign(sink, {
    port,
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    arrived,
    envelopeCommands,
    receivedBy: (address: string) => accepted.filter((m) => m.to.includes(address.toLowerCase())),
    countsByRecipient() {
      const counts = new Map<string, number>();
      for (const message of accepted) for (const to of message.to) bump(counts, to);
      return counts;
    },
    rcptAttempts: (address: string) => rcptCounts.get(address.toLowerCase()) ?? 0,
    dataAttempts: (address: string) => dataCounts.get(address.toLowerCase()) ?? 0,
    waitForAccepted(count: number, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (accepted.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`the sink accepted ${accepted.length} messages, not ${count}, in ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets.values()) socket.destroy();
        server.close(() => resolve());
      });
    },
  } satisfies Omit<SmtpSink, 'hooks'>);
  return sink;
}
