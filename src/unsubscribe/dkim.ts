// DKIM signing options for nodemailer, from DKIM_DOMAIN, DKIM_SELECTOR and the key
// (DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE). The key is checked here, once, because
// nodemailer drops the signature without a word when its key cannot sign.
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/index.ts';
import { PaperwireError } from '../errors.ts';

/**
 * The headers the signature covers. Named explicitly (not nodemailer's default) so that
 * `List-Unsubscribe` and `List-Unsubscribe-Post` stay signed whatever nodemailer version
 * runs: RFC 8058 honours one-click only when both are under the signature.
 */
export const DKIM_SIGNED_HEADERS = [
  'From',
  'Sender',
  'Reply-To',
  'To',
  'Cc',
  'Subject',
  'Date',
  'Message-ID',
  'In-Reply-To',
  'References',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'List-Id',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
] as const;

/** nodemailer's `dkim` transport option for one key. */
export interface DkimSigningOptions {
  domainName: string;
  keySelector: string;
  /** The PEM private key (RSA). */
  privateKey: string;
  /** Colon-separated header names to sign. */
  headerFieldNames: string;
}

/** Receivers ignore signatures made with RSA keys shorter than this (RFC 8301). */
const MIN_RSA_BITS = 1024;

const KEY_HINT =
  'Generate a key with `openssl genrsa -out dkim.pem 2048` and point DKIM_PRIVATE_KEY_FILE at it ' +
  '(or put the PEM text in DKIM_PRIVATE_KEY, newlines written as \\n).';

/** nodemailer's DKIM options for the configured key, or null when DKIM is not configured; throws E_CONFIG on a bad key. */
export async function dkimSigningOptions(config: Config): Promise<DkimSigningOptions | null> {
  const dkim = config.dkim;
  if (!dkim) return null;
  const source =
    dkim.privateKey !== null ? 'DKIM_PRIVATE_KEY' : `DKIM_PRIVATE_KEY_FILE (${dkim.privateKeyFile})`;
  let pem = dkim.privateKey;
  if (pem === null) {
    try {
      pem = await readFile(dkim.privateKeyFile ?? '', 'utf8');
    } catch (error) {
      throw new PaperwireError('E_CONFIG', `cannot read ${source}: ${(error as Error).message}`, {
        hint: `Check the path and that this user may read it. ${KEY_HINT}`,
        cause: error,
      });
    }
  }
  checkKey(pem, source);
  return {
    domainName: dkim.domain,
    keySelector: dkim.selector,
    privateKey: pem,
    headerFieldNames: DKIM_SIGNED_HEADERS.join(':'),
  };
}

/** Throws E_CONFIG unless `pem` is an unencrypted RSA private key of a size receivers accept. */
function checkKey(pem: string, source: string): void {
  if (!pem.includes('-----BEGIN')) {
    throw new PaperwireError('E_CONFIG', `${source} is not a PEM private key (no -----BEGIN line)`, {
      hint: KEY_HINT,
    });
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new PaperwireError(
      'E_CONFIG',
      `${source} is not a usable PEM private key: ${(error as Error).message}`,
      { hint: `The key must be unencrypted (no passphrase). ${KEY_HINT}`, cause: error },
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new PaperwireError(
      'E_CONFIG',
      `${source} is a ${key.asymmetricKeyType} key; paperwire signs DKIM with RSA-SHA256`,
      { hint: KEY_HINT },
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new PaperwireError(
      'E_CONFIG',
      `${source} is a ${bits}-bit RSA key; receivers ignore keys under 1024 bits`,
      {
        hint: KEY_HINT,
      },
    );
  }
}
