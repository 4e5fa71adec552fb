import { createHash } from 'node:crypto';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Pool } from 'pg';
import { claimIdempotencyKey, releaseIdempotencyKey, storeIdempotentAnswer, type KeyOwner, type StoredAnswer } from '../../db/idempotency-keys';

/**
 * Idempotent writes: a write sent with an `Idempotency-Key` header is answered once; a retry with the same key
 * gets the first answer again (with `Idempotent-Replayed: true`) and changes nothing more. The answers are kept
 * in PostgreSQL (db/idempotency-keys.ts), so a retry that reaches another API process is answered the same.
 *
 * A route chooses with `config: { idempotency: 'required' | 'optional' | 'off' }`; without it, the `required`
 * option decides. A request without a principal is never cached: the key belongs to whoever sent it.
 */

export type IdempotencyMode = 'required' | 'optional' | 'off';

declare module 'fastify' {
  interface FastifyContextConfig {
    idempotency?: IdempotencyMode;
  }
}

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

export interface IdempotencyOptions {
  pool: Pool;
  /** Whose key it is: the signed-in user's id or the API token's id; undefined when nobody is signed in. */
  principal: (req: FastifyRequest) => string | undefined;
  /** Writes without the header are refused (400), unless their route says otherwise. */
  required?: boolean;
  /** A claim still open this long (its process died mid-request) may be taken over by a retry. Default 600. */
  abandonedAfterSeconds?: number;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;
/** The headers of an answer a replay needs to mean the same; the rest (dates, lengths) are made anew. */
const KEPT_HEADERS = ['content-type', 'location'];
const MESSAGES = {
  required: `${IDEMPOTENCY_KEY_HEADER} header is required`,
  badKey: `${IDEMPOTENCY_KEY_HEADER} header must be one value of 1 to 200 visible ASCII characters (no spaces)`,
  otherRequest: `${IDEMPOTENCY_KEY_HEADER} header: this key was already used for a different request (another method, URL or body); use a new key for a new request`,
  inProgress: `a request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed`,
  notReplayable: `the request with this ${IDEMPOTENCY_KEY_HEADER} was completed, but its answer was a stream and cannot be sent again; it was not run again`,
};

interface Claim {
  owner: KeyOwner;
  token: string;
}

const claims = new WeakMap<FastifyRequest, Claim>();
const requestHashes = new WeakMap<FastifyRequest, string>();

/** JSON with its object keys sorted, so a retry whose client serialises the same body in another order is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestBodyHash(body: unknown): string {
  const hash = createHash('sha256');
  if (body === undefined || body === null) hash.update('none');
  else if (Buffer.isBuffer(body)) hash.update('bytes:').update(body);
  else if (typeof body === 'string') hash.update('text:').update(body);
  else hash.update('json:').update(canonicalJson(body));
  return hash.digest('hex');
}

function modeOf(req: FastifyRequest, options: IdempotencyOptions): IdempotencyMode {
  // No route matched (404): there is nothing to protect.
  if (!WRITES.has(req.method) || req.routeOptions.url === undefined) return 'off';
  return req.routeOptions.config.idempotency ?? (options.required ? 'required' : 'optional');
}

/** What onSend is given, as bytes to keep; undefined for a stream, which cannot be kept without holding it all. */
function payloadBytes(payload: unknown): Buffer | undefined {
  if (payload === undefined || payload === null) return Buffer.alloc(0);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  return undefined;
}

function keptHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

function replay(reply: FastifyReply, answer: StoredAnswer): FastifyReply {
  if (!answer.body) return reply.code(409).send({ error: MESSAGES.notReplayable });
  return reply.code(answer.status).headers(answer.headers).header(REPLAYED_HEADER, 'true').send(answer.body);
}

/**
 * Adds the hooks to `app` (and so to every route of it and of its child plugins). The claim is made in a
 * preHandler: register this after the hook that authenticates (an onRequest hook, or a preHandler added before
 * this one on the same instance or a parent), so `principal(req)` finds who is signed in. Route-level preHandlers
 * run after it: a refusal there (403) is kept as the key's answer like any 4xx.
 */
export function registerIdempotency<T extends FastifyTypeProvider>(
  app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, T>,
  options: IdempotencyOptions,
): void {
  const { pool } = options;
  const abandonedAfterSeconds = options.abandonedAfterSeconds ?? 600;

  // The body as sent, before validation may strip or coerce it: two bodies that differ are never the same request.
  app.addHook('preValidation', async (req) => {
    if (modeOf(req, options) !== 'off' && req.headers['idempotency-key'] !== undefined) requestHashes.set(req, requestBodyHash(req.body));
  });

  app.addHook('preHandler', async (req, reply) => {
    const mode = modeOf(req, options);
    if (mode === 'off') return;
    const principal = options.principal(req);
    if (principal === undefined) return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return mode === 'required' ? reply.code(400).send({ error: MESSAGES.required }) : undefined;
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) return reply.code(400).send({ error: MESSAGES.badKey });

    const owner = { principal, key };
    const request = { method: req.method, url: req.url, requestHash: requestHashes.get(req) ?? requestBodyHash(req.body) };
    const outcome = await claimIdempotencyKey(pool, owner, request, abandonedAfterSeconds);
    if (outcome.claimed) {
      claims.set(req, { owner, token: outcome.token });
      return;
    }
    const first = outcome.fingerprint;
    if (first.method !== request.method || first.url !== request.url || first.requestHash !== request.requestHash) {
      return reply.code(422).send({ error: MESSAGES.otherRequest });
    }
    if (!outcome.answer) return reply.code(409).header('retry-after', '1').send({ error: MESSAGES.inProgress });
    return replay(reply, outcome.answer);
  });

  // onSend runs before the answer leaves: it is kept before the client can see it, so any retry finds it.
  app.addHook('onSend', async (req, reply, payload) => {
    const claim = claims.get(req);
    if (!claim) return payload;
    claims.delete(req);
    try {
      // A server failure may have changed nothing: the key is freed so the retry runs the request again.
      if (reply.statusCode >= 500) await releaseIdempotencyKey(pool, claim.owner, claim.token);
      else
        await storeIdempotentAnswer(pool, claim.owner, claim.token, {
          status: reply.statusCode,
          headers: keptHeaders(reply),
          body: payloadBytes(payload),
        });
    } catch (err) {
      // The client still gets its answer; a retry is refused as in progress until the claim counts as abandoned.
      req.log.error({ err: (err as Error).message, code: (err as { code?: string }).code }, 'the answer to an idempotent request could not be kept');
    }
    return payload;
  });
}
