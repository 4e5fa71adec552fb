import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

/** How long an answer is kept for retries: a retry a day later runs as a new request. */
export const IDEMPOTENCY_KEY_TTL = '24 hours';

/** What a key was first used for; the same key for anything else is refused. */
export interface RequestFingerprint {
  method: string;
  url: string;
  requestHash: string;
}

/** The first answer, as a retry gets it again. `body` undefined: it was a stream and was not kept. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface KeyOwner {
  principal: string;
  key: string;
}

export type ClaimOutcome =
  | { claimed: true; token: string }
  | { claimed: false; fingerprint: RequestFingerprint; answer?: StoredAnswer /* undefined: still being processed */ };

/** Deletes every key older than the TTL; each claim runs it first, so no expired answer is ever replayed. */
export async function deleteExpiredIdempotencyKeys(pool: Pool): Promise<number> {
  const r = await pool.query(`DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval`, [IDEMPOTENCY_KEY_TTL]);
  return r.rowCount ?? 0;
}

/**
 * Claims the key for this request, or returns what holds it. A claim still open after `abandonedAfterSeconds`
 * (its process died before answering) is taken over by a retry of the same request, never by a different one.
 */
export async function claimIdempotencyKey(
  pool: Pool,
  owner: KeyOwner,
  request: RequestFingerprint,
  abandonedAfterSeconds: number,
): Promise<ClaimOutcome> {
  await deleteExpiredIdempotencyKeys(pool);
  // The holder may release its claim between our INSERT and SELECT (a 5xx): then the key is free, so try again.
  for (;;) {
    const token = randomUUID();
    const claim = await pool.query(
      `INSERT INTO idempotency_keys (principal, key, method, url, request_hash, claim_token) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (principal, key) DO UPDATE SET claim_token = EXCLUDED.claim_token, created_at = now()
         WHERE idempotency_keys.completed_at IS NULL AND idempotency_keys.created_at < now() - make_interval(secs => $7)
           AND (idempotency_keys.method, idempotency_keys.url, idempotency_keys.request_hash) = (EXCLUDED.method, EXCLUDED.url, EXCLUDED.request_hash)
       RETURNING claim_token`,
      [owner.principal, owner.key, request.method, request.url, request.requestHash, token, abandonedAfterSeconds],
    );
    if (claim.rows[0]) return { claimed: true, token };
    const held = await pool.query(
      `SELECT method, url, request_hash, status, response_headers, response_body FROM idempotency_keys WHERE principal = $1 AND key = $2`,
      [owner.principal, owner.key],
    );
    const row = held.rows[0];
    if (!row) continue;
    const fingerprint = { method: row.method as string, url: row.url as string, requestHash: row.request_hash as string };
    if (row.status === null) return { claimed: false, fingerprint };
    const answer: StoredAnswer = {
      status: row.status as number,
      headers: row.response_headers as Record<string, string>,
      body: (row.response_body as Buffer | null) ?? undefined,
    };
    return { claimed: false, fingerprint, answer };
  }
}

/** Keeps the answer of the request holding the claim; false when the claim is no longer its own. */
export async function storeIdempotentAnswer(pool: Pool, owner: KeyOwner, token: string, answer: StoredAnswer): Promise<boolean> {
  const r = await pool.query(
    `UPDATE idempotency_keys SET status = $4, response_headers = $5, response_body = $6, completed_at = now()
     WHERE principal = $1 AND key = $2 AND claim_token = $3 AND completed_at IS NULL`,
    [owner.principal, owner.key, token, answer.status, JSON.stringify(answer.headers), answer.body ?? null],
  );
  return r.rowCount === 1;
}

/** Frees the key of a request that failed (5xx), so a retry runs it again. */
export async function releaseIdempotencyKey(pool: Pool, owner: KeyOwner, token: string): Promise<boolean> {
  const r = await pool.query(`DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND claim_token = $3 AND completed_at IS NULL`, [
    owner.principal,
    owner.key,
    token,
  ]);
  return r.rowCount === 1;
}
