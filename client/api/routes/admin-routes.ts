import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { readAudit } from '../../../db/audit';
import type { ApiTokenRow } from '../../../db/api-tokens';
import type { UserRow } from '../../../db/users';
import {
  apiTokensSchema,
  auditAnswerSchema,
  newApiTokenSchema,
  revokedTokenSchema,
  usersSchema,
  userViewSchema,
  userWithPasswordSchema,
  type ApiToken,
  type UserView,
} from '../../../schemas/api/admin';
import type { OtUnit } from '../../../schemas/units';
import { caseIdSchema } from '../../../schemas/case-id';
import { newTokenSchema, newUserRequestSchema, usernameSchema } from '../../../schemas/users';
import { addUser, createApiToken, disableUser, generatedPassword, listApiTokens, listUsers, resetPassword, revokeToken } from '../../use-cases/users';

const userView = (u: UserRow): UserView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  units: u.units,
  disabled: u.disabled,
  locked: Boolean(u.lockedUntil && u.lockedUntil > new Date()),
  oidc: u.oidc,
});

/** A token as listed: its instants as ISO strings, never its secret. */
const tokenView = (t: ApiTokenRow): ApiToken => ({
  id: t.id,
  userId: t.userId,
  name: t.name,
  role: t.role,
  units: t.units,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  ...(t.revokedAt ? { revokedAt: t.revokedAt.toISOString() } : {}),
  ...(t.lastUsedAt ? { lastUsedAt: t.lastUsedAt.toISOString() } : {}),
});

const usernameParams = z.object({ username: usernameSchema });

/** For operators: users, their passwords and API tokens; for operators and leaders: the audit. */
export function adminRoutes(deps: { pool: Pool; units: OtUnit[] }): FastifyPluginAsyncZod {
  return async (app) => {
    const manage = { access: { action: 'users.manage' as const } };
    app.get('/users', { schema: { response: { 200: usersSchema }, tags: ['users'], summary: 'every account' }, config: manage }, async () =>
      (await listUsers(deps.pool)).map(userView),
    );
    app.post(
      '/users',
      {
        schema: { body: newUserRequestSchema, response: { 201: userWithPasswordSchema }, tags: ['users'], summary: 'a new local account' },
        config: manage,
      },
      async (req, reply) => {
        const { password, ...user } = req.body;
        const chosen = password ?? generatedPassword();
        const row = await addUser(deps.pool, deps.units, user, chosen);
        return reply.code(201).send({ user: userView(row), ...(password ? {} : { password: chosen }) });
      },
    );
    app.post(
      '/users/:username/disable',
      {
        schema: {
          params: usernameParams,
          response: { 200: userViewSchema },
          tags: ['users'],
          summary: 'disable an account: its sessions and tokens end',
        },
        config: manage,
      },
      async (req) => userView(await disableUser(deps.pool, req.params.username)),
    );
    app.post(
      '/users/:username/reset-password',
      {
        schema: {
          params: usernameParams,
          body: z.object({ password: z.string().max(200).optional() }).strict(),
          response: { 200: userWithPasswordSchema },
          tags: ['users'],
          summary: 'a new password',
        },
        config: manage,
      },
      async (req) => {
        const chosen = req.body.password ?? generatedPassword();
        const row = await resetPassword(deps.pool, req.params.username, chosen);
        return { user: userView(row), ...(req.body.password ? {} : { password: chosen }) };
      },
    );
    app.get(
      '/users/:username/tokens',
      { schema: { params: usernameParams, response: { 200: apiTokensSchema }, tags: ['users'], summary: "a user's API tokens" }, config: manage },
      async (req) => (await listApiTokens(deps.pool, req.params.username)).map(tokenView),
    );
    app.post(
      '/users/:username/tokens',
      {
        schema: {
          params: usernameParams,
          body: newTokenSchema,
          response: { 201: newApiTokenSchema },
          tags: ['users'],
          summary: 'a new API token (shown once)',
        },
        config: manage,
      },
      async (req, reply) => {
        const { token, row } = await createApiToken(deps.pool, req.params.username, req.body);
        return reply.code(201).send({ token, id: row.id, expiresAt: row.expiresAt.toISOString(), role: row.role, units: row.units });
      },
    );
    app.post(
      '/tokens/:tokenId/revoke',
      {
        schema: { params: z.object({ tokenId: z.uuid() }), response: { 200: revokedTokenSchema }, tags: ['users'], summary: 'revoke an API token' },
        config: manage,
      },
      async (req) => {
        await revokeToken(deps.pool, req.params.tokenId);
        return { revoked: req.params.tokenId };
      },
    );

    app.get(
      '/audit',
      {
        schema: {
          querystring: z
            .object({
              caseId: caseIdSchema.optional(),
              userId: z.string().max(100).optional(),
              limit: z.coerce.number().int().min(1).max(1000).default(100),
            })
            .strict(),
          response: { 200: auditAnswerSchema },
          tags: ['audit'],
          summary: 'who read or changed what, newest first',
        },
        config: { access: { action: 'audit.read' } },
      },
      async (req) => ({ entries: (await readAudit(deps.pool, req.query)).map((e) => ({ ...e, at: e.at.toISOString() })) }),
    );
  };
}
