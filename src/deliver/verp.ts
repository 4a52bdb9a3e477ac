// The envelope sender (Return-Path) of every message, and VERP: with
// BOUNCE_ADDRESS=bounces+{token}@example.org each message goes out from its own
// address, `bounces+2026-w48-<mac>@example.org`, so a delivery report names the
// subscriber and edition even when it quotes nothing of the original.
//
// A local part may be 64 octets at most, so the token cannot hold the address itself:
// it holds the edition and a MAC of (edition, address) under a key derived from
// UNSUBSCRIBE_SECRET. Reading it back means finding the ledger row of that edition
// whose MAC matches; a forged or mangled token matches none. Lower case only, since
// some MTAs lower-case local parts.
import { createHmac } from 'node:crypto';
import { VERP_PLACEHOLDER } from '../config/index.ts';
import { addressKey, bareAddress } from '../subscribers/address.ts';
import { sameMac } from '../tokens.ts';
import type { SenderSetting } from './retry.ts';

/** Hex characters of the MAC part (80 bits). */
const MAC_LENGTH = 20;

/** A token as it stands in a (lower-cased) address: the edition part, `-`, the MAC. */
const TOKEN = new RegExp(`^([a-z0-9.-]+)-([0-9a-f]{${MAC_LENGTH}})$`);

/** What the envelope sender is made from: BOUNCE_ADDRESS (maybe with {token}), else the From address. */
export interface BounceAddressSettings {
  /** BOUNCE_ADDRESS as configured, or null. */
  bounceAddress: string | null;
  /** UNSUBSCRIBE_SECRET; required (and checked by the config) when bounceAddress holds {token}. */
  secret: string | null;
}

/** A VERP token as found in an address: the edition part (lower case) and the MAC. */
export interface VerpToken {
  edition: string;
  mac: string;
}

/** The setting the envelope sender comes from, for a hint when the relay refuses it. */
export function envelopeSenderSetting(settings: BounceAddressSettings): SenderSetting {
  return settings.bounceAddress ? 'BOUNCE_ADDRESS' : 'MAIL_FROM';
}

/** The envelope sender of edition `editionId` to `email`; `from` (the From header) when BOUNCE_ADDRESS is unset. */
export function envelopeSender(
  settings: BounceAddressSettings,
  from: string,
  editionId: string,
  email: string,
): string {
  const pattern = settings.bounceAddress;
  if (!pattern) return bareAddress(from);
  if (!pattern.includes(VERP_PLACEHOLDER)) return pattern;
  return pattern.replace(VERP_PLACEHOLDER, verpToken(settings.secret ?? '', editionId, email));
}

/** The token of (edition, address): `<edition, lower case>-<MAC>`. */
export function verpToken(secret: string, editionId: string, email: string): string {
  return `${editionPart(editionId)}-${mac(secret, editionId, email)}`;
}

/** The token inside `address` when it has the shape of BOUNCE_ADDRESS's pattern, else null. */
export function readVerpToken(settings: BounceAddressSettings, address: string): VerpToken | null {
  const pattern = settings.bounceAddress;
  if (!pattern?.includes(VERP_PLACEHOLDER)) return null;
  const [before, after] = pattern.toLowerCase().split(VERP_PLACEHOLDER) as [string, string];
  const candidate = bareAddress(address).toLowerCase();
  if (!candidate.startsWith(before) || !candidate.endsWith(after)) return null;
  const token = candidate.slice(before.length, candidate.length - after.length);
  const match = TOKEN.exec(token);
  return match ? { edition: match[1]!, mac: match[2]! } : null;
}

/** True when `token` was made by this secret for exactly (editionId, email). */
export function verpTokenMatches(
  secret: string,
  token: VerpToken,
  editionId: string,
  email: string,
): boolean {
  return token.edition === editionPart(editionId) && sameMac(token.mac, mac(secret, editionId, email));
}

/** The edition as it appears in a token: lower case, only characters a local part may hold unquoted. */
export function editionPart(editionId: string): string {
  return editionId.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
}

function mac(secret: string, editionId: string, email: string): string {
  // A key of its own, so a VERP token can never be replayed as an unsubscribe token.
  const key = createHmac('sha256', secret).update('paperwire VERP key').digest();
  return createHmac('sha256', key)
    .update(`${editionId}\n${addressKey(email)}`)
    .digest('hex')
    .slice(0, MAC_LENGTH);
}
