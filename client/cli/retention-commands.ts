import { Option, type Command } from 'commander';
import { nationalIdSchema } from '../../schemas/national-id';
import type { RetentionResult } from '../../workflows/contracts/retention';
import { casesOfNationalId, erasePerson, RetentionError, runRetention, showRetention } from '../use-cases/retention';
import { schoolYear, schoolYearOption } from './arguments';
import { CliError, type CliContext } from './context';
import { osloTime, printJson } from './output';

function describe(r: RetentionResult, verb: string): string {
  const rows = Object.entries(r.counts).filter(([, n]) => n > 0);
  return [
    `school year ${r.schoolYear}: kept until ${osloTime(r.retentionEnds)}`,
    `${verb}:`,
    ...(rows.length ? rows.map(([t, n]) => `  ${t.padEnd(22)} ${n}`) : ['  no rows']),
    `  ${'audit_log'.padEnd(22)} ${r.auditRows} (older than their own period)`,
    `  files: ${r.files.length}`,
    ...r.files.map((f) => `    ${f}`),
  ].join('\n');
}

const refusal = (err: unknown): never => {
  if (err instanceof RetentionError) throw new CliError(err.message);
  throw err;
};

/** `ot retention show|run` and `ot person erase`: retention by law, and erasure on request. */
export function addRetentionCommands(program: Command, ctx: () => CliContext, json: () => boolean): void {
  const retention = program.command('retention').description("a cohort's retention period and its erasure");
  retention
    .command('show')
    .description('the retention period, when it ends, and what the cohort holds now (rows per kind, files)')
    .addOption(schoolYearOption())
    .action(async (opts: { schoolYear: number }) => {
      const c = ctx();
      const r = await showRetention({ pool: c.pool, client: await c.client(), config: c.config }, opts.schoolYear, c.actor().by).catch(refusal);
      c.audited([], `retention ${opts.schoolYear}`);
      if (json()) return printJson(r);
      const past = Date.parse(r.retentionEnds) <= Date.now();
      process.stdout.write(
        `${describe(r, 'held now')}\nretention period: ${c.config.retentionYears} year(s) after the school year ends (OT_RETENTION_YEARS); ${past ? 'ended' : 'not ended'}\n` +
          `${r.log
            .map(
              (l) =>
                `erased ${osloTime(l.at)} (${l.kind}, by ${l.by}): ${Object.entries(l.counts)
                  .map(([t, n]) => `${t} ${n}`)
                  .join(', ')}; ${l.files} file(s)`,
            )
            .join('\n')}\n`,
      );
    });
  retention
    .command('run')
    .description('erase a cohort past its retention period (the stored reports keep their counts); --dry-run lists what would go')
    .addOption(schoolYearOption())
    .addOption(new Option('--dry-run', 'list exactly what would go; erase nothing'))
    .action(async (opts: { schoolYear: number; dryRun?: boolean }) => {
      const c = ctx();
      const r = await runRetention(
        { pool: c.pool, client: await c.client(), config: c.config },
        opts.schoolYear,
        c.actor().by,
        Boolean(opts.dryRun),
      ).catch(refusal);
      c.audited([], `retention ${opts.schoolYear}${opts.dryRun ? ' dry run' : ''}`);
      if (json()) printJson(r);
      else process.stdout.write(`${describe(r, opts.dryRun ? 'would go' : 'erased')}\n`);
    });

  // `ot person export` (person-commands.ts) may have made the group already: erasure joins it.
  const person = program.commands.find((c) => c.name() === 'person') ?? program.command('person').description("one person's data");
  person
    .command('erase')
    .description(
      "erase one person's data on request, where the law allows it (their case closed); the counts stay (the number is not shown or logged)",
    )
    .argument('<fodselsnummer>', '11 digits')
    .addOption(new Option('--school-year <year>', 'only this school year (default: every cohort that holds the person)').argParser(schoolYear))
    .addOption(new Option('--dry-run', 'list exactly what would go; erase nothing'))
    .action(async (id: string, opts: { schoolYear?: number; dryRun?: boolean }) => {
      const parsed = nationalIdSchema.safeParse(id);
      if (!parsed.success) throw new CliError('a fodselsnummer is 11 digits');
      const c = ctx();
      const deps = { pool: c.pool, client: await c.client(), config: c.config };
      const cases = await casesOfNationalId(deps, parsed.data, opts.schoolYear);
      if (cases.length === 0) throw new CliError(`no person with that fodselsnummer${opts.schoolYear ? ` in school year ${opts.schoolYear}` : ''}`);
      c.audited(
        cases.map((k) => k.caseId),
        opts.dryRun ? 'person erase dry run' : 'person erase',
      );
      const results = await erasePerson(deps, cases, c.actor().by, Boolean(opts.dryRun)).catch(refusal);
      if (json()) printJson(results);
      else process.stdout.write(`${results.map((r) => describe(r, opts.dryRun ? 'would go' : 'erased')).join('\n')}\n`);
    });
}
