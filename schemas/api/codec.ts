import { z } from 'zod';

/**
 * The codec server's bodies, as the Temporal UI and CLI send and read them: payloads in proto3 JSON, every
 * bytes field (each metadata value, the data) in base64. One schema for the request and the answer of
 * both /codec/encode and /codec/decode.
 */

/** At most this many payloads in one request: the UI sends one event's payloads at a time. */
export const MAX_CODEC_PAYLOADS = 1000;

const base64 = z.base64('a payload field is base64');

export const codecPayloadSchema = z.object({
  metadata: z.record(z.string().max(200), base64).nullish(),
  data: base64.nullish(),
});

export const codecPayloadsSchema = z.object({ payloads: z.array(codecPayloadSchema).max(MAX_CODEC_PAYLOADS) });
export type CodecPayloads = z.infer<typeof codecPayloadsSchema>;
