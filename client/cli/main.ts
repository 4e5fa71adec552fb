import { Command, Option } from 'commander';
import { generateTransfer } from '../../domain/demo-cohort';
import { nationalIdSchema } from '../../schemas/national-id';
import { CASE_STAGES } from '../../workflows/youth-case/machine';
import { listCases, showCase } from '../use-cases/case-queries';
import { caseId, positiveInt, requireUnit, schoolYearOption, statusCode } from './arguments';
import { addCallCommands } from './call-commands';
import { addCampaignCommands } from './campaign-commands';
import { addCaseActionCommands, printCaseDetail } from './case-commands';
import { healthChecks } from '../use-cases/health';
import { CliContext, CliError, databaseError } from './context';
import { importCommand } from './import-command';
import { writeStdout, writeTextFileDurably } from './files';
import { plainText, print, printJson, table } from './output';
import { addReportCommands } from './report-commands';
import { ConfigError, heldCaseIdKey } from '../../runtime/config';
import { unitOfCase } from '../../db/cases';
import { caseIdsOfNationalIds } from '../../db/persons';
import { coversUnit, visibleUnits } from '../../domain/access-policy';
import { authorizeCommand, commandPath, writeCommandAudit } from './access';
import { addUserCommands } from './user-commands';
import { addPayloadKeyCommands } from './payload-key-commands';
import { addPersonCommands } from './person-commands';
import { addRetentionCommands } from './retention-commands';
import { addVigoCommands } from './vigo-commands';
import { addNavCommands } from './nav-commands';
import { addCohortPolicyCommands } from './cohort-commands';
import { addFollowUpCommands, printPlan } from './follow-up-commands';
import { showPlan } from '../use-cases/follow-up-plans';

const CASE_COLUMNS = ['caseId', 'name', 'unit', 'osCode', 'otStatus', 'stage', 'reach', 'caseworker', 'flags'];

export function buildProgram(ctx: () => CliContext, setExit: (code: number) => void): Command {
  const program = new Command('ot')
    .description('Operator CLI of the OT follow-up campaign')
    .addOption(new Option('--json', 'print machine-readable JSON'))
    .addOption(new Option('--as <user>', 'the account to act as (default: OT_USER); it must be allowed the command'))
    .configureOutput({ outputError: (s, write) => write(s.split('\n')[0] + '\n') });
  const json = () => Boolean(program.opts().json);
  // Every command runs as a named account the access policy allows it for, and leaves an audit row.
  program.hook('preAction', async (_program, command) => {
    // A CLI whose case-id key is not the cases' own is refused at start (`ot status` shows why instead).
    if (commandPath(command) !== 'status') await ctx().checkCaseIdKey();
    await authorizeCommand(ctx(), command, program.opts<{ as?: string }>().as);
  });

  program
    .command('status')
    .description('check Temporal, namespace, search attributes, worker and database; exit 0 only when all hold')
    .action(async () => {
      const c = ctx();
      const checks = await healthChecks({ config: c.config, pool: c.pool, client: () => c.client(), caseIdKey: heldCaseIdKey(c.config) });
      const ok = checks.every((k) => k.ok);
      if (json()) printJson({ ok, checks });
      else print(`${checks.map((k) => `${k.ok ? '✓' : '✗'} ${k.name.padEnd(18)} ${k.detail}`).join('\n')}\n`);
      setExit(ok ? 0 : 1);
    });

  const cohort = program.command('cohort').description('yearly cohorts from the VIGO transfer');
  cohort
    .command('import')
    .description('import a VIGO transfer file: one case per accepted row; importing again creates nothing')
    .argument('<file>', 'the transfer file (CSV, ; or , delimited, UTF-8)')
    .addOption(schoolYearOption('the school year, named by the year it starts'))
    .option('--strict', 'refuse the whole file if any row is rejected')
    .action(async (file: string, opts: { schoolYear: number; strict?: boolean }) => {
      setExit(await importCommand(ctx(), file, { ...opts, json: json() }));
    });
  addCohortPolicyCommands(cohort, ctx, json);

  program
    .command('cases')
    .description('list the cases of a school year')
    .addOption(schoolYearOption())
    .option('--unit <unit>', 'only this OT unit')
    .option('--status <code>', 'only this OS code or OT status code', statusCode)
    .addOption(new Option('--stage <stage>', 'only this stage of the case machine').choices(CASE_STAGES))
    .option('--unreached', 'only youth nobody has reached (OTUK or still an OS code, no reply ever); after the year end, the list for next year')
    .addOption(
      new Option('--awaiting-outcome', 'only youth who were reached (a reply came) and whose outcome nobody has set yet').conflicts('unreached'),
    )
    .option(
      '--aged-out',
      'only youth who leave the target group on 1 January at the age limit: before it those who will, after it those who left (stage agedOut)',
    )
    .action(
      async (opts: {
        schoolYear: number;
        unit?: string;
        status?: string;
        stage?: string;
        unreached?: boolean;
        awaitingOutcome?: boolean;
        agedOut?: boolean;
      }) => {
        const c = ctx();
        if (opts.unit) requireUnit(c.config, opts.unit);
        const { agedOut, ...filter } = opts;
        const rows = await listCases(c.pool, {
          ...filter,
          ...(agedOut ? { flag: 'agesOut' } : {}),
          unitIn: c.principal && visibleUnits(c.principal),
        });
        c.audited(rows.map((r) => r.caseId));
        if (json()) printJson(rows);
        else print(`${table(rows as unknown as Record<string, unknown>[], CASE_COLUMNS)}\n${rows.length} case(s)\n`);
      },
    );

  const kase = program.command('case').description('one case');
  kase
    .command('find')
    .description('find the case of a national id number (the number is not shown or logged)')
    .argument('<fodselsnummer>', '11 digits')
    .addOption(schoolYearOption())
    .action(async (id: string, opts: { schoolYear: number }) => {
      const parsed = nationalIdSchema.safeParse(id);
      if (!parsed.success) throw new CliError('a fodselsnummer is 11 digits');
      const c = ctx();
      // By the persons stored at import, as the API does: the CLI needs no case-id key of its own.
      const found = (await caseIdsOfNationalIds(c.pool, opts.schoolYear, [parsed.data])).get(parsed.data);
      const unit = found ? await unitOfCase(c.pool, found) : undefined;
      const row = found && unit && c.principal && coversUnit(c.principal, unit) ? await showCase(c.pool, await c.client(), found) : undefined;
      if (!found || !row) throw new CliError(`no case for that fodselsnummer in school year ${opts.schoolYear}`);
      c.audited([found]);
      printCaseDetail(row, json());
    });
  kase
    .command('show')
    .description('show a case by its case id')
    .argument('<caseId>', 'the case id (24 hex characters)', caseId)
    .action(async (id: string) => {
      const c = ctx();
      const row = await showCase(c.pool, await c.client(), id);
      if (!row) throw new CliError(`no case ${id}`);
      // The follow-up plan's text is in PostgreSQL, beside the journal: the case knows only its id.
      const plan = row.planId ? await showPlan(c.pool, id) : undefined;
      if (json()) return printJson(plan ? { ...row, plan } : row);
      printCaseDetail(row, false);
      if (plan) printPlan(plan);
    });

  addCaseActionCommands(kase, ctx, json);
  addFollowUpCommands(program, kase, ctx, json);
  addCampaignCommands(program, ctx, json);
  addCallCommands(program, ctx, json);
  addReportCommands(program, ctx, json);
  addUserCommands(program, ctx, json);
  addPayloadKeyCommands(program, ctx, json);
  addPersonCommands(program, ctx, json);
  addRetentionCommands(program, ctx, json);
  addVigoCommands(program, ctx, json);
  addNavCommands(program, ctx, json);

  const demo = program.command('demo').description('synthetic data for trying the system');
  demo
    .command('generate')
    .description('write a realistic synthetic VIGO transfer file (names, valid ids, every OS code and unit, a few broken rows)')
    .requiredOption('--size <n>', 'number of youth', positiveInt)
    .addOption(schoolYearOption())
    .option('--seed <n>', 'random seed, for the same file again', positiveInt)
    .option('--out <file>', 'write here instead of standard output')
    .action(async (opts: { size: number; schoolYear: number; seed?: number; out?: string }) => {
      const text = generateTransfer({ size: opts.size, schoolYear: opts.schoolYear, seed: opts.seed, units: ctx().config.units });
      // The file itself for a pipe (`> file`, `| ...`): it is data, not text for the terminal.
      if (!opts.out) return void (await writeStdout(text));
      await writeTextFileDurably(opts.out, text);
      if (json()) printJson({ file: opts.out, rows: opts.size });
      else process.stderr.write(`wrote ${opts.size} rows to ${opts.out}\n`);
    });

  return program;
}

/** Runs the CLI: every failure is one line on stderr and a non-zero exit, never a stack trace. */
export async function runCli(argv: string[]): Promise<number> {
  let context: CliContext | undefined;
  let exitCode = 0;
  const program = buildProgram(
    () => (context ??= new CliContext()),
    (code) => (exitCode = code),
  );
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      exitCode = e.exitCode ?? 1; // commander has printed its one-line message or the help
    } else {
      const failure = err instanceof CliError || err instanceof ConfigError ? err : context ? databaseError(err, context.config) : (err as Error);
      process.stderr.write(`ot: ${plainText(failure.message.split('\n')[0], { line: true })}\n`);
      exitCode = (failure as CliError).exitCode ?? 1;
    }
  } finally {
    if (context) await writeCommandAudit(context, exitCode).catch(() => undefined);
    await context?.close();
  }
  return exitCode;
}

if (require.main === module) {
  void runCli(process.argv).then((code) => process.exit(code));
}
