import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { PayloadKey } from '../schemas/config';

/**
 * The key ring of the payload codec (runtime/payload-codec.ts) as configuration writes it: entries
 * `ID=KEY`, where KEY is 32 random bytes in base64 (`openssl rand -base64 32`), oldest first. The last
 * entry encrypts every new payload; every entry decrypts the payloads that name its id. In
 * OT_PAYLOAD_KEYS the entries are separated by commas (or whitespace), in a key file by lines, where `#`
 * starts a comment.
 */

export class PayloadKeyError extends Error {}

/** The name of the local stack's key file in its data folder (made once, like case-id.key). */
export const LOCAL_PAYLOAD_KEYS_FILE = 'payload-keys';

export const PAYLOAD_KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,40}$/;
const KEY_BYTES = 32;

/**
 * The ring written in `text`; `where` names the variable or file in every message. A message names an
 * entry by its position and id, never by its key.
 */
export function parsePayloadKeys(text: string, where: string): PayloadKey[] {
  const entries = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter(Boolean);
  if (entries.length === 0)
    throw new PayloadKeyError(`${where} holds no key: write ID=KEY, KEY being 32 random bytes in base64 (openssl rand -base64 32)`);
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const at = entry.indexOf('=');
    const id = at > 0 ? entry.slice(0, at) : '';
    const value = at > 0 ? entry.slice(at + 1) : '';
    // Named by its id only once that is an id: a key written without one (base64 ends in '=') would be quoted
    // otherwise. Ids are at most 40 characters, keys 44.
    const validId = PAYLOAD_KEY_ID_PATTERN.test(id);
    const which = `${where}, key ${i + 1}${validId ? ` (${id})` : ''}`;
    if (!validId) throw new PayloadKeyError(`${which}: write ID=KEY, the id of 1 to 40 letters, digits, '.', '_' or '-'`);
    if (seen.has(id)) throw new PayloadKeyError(`${which}: the id ${id} is given twice`);
    seen.add(id);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || Buffer.from(value, 'base64').length !== KEY_BYTES)
      throw new PayloadKeyError(`${which}: the key must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
    return { id, key: new Uint8Array(Buffer.from(value, 'base64')) };
  });
}

/** A new key with an id that says when it was made; the random part keeps two hosts' ids apart. */
export function newPayloadKey(now = new Date()): { id: string; entry: string } {
  const id = `k${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  return { id, entry: `${id}=${randomBytes(KEY_BYTES).toString('base64')}` };
}

const FILE_HEADER = [
  '# The keys of the Temporal payload codec (AES-256-GCM), oldest first: the last one encrypts new payloads.',
  '# Never delete a line while a workflow history may still hold a payload it encrypted: that payload could',
  '# never be read again. `ot payload-keys rotate` adds a new key; back this file up with the database.',
];

/** The local stack's key ring, made with one key on first use; only its owner may read it. */
export function localPayloadKeys(dataDir: string): { keys: PayloadKey[]; file: string } {
  const file = path.join(dataDir, LOCAL_PAYLOAD_KEYS_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${[...FILE_HEADER, newPayloadKey().entry].join('\n')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process of the same stack made it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return { keys: parsePayloadKeys(readFileSync(file, 'utf8'), file), file };
}

/** Adds a new newest key to a key file (the local stack's); returns its id. Running processes use it after a restart. */
export function appendPayloadKey(file: string, now = new Date()): string {
  const text = readFileSync(file, 'utf8');
  const existing = parsePayloadKeys(text, file);
  let made = newPayloadKey(now);
  while (existing.some((k) => k.id === made.id)) made = newPayloadKey(now);
  appendFileSync(file, `${text.endsWith('\n') ? '' : '\n'}${made.entry}\n`);
  chmodSync(file, 0o600);
  return made.id;
}
