import { Command, InvalidArgumentError, Option } from 'commander';
import { visibleUnits } from '../../domain/access-policy';
import { parseMeasure } from '../../domain/follow-up-plan';
import { MEASURE_RESPONSIBLE, type PlanMeasure } from '../../schemas/follow-up-plan';
import type { OtStatusCode } from '../../schemas/ot-codes';
import { caseworkerWorklist, leaderOverdueList, registerPlan, registerReview, type StoredPlan, type Worklist } from '../use-cases/follow-up-plans';
import { caseId, requireUnit, schoolYearOption, statusCode } from './arguments';
import { registerAndShow } from './case-commands';
import { CliError, type CliContext } from './context';
import { osloTime, print, printJson, table } from './output';

/** Each --measure in turn: refused with its number (`--measure 2: ...`), so the caseworker knows which one to mend. */
function collectMeasure(value: string, previous: PlanMeasure[] = []): PlanMeasure[] {
  const m = parseMeasure(value);
  if (typeof m === 'string') throw new InvalidArgumentError(`measure ${previous.length + 1}: ${m}`);
  return [...previous, m];
}
const collect = (value: string, previous: string[] = []) => [...previous, value.trim()];

/** The plan in force, as `ot case show` prints it under the case. */
export function printPlan(plan: StoredPlan): void {
  const lines = [`plan         ${plan.id} (made ${osloTime(plan.createdAt)})`, `goal         ${plan.goal}`, 'measures'];
  for (const m of plan.measures) lines.push(`  ${m.from} – ${m.to}  ${m.responsible.padEnd(14)} ${m.what}`);
  lines.push(`reviews      ${plan.reviewDates.join(', ')}`);
  print(`${lines.join('\n')}\n`);
}

function printWorklist(w: Worklist, json: boolean, names: boolean): void {
  if (json) return printJson(w);
  const columns = (cols: string[]) => (names ? cols : cols.filter((c) => c !== 'name'));
  const reviews = w.reviewsDue.map((r) => ({ ...r, reviewAt: osloTime(r.reviewAt) }));
  const replies = w.repliesOverdue.map((r) => ({ ...r, forwardedAt: osloTime(r.forwardedAt) }));
  print(
    `reviews of follow-up plans ${names ? 'due' : 'overdue'}\n${table(reviews, columns(['caseId', 'name', 'unit', 'caseworker', 'reviewOn', 'state']))}\n` +
      `replies waiting for an outcome past ${w.replyDeadline}\n${table(replies, columns(['caseId', 'name', 'unit', 'caseworker', 'forwardedAt']))}\n` +
      `${w.reviewsDue.length} review(s), ${w.repliesOverdue.length} reply(ies)\n`,
  );
}

export function addFollowUpCommands(program: Command, kase: Command, ctx: () => CliContext, json: () => boolean): void {
  kase
    .command('plan')
    .description('make or change the follow-up plan of a youth under follow-up (OTOV): goal, measures and review dates')
    .argument('<caseId>', 'the case id', caseId)
    .requiredOption('--goal <text>', "the youth's goal")
    .option(
      '--measure <what;responsible;from;to>',
      `an agreed measure (repeat for each); responsible is one of ${MEASURE_RESPONSIBLE.join(', ')}`,
      collectMeasure,
    )
    .option('--review <date>', 'a review date, 2085-03-01 (or a moment on a compressed calendar); repeat for each', collect)
    .action((id: string, o: { goal: string; measure?: PlanMeasure[]; review?: string[] }) =>
      registerAndShow(ctx(), json(), id, (c, client) =>
        registerPlan(c.pool, client, id, { goal: o.goal, measures: o.measure ?? [], reviewDates: o.review ?? [] }, c.actor()),
      ),
    );
  kase
    .command('review')
    .description('register a review of the follow-up plan: what happened, then the next review date or an outcome')
    .argument('<caseId>', 'the case id', caseId)
    .requiredOption('--note <text>', 'what happened at the review (never a national id number)')
    .option('--next <date>', 'the next review date')
    .option('--outcome <code>', 'what the youth does now: OTOV goes on, a code of UDIR groups 3–5 ends the follow-up', statusCode)
    .action((id: string, o: { note: string; next?: string; outcome?: string }) =>
      registerAndShow(ctx(), json(), id, (c, client) =>
        registerReview(c.pool, client, id, { note: o.note, nextReview: o.next, outcome: o.outcome as OtStatusCode | undefined }, c.actor()),
      ),
    );

  program
    .command('worklist')
    .description("a caseworker's deadlines: plan reviews due (and overdue), and replies waiting for an outcome past their deadline")
    .addOption(schoolYearOption())
    .option('--unit <unit>', 'only this OT unit')
    .addOption(new Option('--caseworker <name>', 'only the cases of this caseworker').conflicts('mine'))
    .option('--mine', 'only your own cases')
    .action(async (o: { schoolYear: number; unit?: string; caseworker?: string; mine?: boolean }) => {
      const c = ctx();
      if (o.unit) requireUnit(c.config, o.unit);
      const caseworker = o.mine ? c.actor().by : o.caseworker;
      const list = await caseworkerWorklist(c.pool, {
        schoolYear: o.schoolYear,
        unit: o.unit,
        caseworker,
        unitIn: c.principal && visibleUnits(c.principal),
      });
      c.audited([...list.reviewsDue, ...list.repliesOverdue].map((r) => r.caseId));
      printWorklist(list, json(), true);
    });
  program
    .command('overdue')
    .description("the unit leader's list: plan reviews and replies past their deadline, per caseworker (case ids, no names)")
    .addOption(schoolYearOption())
    .option('--unit <unit>', 'only this OT unit')
    .action(async (o: { schoolYear: number; unit?: string }) => {
      const c = ctx();
      if (o.unit) requireUnit(c.config, o.unit);
      if (!c.principal) throw new CliError('this command needs an account: --as USER or OT_USER');
      const list = await leaderOverdueList(c.pool, { schoolYear: o.schoolYear, unit: o.unit, unitIn: visibleUnits(c.principal) });
      c.audited([...list.reviewsDue, ...list.repliesOverdue].map((r) => r.caseId));
      printWorklist(list, json(), false);
    });
}
