import { z } from 'zod';
import { COUNTY_WIDE_ROLES, roleSchema } from './roles';

/** A local sign-in name: short, lower case, no spaces, so it can be typed and logged without doubt. */
export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'username: 2–64 characters of a–z, 0–9, dot, dash or underscore, starting with a letter or digit');

export const displayNameSchema = z.string().trim().min(1, 'displayName is required').max(200, 'displayName: at most 200 characters');

const newUserFields = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  role: roleSchema,
  units: z.array(z.string().trim().min(1)).max(50, 'units: at most 50').default([]),
});

/** A unit-scoped role needs units; a county-wide one takes none. */
function unitsFitRole(u: { role: z.infer<typeof roleSchema>; units: string[] }, ctx: z.RefinementCtx): void {
  const countyWide = COUNTY_WIDE_ROLES.includes(u.role);
  if (!countyWide && u.units.length === 0) ctx.addIssue({ code: 'custom', path: ['units'], message: `a ${u.role} needs at least one unit` });
  if (countyWide && u.units.length > 0)
    ctx.addIssue({ code: 'custom', path: ['units'], message: `a ${u.role} covers the whole county: give no units` });
}

export const newUserSchema = newUserFields.strict().superRefine(unitsFitRole);

/** The API's request for a new account: the same, with a password of the operator's choosing, or none (one is made). */
export const newUserRequestSchema = newUserFields
  .extend({ password: z.string().max(200).optional() })
  .strict()
  .superRefine(unitsFitRole);
export type NewUser = z.infer<typeof newUserSchema>;

export const signInSchema = z
  .object({ username: z.string().trim().min(1, 'username is required').max(64), password: z.string().min(1, 'password is required').max(200) })
  .strict();

/** How long an API token lives at most: a forgotten token must end by itself. */
export const TOKEN_MAX_DAYS = 366;

export const newTokenSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(100, 'name: at most 100 characters'),
    days: z.number().int().min(1).max(TOKEN_MAX_DAYS, `days: at most ${TOKEN_MAX_DAYS}`).default(90),
    /** Narrows the token to some of its user's units; by default it has all of them. */
    units: z.array(z.string().trim().min(1)).max(50).optional(),
  })
  .strict();

/** The console's languages, per user: Nynorsk (the default, the seeds' language) and Bokmål. */
export const CONSOLE_LANGUAGES = ['nn', 'nb'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];
export const languageChoiceSchema = z.object({ language: z.enum(CONSOLE_LANGUAGES, { message: "language: 'nn' or 'nb'" }) }).strict();
