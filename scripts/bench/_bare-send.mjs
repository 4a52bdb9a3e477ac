// The whole-process baseline of the send benchmark: a plain Node script, no
// paperwire, that sends one pre-rendered message COUNT times through a nodemailer
// pool of 5 connections to the sink on PORT, and exits. Timed from spawn to exit.
//   node scripts/bench/_bare-send.mjs PORT COUNT MESSAGE.json
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';

const [port, count, file] = process.argv.slice(2);
const message = JSON.parse(readFileSync(file, 'utf8'));
const transport = nodemailer.createTransport({
  pool: true,
  host: '127.0.0.1',
  port: Number(port),
  maxConnections: 5,
});
await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    transport.sendMail({
      from: message.from,
      to: { name: `Subscriber ${i}`, address: `s${i}@example.org` },
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageId: `<bare-${process.pid}.${i}@news.example.org>`,
      headers: message.headers,
    }),
  ),
);
transport.close();
