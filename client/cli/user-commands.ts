import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { UserRow } from '../../db/users';
import { readAudit } from '../../db/audit';
import { ROLES, type Role } from '../../schemas/roles';
import {
  addUser,
  createApiToken,
  disableUser,
  generatedPassword,
  hasUsers,
  listApiTokens,
  listUsers,
  resetPassword,
  revokeToken,
  UserError,
} from '../use-cases/users';
import { caseId, positiveInt } from './arguments';
import { CliError, type CliContext } from './context';
import { print, printJson, table } from './output';

const USER_COLUMNS = ['username', 'displayName', 'role', 'units', 'state'];

const shown = (u: UserRow) => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  units: u.units.join(' ') || '(county)',
  state: u.disabled ? 'disabled' : u.lockedUntil && u.lockedUntil > new Date() ? 'locked' : u.oidc ? 'oidc' : 'active',
});

/** The password from standard input (first line), or a generated one that is printed once. */
function passwordFrom(opts: { passwordStdin?: boolean }): { password: string; generated: boolean } {
  if (!opts.passwordStdin) return { password: generatedPassword(), generated: true };
  const line = readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
  return { password: line, generated: false };
}

async function asCli<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UserError) throw new CliError(err.message);
    throw err;
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addUserCommands(program: Command, ctx: () => CliContext, json: () => boolean): void {
  const users = program.command('users').description('who may sign in: local accounts, their roles and units, API tokens');
  const passwordStdin = () =>
    new Option('--password-stdin', 'read the password from the first line of standard input (else one is generated and shown once)');

  users
    .command('add')
    .description('make a local account; with no users yet, the first operator needs no --as')
    .argument('<username>', 'the sign-in name (a–z, 0–9, . - _)')
    .addOption(new Option('--role <role>', 'its role').choices(ROLES).makeOptionMandatory())
    .option('--unit <unit>', 'a unit the role covers (repeat for several; none for county-wide roles)', collect, [])
    .requiredOption('--name <name>', 'the full name shown in the journal beside what they do')
    .addOption(passwordStdin())
    .action(async (username: string, o: { role: Role; unit: string[]; name: string; passwordStdin?: boolean }) => {
      const c = ctx();
      if (!c.principal && (await hasUsers(c.pool))) throw new CliError('name the account you act as: --as USER, or set OT_USER');
      if (!c.principal && o.role !== 'operator') throw new CliError('the first user must be an operator: --role operator');
      const { password, generated } = passwordFrom(o);
      const u = await asCli(() => addUser(c.pool, c.config.units, { username, displayName: o.name, role: o.role, units: o.unit }, password));
      if (json()) return printJson({ user: shown(u), ...(generated ? { password } : {}) });
      print(`added ${u.username} (${u.role}${u.units.length ? ` of ${u.units.join(', ')}` : ''})\n`);
      if (generated) print(`password (shown once, give it to them in person): ${password}\n`);
    });

  users
    .command('list')
    .description('every account, its role, units and whether it can sign in')
    .action(async () => {
      const rows = (await listUsers(ctx().pool)).map(shown);
      if (json()) printJson(rows);
      else print(`${table(rows, USER_COLUMNS)}\n${rows.length} user(s)\n`);
    });

  users
    .command('disable')
    .description('stop an account: its sessions end and its API tokens are revoked at once')
    .argument('<username>')
    .action(async (username: string) => {
      const c = ctx();
      if (c.principal?.username === username) throw new CliError('you cannot disable the account you act as');
      const u = await asCli(() => disableUser(c.pool, username));
      if (json()) printJson(shown(u));
      else print(`disabled ${u.username}\n`);
    });

  users
    .command('reset-password')
    .description('give a local account a new password (and lift a lock-out)')
    .argument('<username>')
    .addOption(passwordStdin())
    .action(async (username: string, o: { passwordStdin?: boolean }) => {
      const c = ctx();
      const { password, generated } = passwordFrom(o);
      const u = await asCli(() => resetPassword(c.pool, username, password));
      if (json()) return printJson({ user: shown(u), ...(generated ? { password } : {}) });
      print(`new password for ${u.username}${generated ? ` (shown once): ${password}` : ' set'}\n`);
    });

  users
    .command('token')
    .description('make an API token for a user (scripts, integrations, the SMS gateway): shown once, kept only as a hash')
    .argument('<username>')
    .requiredOption('--label <label>', 'what the token is for')
    .option('--days <n>', 'days until it expires (at most 366)', positiveInt, 90)
    .option('--unit <unit>', "narrow it to one of the user's units (repeat for several)", collect)
    .action(async (username: string, o: { label: string; days: number; unit?: string[] }) => {
      const c = ctx();
      const { token, row } = await asCli(() => createApiToken(c.pool, username, { name: o.label, days: o.days, units: o.unit }));
      if (json()) return printJson({ token, id: row.id, expiresAt: row.expiresAt });
      print(`token ${row.id} for ${username}, expires ${row.expiresAt.toISOString()} (shown once):\n${token}\n`);
    });

  users
    .command('tokens')
    .description('the API tokens, of one user or all')
    .argument('[username]')
    .action(async (username?: string) => {
      const rows = (await asCli(() => listApiTokens(ctx().pool, username))).map((t) => ({
        id: t.id,
        label: t.name,
        role: t.role,
        units: t.units.join(' ') || '(county)',
        expires: t.expiresAt.toISOString(),
        state: t.revokedAt ? 'revoked' : t.expiresAt < new Date() ? 'expired' : 'active',
      }));
      if (json()) printJson(rows);
      else print(`${table(rows, ['id', 'label', 'role', 'units', 'expires', 'state'])}\n`);
    });

  users
    .command('revoke')
    .description('revoke an API token at once')
    .argument('<tokenId>')
    .action(async (id: string) => {
      await asCli(() => revokeToken(ctx().pool, id));
      if (json()) printJson({ revoked: id });
      else print(`revoked ${id}\n`);
    });

  program
    .command('audit')
    .description('who read or changed what: the audit, newest first')
    .option('--case <caseId>', 'only what concerns this case', caseId)
    .option('--limit <n>', 'at most this many rows', positiveInt, 100)
    .action(async (o: { case?: string; limit: number }) => {
      const c = ctx();
      const rows = await readAudit(c.pool, { caseId: o.case, limit: o.limit });
      const users = new Map((await listUsers(c.pool)).map((u) => [u.id, u.username]));
      const out = rows.map((r) => ({ ...r, user: r.userId ? (users.get(r.userId) ?? r.userId) : '' }));
      if (json()) return printJson(out);
      const lines = out.map((r) => ({
        at: r.at.toISOString(),
        user: r.user,
        kind: r.kind,
        action: r.action,
        endpoint: r.endpoint,
        cases: r.caseIds.length,
        list: r.list ?? '',
      }));
      print(`${table(lines, ['at', 'user', 'kind', 'action', 'endpoint', 'cases', 'list'])}\n`);
    });
}
