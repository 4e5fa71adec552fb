import { Option, type Command } from 'commander';
import { readCohortPolicy, storeCohortPolicy } from '../../db/cohort-policy';
import { cohortPolicySchema, type TargetGroupEnd } from '../../schemas/cohort-policy';
import { schoolYearOption } from './arguments';
import { CliError, type CliContext } from './context';
import { print, printJson, table } from './output';

/** The CLI's words for the two rules, and what each means. */
const RULES: Record<TargetGroupEnd, { option: string; meaning: string }> = {
  calendarYear: {
    option: 'calendar-year',
    meaning: 'to the end of the calendar year the youth turns the age limit (Opplæringslova § 9-4): out from 1 January',
  },
  schoolYear: { option: 'school-year', meaning: 'the whole school year the youth turns the age limit' },
};
const ruleOf = (option: string) => (Object.keys(RULES) as TargetGroupEnd[]).find((k) => RULES[k].option === option)!;

/** `ot cohort policy show|set`: the age limit and when a youth at it leaves the target group. */
export function addCohortPolicyCommands(cohort: Command, ctx: () => CliContext, json: () => boolean): void {
  const policy = cohort.command('policy').description('the cohort policy: the age limit, and when a youth at it leaves the target group');
  policy
    .command('show')
    .description('show the policy a cohort is (or will be) imported under')
    .addOption(schoolYearOption())
    .action(async (o: { schoolYear: number }) => {
      const p = await readCohortPolicy(ctx().pool, o.schoolYear);
      if (json()) return printJson(p);
      const origin = (stored: boolean) => (stored ? 'set for the cohort' : "the school year's default");
      const rows = [
        { key: 'age limit', value: String(p.ageLimit), from: origin(p.stored.ageLimit) },
        {
          key: 'target group ends',
          value: `${RULES[p.targetGroupEnd].option}: ${RULES[p.targetGroupEnd].meaning}`,
          from: origin(p.stored.targetGroupEnd),
        },
      ];
      const state = p.imported ? 'imported: fixed' : 'not imported yet: `ot cohort policy set` may change it';
      print(`policy of school year ${o.schoolYear} (${state})\n${table(rows, ['key', 'value', 'from'])}\n`);
    });
  policy
    .command('set')
    .description('set the policy before the cohort is imported (the import classifies every youth by it)')
    .addOption(schoolYearOption())
    .option('--age-limit <n>', 'the age limit (15–30)')
    .addOption(
      new Option(
        '--target-group-end <rule>',
        `when a youth at the limit leaves: ${RULES.calendarYear.option} (the law since 2024) or ${RULES.schoolYear.option}`,
      ).choices(Object.values(RULES).map((r) => r.option)),
    )
    .action(async (o: { schoolYear: number; ageLimit?: string; targetGroupEnd?: string }) => {
      if (o.ageLimit === undefined && o.targetGroupEnd === undefined) throw new CliError('give --age-limit or --target-group-end (or both)');
      const c = ctx();
      const now = await readCohortPolicy(c.pool, o.schoolYear);
      const next = {
        schoolYear: o.schoolYear,
        ageLimit: o.ageLimit === undefined ? now.ageLimit : Number(o.ageLimit),
        targetGroupEnd: o.targetGroupEnd ? ruleOf(o.targetGroupEnd) : now.targetGroupEnd,
      };
      if (now.imported) {
        throw new CliError(`school year ${o.schoolYear} is imported: its cases were classified under its policy, which cannot change now`);
      }
      const parsed = cohortPolicySchema.safeParse(next);
      if (!parsed.success) throw new CliError('--age-limit must be a whole number from 15 to 30');
      await storeCohortPolicy(c.pool, o.schoolYear, {
        ...(o.ageLimit !== undefined ? { ageLimit: parsed.data.ageLimit } : {}),
        ...(o.targetGroupEnd ? { targetGroupEnd: parsed.data.targetGroupEnd } : {}),
      });
      const stored = await readCohortPolicy(c.pool, o.schoolYear);
      if (json()) return printJson(stored);
      print(`policy of school year ${o.schoolYear}: age limit ${stored.ageLimit}, target group ends ${RULES[stored.targetGroupEnd].option}\n`);
    });
}
