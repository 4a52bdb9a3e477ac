// The outbox transport: each message becomes an .eml file under
// STATE_DIR/outbox/<edition>/, the embedded default when no SMTP_URL is set, so a
// fresh checkout runs its whole main job. Files are written to a temporary name and
// renamed, so a crash never leaves half a message behind.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutgoingMessage, Transport, TransportResult } from '../../types.ts';
import type { DkimSigningOptions } from '../../unsubscribe/dkim.ts';
import { buildRawMessage } from './mime.ts';

/** A file-name-safe form of an address or edition id (other characters become `_`). */
export function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9._@+-]/g, '_').replace(/^\.+/, '_');
}

/** Where the outbox puts the message of `editionId` for `email`. */
export function outboxPath(outboxDir: string, editionId: string, email: string): string {
  return join(outboxDir, safeFileName(editionId), `${safeFileName(email.toLowerCase())}.eml`);
}

/** A transport writing .eml files under `outboxDir`, DKIM-signed when `dkim` is given. */
export function createOutboxTransport(outboxDir: string, dkim: DkimSigningOptions | null): Transport {
  const made = new Set<string>();
  return {
    name: `outbox ${outboxDir}`,
    async send(message: OutgoingMessage): Promise<TransportResult> {
      const path = outboxPath(outboxDir, message.editionId, message.to.email);
      const dir = join(path, '..');
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      const raw = await buildRawMessage(message, dkim);
      const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, raw);
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return { response: `written ${path}` };
    },
    async close(): Promise<void> {},
  };
}
