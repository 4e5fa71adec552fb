import { createHash } from 'node:crypto';
import { z } from 'zod';
import { IDENTIFIER_MAX, PHONE_MAX, tooLong } from './limits';
import { normaliseMobile } from './mobile';

/**
 * What the HTTP SMS gateway (LINK Mobility's Common platform, the API behind PSWin) sends us: the answer to a
 * send, its delivery reports and the replies (MO messages). Objects are loose because the gateway adds fields
 * (operator, segments, custom parameters ...) we do not need and must not reject on.
 */

/** Read as a thing a person can be shown: zod's messages name the field and what was expected, never the value. */
export class SmsPayloadError extends Error {
  override readonly name = 'SmsPayloadError';
}

function describe(what: string, error: z.ZodError): string {
  const reason = (i: z.core.$ZodIssue) => {
    const field = i.path.length ? i.path.join('.') : 'body';
    // A limit's message names its field already (limits.ts).
    return i.message.startsWith(`${field}:`) ? i.message : `${field}: ${i.message}`;
  };
  return `${what}: ${error.issues.map(reason).join('; ')}`;
}

const messageIdSchema = z.union([z.string().min(1), z.number().transform(String)]);

// Reports may come as JSON numbers or as form fields (strings), as the gateway's "HTTP GET/POST key/value" formats do.
const resultCodeSchema = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number),
]);

/** The 2xx answer to a send: the gateway's message id is what its delivery reports refer to. */
export const sendAnswerSchema = z.object({ messageId: messageIdSchema, resultCode: resultCodeSchema, description: z.string().optional() }).loose();
export type SendAnswer = z.infer<typeof sendAnswerSchema>;

/** A refused send (4xx/5xx). The body is optional: a proxy in front of the gateway may answer with HTML. */
export const gatewayErrorAnswerSchema = z.object({ resultCode: resultCodeSchema.optional(), description: z.string().optional() }).loose();

/**
 * The gateway's result codes that settle a message. 1001 and 1007 mean the handset has it; the codes marked
 * TEMP in LINK's table (sent to operator, queued, billing steps) settle nothing; every other code is final
 * without delivery. "Unknown delivery" finals (4, 5, 1010) count as failed: the office follows such a youth
 * up by phone anyway, and a later 1001 for the same message would not be sent for them.
 */
const DELIVERED_CODES = new Set([1001, 1007]);
const PENDING_CODES = new Set([1000, 1005, 1008, 1011, 1012, 1013]);
export type DeliveryOutcome = 'delivered' | 'failed' | 'pending';
export function deliveryOutcome(resultCode: number): DeliveryOutcome {
  if (DELIVERED_CODES.has(resultCode)) return 'delivered';
  if (PENDING_CODES.has(resultCode)) return 'pending';
  return 'failed';
}

export const deliveryReportSchema = z
  .object({
    id: messageIdSchema.optional(),
    messageId: messageIdSchema.optional(),
    refId: z.string().min(1).nullish(),
    resultCode: resultCodeSchema,
    description: z.string().optional(),
    operator: z.string().nullish(),
    sentTimestamp: z.string().nullish(),
    timestamp: z.string().nullish(),
  })
  .loose()
  .refine((r) => r.id !== undefined || r.messageId !== undefined || r.refId, {
    message: 'a delivery report needs id, messageId or refId',
  });

export interface DeliveryReport {
  /** The gateway's message id without the part suffix a multipart message's reports carry ("abc$1" → "abc"). */
  messageId?: string;
  /** The idempotency key we sent as refId. */
  refId?: string;
  resultCode: number;
  outcome: DeliveryOutcome;
  description?: string;
}

export function parseDeliveryReport(body: unknown): DeliveryReport {
  const parsed = deliveryReportSchema.safeParse(body);
  if (!parsed.success) throw new SmsPayloadError(describe('delivery report', parsed.error));
  const r = parsed.data;
  const id = r.id ?? r.messageId;
  return {
    messageId: id === undefined ? undefined : id.replace(/\$\d+$/, ''),
    refId: r.refId ?? undefined,
    resultCode: r.resultCode,
    outcome: deliveryOutcome(r.resultCode),
    description: r.description,
  };
}

/** A reply from a youth (MO message). Anyone who can reach the endpoint can post one, so every field is bounded (limits.ts). */
export const inboundSmsSchema = z
  .object({
    source: z.string().min(1).max(PHONE_MAX, tooLong('source', PHONE_MAX)),
    destination: z.string().min(1).max(PHONE_MAX, tooLong('destination', PHONE_MAX)),
    // Kept in the inbox; the journal takes at most its first 500 characters (domain/sms-replies.ts).
    userData: z.string().max(10000),
    // It goes into the reply's Update id and, for a text kept out of the journal, into its note.
    messageId: z.union([z.string().min(1).max(IDENTIFIER_MAX, tooLong('messageId', IDENTIFIER_MAX)), z.number().transform(String)]).optional(),
    receivedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .loose();

export interface InboundSms {
  /** The gateway's message id, so a re-posted reply is stored once (sms_inbox.inbound_id). */
  inboundId: string;
  /** E.164 (+47…). */
  from: string;
  text: string;
  receivedAt?: string;
}

export function parseInboundSms(body: unknown): InboundSms {
  const parsed = inboundSmsSchema.safeParse(body);
  if (!parsed.success) throw new SmsPayloadError(describe('inbound SMS', parsed.error));
  const m = parsed.data;
  const from = normaliseMobile(m.source);
  if (!from) throw new SmsPayloadError('inbound SMS: source: is not a Norwegian mobile number (8 digits starting with 4 or 9)');
  // Without the gateway's id, the same content posted again must still map to the same row, so the id is a
  // digest of it. The cost: one youth sending the same text twice with no time stamp is stored once.
  const inboundId =
    m.messageId ??
    `sha256:${createHash('sha256')
      .update(JSON.stringify([from, m.destination, m.userData, m.receivedAt ?? null]))
      .digest('hex')
      .slice(0, 40)}`;
  return { inboundId, from, text: m.userData, receivedAt: m.receivedAt };
}
