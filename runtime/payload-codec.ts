import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey, PayloadKeyRing } from '../schemas/config';

/**
 * Every payload a client or worker of ours hands to Temporal (workflow inputs and results, signal and
 * update arguments and results, queries, memos, activity inputs and results) is encrypted here first,
 * with AES-256-GCM, as the Temporal TypeScript SDK's encryption sample does it: the whole payload (its
 * metadata too) becomes the ciphertext of a new payload whose metadata says `binary/encrypted` and names
 * the key (`encryption-key-id`). Temporal's database, its UI and its CLI then see only ciphertext;
 * the codec server of the API (client/api/routes/codec-routes.ts) decodes for those allowed to read it.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A payload that cannot be decrypted here. The message names the key id and never the payload's bytes. */
export class PayloadDecryptionError extends ValueError {}

const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

/** The newest key: the last of the ring. */
function newestKey(ring: PayloadKeyRing): PayloadKey {
  const key = ring.keys.at(-1);
  if (!key) throw new ValueError('the payload key ring is empty');
  return key;
}

/**
 * Encrypts one payload with the ring's newest key. The key id is also the cipher's additional
 * authenticated data: a payload whose key id was changed is refused, not decrypted with another key.
 */
export function encryptPayload(payload: Payload, ring: PayloadKeyRing): Payload {
  const { id, key } = newestKey(ring);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(id, 'utf8'));
  const plain = temporal.api.common.v1.Payload.encode(payload).finish();
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id) },
    data: new Uint8Array(sealed),
  };
}

/**
 * The payload as it was before encryption. A payload without the encrypted encoding is returned as it
 * is: the recorded histories of test/replay/, and every workflow started before the codec was added,
 * hold plaintext payloads, and they must keep replaying and running. A payload whose key is not in the
 * ring, or whose ciphertext was changed, is refused with an error: never its plaintext, never its bytes.
 */
export function decryptPayload(payload: Payload, ring: PayloadKeyRing): Payload {
  if (!isEncrypted(payload)) return payload;
  const id = text(payload.metadata?.[KEY_ID_METADATA]);
  if (!id) throw new PayloadDecryptionError('an encrypted payload names no encryption key id: it cannot be decrypted');
  const key = ring.keys.find((k) => k.id === id);
  if (!key)
    throw new PayloadDecryptionError(
      `a payload is encrypted with key ${id}, which is not in this process's payload key ring (${ring.keys.map((k) => k.id).join(', ')}): give every process the same keys (OT_PAYLOAD_KEYS or OT_PAYLOAD_KEYS_FILE; see the README on rotation)`,
    );
  const data = Buffer.from(payload.data ?? new Uint8Array());
  if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`a payload encrypted with key ${id} is too short to be one of ours`);
  const decipher = createDecipheriv(CIPHER, key.key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(id, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new PayloadDecryptionError(
      `a payload encrypted with key ${id} fails its authentication: it was changed, or made with another key of that id`,
    );
  }
  return temporal.api.common.v1.Payload.decode(plain);
}

/** The codec of every client and worker: encrypts with the newest key, decrypts with each payload's own. */
export class PayloadEncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: PayloadKeyRing) {
    newestKey(ring);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => encryptPayload(p, this.ring));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => decryptPayload(p, this.ring));
  }
}

/** The data converter of every Temporal client and worker of ours. */
export function dataConverterOf(ring: PayloadKeyRing): DataConverter {
  return { payloadCodecs: [new PayloadEncryptionCodec(ring)] };
}
