import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { appendAudit } from '../../../db/audit';
import { allowedActions } from '../../../domain/access-policy';
import type { Principal } from '../../../schemas/roles';
import { languageChoiceSchema, signInSchema } from '../../../schemas/users';
import { authMethodsSchema, languageAnswerSchema, meAnswerSchema, signedOutSchema, signInAnswerSchema, type Me } from '../../../schemas/api/auth';
import { apiErrorSchema } from '../../../schemas/api/errors';
import { languageOf, setLanguage } from '../../../db/users';
import { signInWithPassword } from '../../use-cases/users';

/** Sign-in attempts per address and minute before the API answers 429: on top of the per-account lock-out. */
export const SIGN_IN_RATE = { max: 10, timeWindow: '1 minute' };

/** Starts a session for someone who has proved who they are: a new session id, so none set before sign-in survives. */
export async function startSession(req: FastifyRequest, reply: FastifyReply, principal: Principal, pool: Pool, how: string): Promise<string> {
  await req.session.regenerate();
  const now = Date.now();
  Object.assign(req.session, { userId: principal.userId, signedInAt: now, lastSeenAt: now });
  await appendAudit(pool, {
    userId: principal.userId,
    kind: 'sign-in',
    action: how,
    endpoint: `${req.method} ${req.routeOptions.url}`,
    source: req.ip,
    status: 200,
  });
  return reply.generateCsrf();
}

const me = async (pool: Pool, p: Principal): Promise<Me> => ({
  userId: p.userId,
  username: p.username,
  displayName: p.displayName,
  role: p.role,
  units: p.units,
  allowedActions: allowedActions(p.role),
  language: await languageOf(pool, p.userId),
});

/** Sign-in with a local account, sign-out, and who the caller is (with the CSRF token a browser's writes must send). */
export function authRoutes(deps: { pool: Pool; oidc: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/sign-in',
      {
        schema: {
          body: signInSchema,
          response: { 200: signInAnswerSchema, 401: apiErrorSchema },
          tags: ['sign-in'],
          summary: 'sign in with a local account: sets the session cookie',
        },
        config: { access: { public: true }, rateLimit: SIGN_IN_RATE },
      },
      async (req, reply) => {
        const result = await signInWithPassword(deps.pool, req.body.username, req.body.password);
        if (!result.ok) {
          await appendAudit(deps.pool, { kind: 'denied', action: 'password', endpoint: 'POST /auth/sign-in', source: req.ip, status: 401 });
          return reply.code(401).send({ error: result.reason });
        }
        const csrfToken = await startSession(req, reply, result.principal, deps.pool, 'password');
        return { user: await me(deps.pool, result.principal), csrfToken };
      },
    );

    app.post(
      '/auth/sign-out',
      { schema: { response: { 200: signedOutSchema }, tags: ['sign-in'], summary: 'end the session' }, config: { access: { public: true } } },
      async (req) => {
        if (req.session?.userId) await req.session.destroy();
        return { signedOut: true as const };
      },
    );

    app.get(
      '/auth/methods',
      {
        schema: {
          response: { 200: authMethodsSchema },
          tags: ['sign-in'],
          summary: "how one may sign in here: a local account, and the county's OpenID Connect when set up",
        },
        config: { access: { public: true } },
      },
      async () => ({ password: true, oidc: deps.oidc }),
    );

    app.put(
      '/auth/me/language',
      {
        schema: {
          body: languageChoiceSchema,
          response: { 200: languageAnswerSchema },
          tags: ['sign-in'],
          summary: "the console's language for the signed-in user (nn or nb)",
        },
        config: { access: { action: 'self.settings' } },
      },
      async (req) => {
        await setLanguage(deps.pool, req.principal!.userId, req.body.language);
        return { language: req.body.language };
      },
    );

    app.get(
      '/auth/me',
      {
        schema: {
          response: { 200: meAnswerSchema, 401: apiErrorSchema },
          tags: ['sign-in'],
          summary: 'who is signed in, what they may do, and the CSRF token for writes',
        },
        config: { access: { public: true } },
      },
      async (req, reply) => {
        if (!req.principal) return reply.code(401).send({ error: 'not signed in' });
        return { user: await me(deps.pool, req.principal), via: req.via, ...(req.via === 'session' ? { csrfToken: reply.generateCsrf() } : {}) };
      },
    );
  };
}
