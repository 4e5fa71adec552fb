import { z } from 'zod';
import { roleSchema } from '../roles';
import { CONSOLE_LANGUAGES } from '../users';

/** The answers of the sign-in routes (client/api/routes/auth-routes.ts), as they are sent. */

/** Who is signed in: the account, what its role may do (actions of domain/access-policy.ts) and the console's language. */
export const meSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  /** The units the role covers; empty for a county-wide role. */
  units: z.array(z.string()),
  allowedActions: z.array(z.string()),
  language: z.enum(CONSOLE_LANGUAGES),
});
export type Me = z.infer<typeof meSchema>;

/** POST /auth/sign-in: the session is set; writes must send the CSRF token. */
export const signInAnswerSchema = z.object({ user: meSchema, csrfToken: z.string() });
export type SignInAnswer = z.infer<typeof signInAnswerSchema>;

/** GET /auth/me: with a session (not an API token) the CSRF token for writes. */
export const meAnswerSchema = z.object({
  user: meSchema,
  via: z.enum(['session', 'token']).optional(),
  csrfToken: z.string().optional(),
});
export type MeAnswer = z.infer<typeof meAnswerSchema>;

/** POST /auth/sign-out. */
export const signedOutSchema = z.object({ signedOut: z.literal(true) });

/** GET /auth/methods: a local account, and the county's OpenID Connect when set up. */
export const authMethodsSchema = z.object({ password: z.boolean(), oidc: z.boolean() });
export type AuthMethods = z.infer<typeof authMethodsSchema>;

/** PUT /auth/me/language. */
export const languageAnswerSchema = z.object({ language: z.enum(CONSOLE_LANGUAGES) });
