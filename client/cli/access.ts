import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import { appendAudit } from '../../db/audit';
import { unitOfCase } from '../../db/cases';
import { decide, isRead } from '../../domain/access-policy';
import { hasUsers, principalOfUsername } from '../use-cases/users';
import { COMMAND_POLICY } from './command-policy';
import { CliError, type CliContext } from './context';

/** The command's path below `ot`, as COMMAND_POLICY names it: "case outcome", "cases". */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The case a command is about, when it is about one: its `<caseId>` argument or its `--case` option. */
function caseOf(command: Command): string | undefined {
  const i = command.registeredArguments.findIndex((a) => a.name() === 'caseId');
  if (i >= 0) return command.processedArgs[i] as string;
  return command.opts<{ case?: string }>().case;
}

const FIRST_OPERATOR = 'make the first operator with: npx ot users add NAME --role operator --name "Full Name"';

/**
 * Lets a command run only as an enabled account the policy allows it for: run before every command's
 * action. The first operator may be made without one, while there are no users at all.
 */
export async function authorizeCommand(c: CliContext, command: Command, asUser: string | undefined): Promise<void> {
  const path = commandPath(command);
  const action = COMMAND_POLICY[path];
  if (!action) throw new CliError(`ot ${path} has no entry in the access policy`);
  c.audit = { action, command: path, caseIds: [] };
  if (path === 'users add' && !(await hasUsers(c.pool))) return;
  const username = asUser ?? process.env.OT_USER;
  if (!username) {
    const none = !(await hasUsers(c.pool));
    throw new CliError(none ? `there are no users yet: ${FIRST_OPERATOR}` : 'name the account you act as: --as USER, or set OT_USER');
  }
  const principal = await principalOfUsername(c.pool, username);
  if (!principal) throw new CliError(`no enabled account ${username}`);
  c.principal = principal;
  const kase = caseOf(command);
  const unit = kase ? await unitOfCase(c.pool, kase) : command.opts<{ unit?: string }>().unit;
  if (kase) c.audited([kase]);
  const decision = decide(principal, action, unit);
  if (decision.outcome === 'forbidden') {
    c.audit.denied = true;
    throw new CliError(`refused: ${decision.reason}`);
  }
  if (decision.outcome === 'notFound') {
    c.audit.denied = true;
    throw new CliError(kase ? `no case ${kase}` : `unit ${unit} is not one of the units of ${username}`);
  }
}

/** The command's audit row: who ran what, on which cases or list, from which account on which host. */
export async function writeCommandAudit(c: CliContext, exitCode: number): Promise<void> {
  const a = c.audit;
  if (!a) return;
  await appendAudit(c.pool, {
    userId: c.principal?.userId,
    kind: a.denied ? 'denied' : isRead(a.action) ? 'read' : 'write',
    action: a.action,
    caseIds: [...new Set(a.caseIds)],
    list: a.list,
    endpoint: `ot ${a.command}`,
    source: `cli ${userInfo().username}@${hostname()}`,
    status: exitCode,
  });
}
