import { z } from 'zod';
import { roleSchema } from '../roles';

/** The answers of the operators' account routes and the audit (client/api/routes/admin-routes.ts). Instants are ISO strings. */

/** An account as GET /users lists it: never its password hash. */
export const userViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  units: z.array(z.string()),
  disabled: z.boolean(),
  /** Locked out for a while after failed sign-ins. */
  locked: z.boolean(),
  /** Signs in with the county's OpenID Connect. */
  oidc: z.boolean(),
});
export type UserView = z.infer<typeof userViewSchema>;

export const usersSchema = z.array(userViewSchema);

/** POST /users and POST /users/:username/reset-password: the password only when the API chose it (shown once). */
export const userWithPasswordSchema = z.object({ user: userViewSchema, password: z.string().optional() });
export type UserWithPassword = z.infer<typeof userWithPasswordSchema>;

/** An API token as listed: never its secret. */
export const apiTokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  role: roleSchema,
  units: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().optional(),
  lastUsedAt: z.string().optional(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const apiTokensSchema = z.array(apiTokenSchema);

/** POST /users/:username/tokens: the secret, shown this once. */
export const newApiTokenSchema = z.object({
  token: z.string(),
  id: z.string(),
  expiresAt: z.string(),
  role: roleSchema,
  units: z.array(z.string()),
});
export type NewApiToken = z.infer<typeof newApiTokenSchema>;

export const revokedTokenSchema = z.object({ revoked: z.string() });

export const AUDIT_KINDS = ['read', 'write', 'denied', 'sign-in'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** One row of the audit: who, which cases or list, through what, from where. Never a name or a national id. */
export const auditRowSchema = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string().optional(),
  tokenId: z.string().optional(),
  kind: z.enum(AUDIT_KINDS),
  action: z.string(),
  caseIds: z.array(z.string()),
  list: z.string().optional(),
  endpoint: z.string(),
  source: z.string(),
  status: z.number().int().optional(),
});
export type AuditRowView = z.infer<typeof auditRowSchema>;

/** GET /audit: newest first. */
export const auditAnswerSchema = z.object({ entries: z.array(auditRowSchema) });
