import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { authorizeCommand, commandPath } from '../../client/cli/access';
import { COMMAND_POLICY } from '../../client/cli/command-policy';
import { CliContext, CliError } from '../../client/cli/context';
import { buildProgram } from '../../client/cli/main';
import { addUser } from '../../client/use-cases/users';
import { isCountyWide, mayTake, POLICY } from '../../domain/access-policy';
import { ROLES, type Role } from '../../schemas/roles';
import { openStack, type TestStack } from '../support/stack';

/**
 * The access matrix of the CLI, generated from the policy table: every command of the `ot` program, run as
 * every role, about its own unit and another's, is let through, refused (403's "refused: …") or told the
 * case or unit is not there (404's), as `POLICY` says. Each command's own work is not run: only the check
 * every command passes first, against real accounts in the real database.
 */
const OWN = '12250';
const OTHER = '12256';
const CASE_OF = { own: 'aaaaaaaaaaaaaaaaaaaa0001', other: 'aaaaaaaaaaaaaaaaaaaa0002' };

let stack: TestStack;
let ctx: CliContext;
const program = buildProgram(
  () => ctx,
  () => undefined,
);

function leaves(c: Command): Command[] {
  return c.commands.length ? c.commands.flatMap(leaves) : [c];
}

beforeAll(async () => {
  stack = await openStack();
  await stack.pool.query(`INSERT INTO cohorts (school_year, age_limit) VALUES (2042, 24) ON CONFLICT DO NOTHING`);
  for (const [which, caseId] of Object.entries(CASE_OF)) {
    await stack.pool.query(
      `INSERT INTO persons (case_id, school_year, national_id, id_kind, first_name, last_name) VALUES ($1, 2042, $2, 'fictitious', 'T', 'T')`,
      [caseId, `x-${which}`],
    );
    await stack.pool.query(
      `INSERT INTO cases (case_id, school_year, unit, os_code, ot_status, stage, flags, sms, seq) VALUES ($1, 2042, $2, 'OSON', 'OSON', 'awaitingLetter', '{}', 'notYet', 1)`,
      [caseId, which === 'own' ? OWN : OTHER],
    );
  }
  ctx = new CliContext();
});
afterAll(async () => {
  await ctx.close();
  await stack.close();
});

it('has a policy entry for every command of the program, and none for a command that is not there', () => {
  const paths = leaves(program).map(commandPath).sort();
  expect(paths).toEqual(Object.keys(COMMAND_POLICY).sort());
  for (const action of Object.values(COMMAND_POLICY)) expect(POLICY[action]).toBeDefined();
});

it.each(ROLES)('decides every command for a %s as the policy table says', async (role: Role) => {
  const username = `cli-${role.toLowerCase()}-${randomBytes(3).toString('hex')}`;
  await addUser(
    stack.pool,
    stack.config.units,
    { username, displayName: `CLI ${role}`, role, units: isCountyWide(role) ? [] : [OWN] },
    randomBytes(12).toString('hex'),
  );
  const got: string[] = [];
  const want: string[] = [];
  for (const command of leaves(program)) {
    const path = commandPath(command);
    const action = COMMAND_POLICY[path];
    const aboutCase = command.registeredArguments.some((a) => a.name() === 'caseId') || command.options.some((o) => o.long === '--case');
    const aboutUnit = command.options.some((o) => o.long === '--unit');
    for (const unit of ['own', 'other'] as const) {
      // What the command would be given: the case or the unit it is about.
      command.processedArgs = aboutCase && command.registeredArguments[0]?.name() === 'caseId' ? [CASE_OF[unit]] : [];
      if (command.options.some((o) => o.long === '--case')) command.setOptionValue('case', CASE_OF[unit]);
      if (aboutUnit) command.setOptionValue('unit', unit === 'own' ? OWN : OTHER);
      const answer = await authorizeCommand(ctx, command, username).then(
        () => 'allowed',
        (err: unknown) => (err instanceof CliError ? (err.message.startsWith('refused:') ? 'refused' : 'not found') : `error: ${String(err)}`),
      );
      const scoped = POLICY[action].unit && (aboutCase || aboutUnit) && unit === 'other' && !isCountyWide(role);
      got.push(`${path} ${unit}: ${answer}`);
      want.push(`${path} ${unit}: ${!mayTake(role, action) ? 'refused' : scoped ? 'not found' : 'allowed'}`);
    }
  }
  expect(got).toEqual(want);
});
