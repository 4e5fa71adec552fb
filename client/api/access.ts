import type {} from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { appendAudit } from '../../db/audit';
import { unitOfCase } from '../../db/cases';
import { decide, isRead, type Action } from '../../domain/access-policy';
import type { Principal } from '../../schemas/roles';
import { principalOfToken, principalOfUserId } from '../use-cases/users';
import type { SessionData } from './session-store';

/**
 * What a route declares about access: public (no sign-in), or the policy action it takes and where the
 * unit it concerns comes from (UnitSource).
 */
export type RouteAccess = { public: true } | { action: Action; unit?: UnitSource; csrf?: false };

/** Where a request names the unit it concerns: the case of its `:caseId` (or of its body's `caseId`), or the `unit` of its query, body or path. */
export type UnitSource = 'case' | 'query' | 'body' | 'params';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** How the principal came: a browser session (writes need the CSRF token) or an API token. */
    via?: 'session' | 'token';
    /** What the audit row of this request records; the handler adds the cases or list it read. */
    audit?: { action: Action; caseIds: string[]; list?: string; denied?: boolean };
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges our fields into the session's type
  interface Session extends SessionData {}
}

/** Notes the cases (and the list) a handler read or changed, for the request's audit row. */
export function audited(req: FastifyRequest, caseIds: readonly string[], list?: string): void {
  if (!req.audit) return;
  req.audit.caseIds.push(...caseIds);
  if (list) req.audit.list = list;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Registers authentication (API token or session), the policy check of every route, CSRF for writes made
 * with a session, and the audit row of every request that took an action.
 */
export function registerAccess(app: FastifyInstance, deps: { pool: Pool; limits: { idleMs: number; maxMs: number } }): void {
  // Who is asking: a Bearer API token, else the session cookie. Neither: nobody (public routes only).
  app.addHook('onRequest', async (req) => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ot_')) {
      const principal = await principalOfToken(deps.pool, auth.slice('Bearer '.length));
      if (principal) Object.assign(req, { principal, via: 'token' });
      return;
    }
    const s = req.session;
    if (!s?.userId) return;
    const now = Date.now();
    if (now - (s.lastSeenAt ?? 0) > deps.limits.idleMs || now - (s.signedInAt ?? 0) > deps.limits.maxMs) {
      await s.destroy();
      return;
    }
    const principal = await principalOfUserId(deps.pool, s.userId);
    if (!principal) {
      await s.destroy();
      return;
    }
    s.lastSeenAt = now;
    Object.assign(req, { principal, via: 'session' });
  });

  // Before the request is validated: a caller who is nobody learns nothing of a route's parameters, not even
  // that a query is malformed; the same 401 for every route that is not public.
  app.addHook('preValidation', async (req, reply) => {
    const access = req.routeOptions.config.access;
    if (req.is404 || !access || 'public' in access || req.principal) return;
    return reply.code(401).send({ error: 'sign in first (POST /auth/sign-in), or send an API token' });
  });

  app.addHook('preHandler', async (req, reply) => {
    // No such route: the not-found answer, as for anyone.
    if (req.is404) return;
    const access = req.routeOptions.config.access;
    if (!access) return reply.code(500).send({ error: 'this route has no access policy' });
    if ('public' in access) return;
    if (!req.principal) return reply.code(401).send({ error: 'sign in first (POST /auth/sign-in), or send an API token' });
    req.audit = { action: access.action, caseIds: [] };
    if (req.via === 'session' && WRITES.has(req.method) && access.csrf !== false) {
      const refused = await csrfRefusal(app, req, reply);
      if (refused) return refused;
    }
    const unit = await unitOfRequest(deps.pool, req, access.unit);
    const decision = decide(req.principal, access.action, unit.unit);
    if (unit.caseId) req.audit.caseIds.push(unit.caseId);
    if (decision.outcome === 'forbidden') {
      req.audit.denied = true;
      return reply.code(403).send({ error: decision.reason });
    }
    if (unit.missing || decision.outcome === 'notFound') {
      req.audit.denied = true;
      return reply.code(404).send({ error: unit.caseId ? `no case ${unit.caseId}` : `no unit ${unit.unit}` });
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    const a = req.audit;
    if (!a || !req.principal) return;
    await appendAudit(deps.pool, {
      userId: req.principal.userId,
      tokenId: req.principal.tokenId,
      kind: a.denied ? 'denied' : isRead(a.action) ? 'read' : 'write',
      action: a.action,
      caseIds: [...new Set(a.caseIds)],
      list: a.list,
      endpoint: `${req.method} ${req.routeOptions.url ?? req.url}`,
      source: req.ip,
      status: reply.statusCode,
    }).catch((err: Error) => req.log.error({ err: err.message }, 'audit row not written'));
  });
}

async function unitOfRequest(
  pool: Pool,
  req: FastifyRequest,
  from: UnitSource | undefined,
): Promise<{ unit?: string; caseId?: string; missing?: boolean }> {
  if (from === 'case') {
    const caseId = (req.params as { caseId?: string }).caseId ?? (req.body as { caseId: string }).caseId;
    const unit = await unitOfCase(pool, caseId);
    return unit ? { unit, caseId } : { caseId, missing: true };
  }
  if (from === 'query') return { unit: (req.query as { unit?: string } | undefined)?.unit };
  if (from === 'body') return { unit: (req.body as { unit?: string } | undefined)?.unit };
  if (from === 'params') return { unit: (req.params as { unit?: string } | undefined)?.unit };
  return {};
}

/** The CSRF check of @fastify/csrf-protection, answered as our one-line error. */
function csrfRefusal(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  return new Promise((resolve) => {
    app.csrfProtection(req, reply, (err?: Error) => {
      resolve(
        err ? reply.code(403).send({ error: 'the CSRF token is missing or wrong: send the csrfToken of GET /auth/me as x-csrf-token' }) : undefined,
      );
    });
  });
}
