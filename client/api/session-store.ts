import { createHash } from 'node:crypto';
import type { SessionStore } from '@fastify/session';
import type { Pool } from 'pg';
import { deleteSession, loadSession, saveSession } from '../../db/sessions';

/** What a session holds: who signed in and when, and when they last asked something (for the idle timeout). */
export interface SessionData {
  userId?: string;
  signedInAt?: number;
  lastSeenAt?: number;
}

const hashed = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

/**
 * Sessions in PostgreSQL, so they survive an API restart, are shared by several API processes, and end at
 * once when a user is disabled. A row lives until the earlier of the idle and the absolute timeout.
 */
export class PgSessionStore implements SessionStore {
  constructor(
    private readonly pool: Pool,
    private readonly limits: { idleMs: number; maxMs: number },
  ) {}

  set(sessionId: string, session: Parameters<SessionStore['set']>[1], callback: (err?: unknown) => void): void {
    const data = session as unknown as SessionData & { _csrf?: string; cookie?: unknown };
    const now = Date.now();
    const expires = Math.min((data.lastSeenAt ?? now) + this.limits.idleMs, (data.signedInAt ?? now) + this.limits.maxMs);
    const { userId, signedInAt, lastSeenAt, _csrf } = data;
    saveSession(this.pool, hashed(sessionId), userId ?? null, { userId, signedInAt, lastSeenAt, _csrf }, new Date(expires)).then(
      () => callback(),
      callback,
    );
  }

  get(sessionId: string, callback: (err: unknown, result?: Parameters<SessionStore['set']>[1] | null) => void): void {
    loadSession(this.pool, hashed(sessionId)).then(
      (data) => callback(null, (data as Parameters<SessionStore['set']>[1]) ?? null),
      (err) => callback(err),
    );
  }

  destroy(sessionId: string, callback: (err?: unknown) => void): void {
    deleteSession(this.pool, hashed(sessionId)).then(() => callback(), callback);
  }
}
