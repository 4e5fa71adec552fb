import { createHash, randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { Pool } from 'pg';
import { insertApiToken, revokeApiToken, tokensOf, usableToken, type ApiTokenRow } from '../../db/api-tokens';
import { inTransaction } from '../../db/pool';
import {
  countUsers,
  disableUser as disableUserRow,
  insertUser,
  listUsers as listUserRows,
  passwordHashOf,
  recordFailedSignIn,
  recordSuccessfulSignIn,
  setPassword,
  upsertOidcUser,
  userById,
  userByUsername,
  type UserRow,
} from '../../db/users';
import { isCountyWide } from '../../domain/access-policy';
import { passwordProblem } from '../../domain/passwords';
import type { Principal, Role } from '../../schemas/roles';
import { ROLES } from '../../schemas/roles';
import type { OtUnit } from '../../schemas/units';
import { newTokenSchema, newUserSchema, type NewUser } from '../../schemas/users';
import { requestProblems } from '../../schemas/requests';

/** A request about users that cannot be done: the message says why, for the operator or the API caller. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'notFound' | 'conflict',
  ) {
    super(message);
  }
}

/** Wrong passwords in a row before the account locks, and for how long. */
export const SIGN_IN_LOCKOUT = { failures: 5, seconds: 15 * 60 };

// argon2id with the library's defaults (64 MiB, t=3, p=4) is above OWASP's minimum for argon2id.
const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

export function principalOf(u: Pick<UserRow, 'id' | 'username' | 'displayName' | 'role' | 'units'>, tokenId?: string): Principal {
  return { userId: u.id, username: u.username, displayName: u.displayName, role: u.role, units: u.units, ...(tokenId ? { tokenId } : {}) };
}

function checkUnits(units: string[], known: OtUnit[]): void {
  const unknown = units.filter((u) => !known.some((k) => k.code === u));
  if (unknown.length)
    throw new UserError(
      `units: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not configured OT units' : 'is not a configured OT unit'}`,
      'invalid',
    );
}

/** A strong password for a new account or a reset, shown once to the operator who passes it on. */
export function generatedPassword(): string {
  return randomBytes(15).toString('base64url');
}

export async function addUser(pool: Pool, units: OtUnit[], input: unknown, password: string): Promise<UserRow> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw new UserError(requestProblems(parsed.error), 'invalid');
  const u: NewUser = parsed.data;
  checkUnits(u.units, units);
  const problem = passwordProblem(password, u.username);
  if (problem) throw new UserError(problem, 'invalid');
  const row = await insertUser(pool, { id: randomUUID(), ...u, passwordHash: await hashPassword(password) });
  if (!row) throw new UserError(`there is already a user ${u.username}`, 'conflict');
  return row;
}

export const listUsers = (pool: Pool) => listUserRows(pool);
export const hasUsers = async (pool: Pool) => (await countUsers(pool)) > 0;

async function existing(pool: Pool, username: string): Promise<UserRow> {
  const u = await userByUsername(pool, username);
  if (!u) throw new UserError(`no user ${username}`, 'notFound');
  return u;
}

export async function disableUser(pool: Pool, username: string): Promise<UserRow> {
  const u = await existing(pool, username);
  await inTransaction(pool, (db) => disableUserRow(db, u.id));
  return (await userById(pool, u.id))!;
}

export async function resetPassword(pool: Pool, username: string, password: string): Promise<UserRow> {
  const u = await existing(pool, username);
  if (u.oidc) throw new UserError(`${username} signs in through the identity provider and has no password here`, 'invalid');
  const problem = passwordProblem(password, u.username);
  if (problem) throw new UserError(problem, 'invalid');
  await setPassword(pool, u.id, await hashPassword(password));
  return (await userById(pool, u.id))!;
}

/** A hash of no one's password: verified against when the user does not exist. */
const DUMMY_HASH = '$argon2id$v=19$m=65536,p=4,t=3$c29tZXNhbHRzb21lc2FsdA$oAGadQgJoCUnkcUbXOa9shs5al/hdEHy7XtcQku7QUI';

export type SignInResult = { ok: true; principal: Principal } | { ok: false; reason: string };

/**
 * Checks a local account's password. A wrong password and an unknown user get the same answer (nobody
 * learns which names exist); the account locks after `SIGN_IN_LOCKOUT.failures` wrong ones in a row.
 */
export async function signInWithPassword(pool: Pool, username: string, password: string): Promise<SignInResult> {
  const wrong = { ok: false as const, reason: 'wrong user name or password' };
  const account = await passwordHashOf(pool, username);
  if (!account) {
    // The same work as a real check, so the time taken does not tell whether the user exists.
    await argon2.verify(DUMMY_HASH, password).catch(() => false);
    return wrong;
  }
  if (account.lockedUntil && account.lockedUntil > new Date()) {
    return { ok: false, reason: `the account is locked after too many wrong passwords; try again after ${account.lockedUntil.toISOString()}` };
  }
  if (!(await argon2.verify(account.hash, password))) {
    const locked = await recordFailedSignIn(pool, account.id, SIGN_IN_LOCKOUT.failures, SIGN_IN_LOCKOUT.seconds);
    return locked && locked > new Date() ? { ok: false, reason: 'wrong user name or password; the account is now locked for 15 minutes' } : wrong;
  }
  await recordSuccessfulSignIn(pool, account.id);
  return { ok: true, principal: principalOf((await userById(pool, account.id))!) };
}

/** The principal a session names, while the user is enabled. */
export async function principalOfUserId(pool: Pool, userId: string): Promise<Principal | undefined> {
  const u = await userById(pool, userId);
  return u && !u.disabled ? principalOf(u) : undefined;
}

/** The operator CLI acts as a named account (`--as` or OT_USER), which must exist and be enabled. */
export async function principalOfUsername(pool: Pool, username: string): Promise<Principal | undefined> {
  const u = await userByUsername(pool, username);
  return u && !u.disabled ? principalOf(u) : undefined;
}

/** Someone the identity provider vouched for: their role is the first of their role claims this system knows. */
export async function oidcPrincipal(
  pool: Pool,
  units: OtUnit[],
  identity: { issuer: string; subject: string; name: string; roles: string[]; units: string[] },
): Promise<Principal> {
  const role = identity.roles.find((r): r is Role => (ROLES as readonly string[]).includes(r));
  if (!role) throw new UserError(`the identity provider gave no role this system knows (${ROLES.join(', ')})`, 'invalid');
  const known = identity.units.filter((u) => units.some((k) => k.code === u));
  if (!isCountyWide(role) && known.length === 0) throw new UserError('the identity provider gave no configured OT unit for this role', 'invalid');
  const row = await upsertOidcUser(pool, {
    id: randomUUID(),
    issuer: identity.issuer,
    subject: identity.subject,
    displayName: identity.name || identity.subject,
    role,
    units: isCountyWide(role) ? [] : known,
  });
  if (row.disabled) throw new UserError('this account is disabled', 'invalid');
  return principalOf(row);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Makes an API token for a user: its secret is returned once and only its hash is kept. */
export async function createApiToken(pool: Pool, username: string, input: unknown): Promise<{ token: string; row: ApiTokenRow }> {
  const parsed = newTokenSchema.safeParse(input);
  if (!parsed.success) throw new UserError(requestProblems(parsed.error), 'invalid');
  const u = await existing(pool, username);
  if (u.disabled) throw new UserError(`${username} is disabled`, 'invalid');
  const units = parsed.data.units ?? u.units;
  const beyond = units.filter((x) => !u.units.includes(x));
  if (!isCountyWide(u.role) && beyond.length) throw new UserError(`units: ${username} does not have ${beyond.join(', ')}`, 'invalid');
  const id = randomUUID();
  const token = `ot_${randomBytes(32).toString('base64url')}`;
  const row = await insertApiToken(pool, {
    id,
    userId: u.id,
    name: parsed.data.name,
    tokenHash: tokenHash(token),
    role: u.role,
    units: isCountyWide(u.role) ? [] : units,
    expiresAt: new Date(Date.now() + parsed.data.days * 86_400_000),
  });
  return { token, row };
}

export async function principalOfToken(pool: Pool, token: string): Promise<Principal | undefined> {
  const t = await usableToken(pool, tokenHash(token));
  return t ? principalOf({ id: t.userId, username: t.username, displayName: t.displayName, role: t.role, units: t.units }, t.id) : undefined;
}

export const listApiTokens = (pool: Pool, username?: string) =>
  username ? existing(pool, username).then((u) => tokensOf(pool, u.id)) : tokensOf(pool);

export async function revokeToken(pool: Pool, id: string): Promise<void> {
  if (!(await revokeApiToken(pool, id))) throw new UserError(`no token ${id}`, 'notFound');
}
