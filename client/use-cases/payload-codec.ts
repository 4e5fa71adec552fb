import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { CASE_ID_PATTERN } from '../../schemas/case-id';
import type { PayloadKeyRing } from '../../schemas/config';
import type { CodecPayloads } from '../../schemas/api/codec';
import { PayloadEncryptionCodec } from '../../runtime/payload-codec';

/**
 * What the codec server does for the Temporal UI and CLI: the payloads of a request decoded (decrypted)
 * or encoded (encrypted with the newest key), in the proto3 JSON they send, and the cases whose payloads
 * were read, for the audit row.
 */

type JsonPayload = CodecPayloads['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: p.data ? new Uint8Array(Buffer.from(p.data, 'base64')) : undefined,
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
});

/** The case ids a decoded JSON payload names (`caseId` fields at any depth): the cases whose data was read. */
function caseIdsIn(payload: Payload): string[] {
  if (Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString() !== 'json/plain' || !payload.data) return [];
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload.data).toString('utf8'));
  } catch {
    return [];
  }
  const found = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 20 || !v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'caseId' && typeof x === 'string' && CASE_ID_PATTERN.test(x)) found.add(x);
      else walk(x, depth + 1);
    }
  };
  walk(value, 0);
  return [...found];
}

export async function decodePayloads(ring: PayloadKeyRing, body: CodecPayloads): Promise<{ payloads: CodecPayloads; caseIds: string[] }> {
  const decoded = await new PayloadEncryptionCodec(ring).decode(body.payloads.map(fromJson));
  return { payloads: { payloads: decoded.map(toJson) }, caseIds: [...new Set(decoded.flatMap(caseIdsIn))] };
}

export async function encodePayloads(ring: PayloadKeyRing, body: CodecPayloads): Promise<CodecPayloads> {
  return { payloads: (await new PayloadEncryptionCodec(ring).encode(body.payloads.map(fromJson))).map(toJson) };
}
