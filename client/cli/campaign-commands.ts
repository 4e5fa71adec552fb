import { Command, InvalidArgumentError, Option } from 'commander';
import { CrosscheckFileError, readCrosscheckList } from '../../domain/crosscheck-list';
import { applyCalendarSettings, CalendarError, parseCalendar } from '../../domain/calendar-settings';
import { CALENDAR_DURATION_KEYS, isCampaignMoment, type CampaignCalendar } from '../../schemas/calendar';
import { CROSSCHECK_LISTS, type CrosscheckList } from '../../schemas/crosscheck';
import { OS_CODES, type OsCode } from '../../schemas/ot-codes';
import { calendarDates, instantOf } from '../../workflows/calendar';
import { trialCalendarFromNow } from '../../domain/trial-calendar';
import { readCohortCalendar } from '../../db/cohort-calendar';
import { setCalendar } from '../use-cases/calendar';
import { runCrosscheck } from '../use-cases/crosscheck';
import { confirmMailing, confirmSmsSent } from '../use-cases/mailings';
import { requireUnit, schoolYearOption, unitOption } from './arguments';
import { CliError, type CliContext } from './context';
import { readTextFile } from './files';
import { addLetterCommands } from './letter-commands';
import { addSmsCommands } from './sms-commands';
import { print, printJson, table } from './output';
import { type MailingKind, type MailingResult } from '../../workflows/contracts/mass-operations';

function seconds(value: string): number {
  const m = /^(\d+)s?$/.exec(value.trim());
  if (!m || Number(m[1]) < 1) throw new InvalidArgumentError('a step in whole seconds, such as 20s');
  return Number(m[1]);
}

/** The day (or moment) a mailing went: never in the future. */
function sentOn(value: string): string {
  const v = value.trim();
  if (!isCampaignMoment(v)) {
    throw new InvalidArgumentError('a date such as 2026-09-10, or a date and time such as 2026-09-10T08:00');
  }
  if (instantOf(v) > Date.now()) throw new InvalidArgumentError(`${v} is in the future: confirm a mailing once it has gone`);
  return v;
}

function printCalendar(calendar: CampaignCalendar, heading: string, json: boolean, extra: Record<string, unknown> = {}): void {
  if (json) return printJson({ ...extra, calendar });
  const durations = CALENDAR_DURATION_KEYS.flatMap((key) => (calendar[key] !== undefined ? [[key, calendar[key]]] : []));
  // The second SMS is optional: say that there is none rather than leave it out.
  if (calendar.secondSmsAfterFirst === undefined) durations.push(['secondSmsAfterFirst', 'none (one SMS)']);
  const rows = [...calendarDates(calendar), ...durations].map(([key, value]) => ({ key, value }));
  print(`${heading}\n${table(rows, ['key', 'value'])}\n`);
}

export function addCampaignCommands(program: Command, ctx: () => CliContext, json: () => boolean): void {
  const calendar = program
    .command('calendar')
    .description('the campaign calendar of a cohort: letter dates, SMS delay, phone campaigns, reports, year end');
  calendar
    .command('show')
    .description('show the calendar a cohort follows')
    .addOption(schoolYearOption())
    .action(async (o: { schoolYear: number }) => {
      const stored = await readCohortCalendar(ctx().pool, o.schoolYear);
      const origin = stored.custom ? `version ${stored.version}, set ${stored.changedAt}` : 'the default from the seeds';
      printCalendar(stored.calendar, `calendar of school year ${o.schoolYear} (${origin}; dates are days in Europe/Oslo)`, json(), {
        schoolYear: o.schoolYear,
        version: stored.version,
        custom: stored.custom,
      });
    });
  calendar
    .command('set')
    .description('change the calendar; running cases follow it at once. Give KEY=DATE pairs, --file, or --compressed')
    .argument(
      '[settings...]',
      'KEY=DATE, such as letters.OSON=2026-09-12, smsAfterLetters=P10D, secondSmsAfterFirst=P7D (none: one SMS) or replyOverdueAfter="10 working days"',
    )
    .addOption(schoolYearOption())
    .option('--file <calendar.json>', 'a whole calendar as JSON (as printed by calendar show --json)')
    .option('--compressed <step>', 'for trials: the whole year from now, each date this many seconds after the one before', seconds)
    .action(async (settings: string[], o: { schoolYear: number; file?: string; compressed?: number }) => {
      const given = [settings.length > 0, o.file !== undefined, o.compressed !== undefined].filter(Boolean).length;
      if (given !== 1) throw new CliError('give KEY=DATE settings, --file or --compressed (one of them)');
      const c = ctx();
      let next: CampaignCalendar;
      try {
        if (o.file) {
          let raw: unknown;
          try {
            raw = JSON.parse(readTextFile(o.file));
          } catch (err) {
            if (err instanceof CliError) throw err;
            // Not the parser's message: it quotes the file, which may hold personal data.
            throw new CliError(`${o.file} is not valid JSON`);
          }
          next = parseCalendar((raw as { calendar?: unknown } | null)?.calendar ?? raw);
        } else if (o.compressed) {
          next = trialCalendarFromNow((await readCohortCalendar(c.pool, o.schoolYear)).calendar, o.compressed);
        } else {
          next = applyCalendarSettings((await readCohortCalendar(c.pool, o.schoolYear)).calendar, settings);
        }
      } catch (err) {
        if (err instanceof CalendarError) throw new CliError(`calendar not changed: ${err.message}`);
        throw err;
      }
      const stored = await setCalendar({ pool: c.pool, client: await c.client(), config: c.config }, o.schoolYear, next);
      printCalendar(
        stored.calendar,
        `calendar of school year ${o.schoolYear} is now version ${stored.version}; told ${stored.told.signalled} running case(s)`,
        json(),
        {
          schoolYear: o.schoolYear,
          version: stored.version,
          told: stored.told,
        },
      );
    });

  const mailing = (kind: MailingKind) => async (o: { unit: string; code?: OsCode; sentOn: string; schoolYear: number }) => {
    const c = ctx();
    requireUnit(c.config, o.unit);
    const deps = { client: await c.client(), config: c.config };
    const req = { schoolYear: o.schoolYear, unit: o.unit, sentOn: o.sentOn, ...c.actor() };
    // The SMS export holds the first SMS and the second round's: confirming it settles both.
    const result: MailingResult & { second?: MailingResult } =
      kind === 'sms' ? await confirmSmsSent(deps, req) : await confirmMailing(deps, { ...req, kind, osCode: o.code });
    const what =
      kind === 'letters' ? `letters to unit ${o.unit} with code ${o.code} sent on ${o.sentOn}` : `SMS to unit ${o.unit} sent on ${o.sentOn}`;
    const effect = kind === 'letters' ? 'recoded to OTUK' : 'registered as SMS sent';
    const resent = result.resent ?? 0;
    // Refused before anything is printed, so --json exits as the plain command does.
    const second = result.second?.cases ?? 0;
    if (result.cases === 0 && resent === 0 && second === 0) {
      throw new CliError(
        kind === 'letters'
          ? `${what}: no printed letter awaits confirmation, so nothing was recorded; print the batch first (ot letters batch)`
          : `${what}: no exported outbox message awaits confirmation, so nothing was recorded; export the outbox first (ot sms export)`,
      );
    }
    if (json()) return printJson(result);
    if (second > 0) {
      const first = result.cases ? `${result.cases} case(s) registered as SMS sent, ` : '';
      print(`${what}: ${first}${second} case(s) registered as second SMS sent\n`);
      return;
    }
    const resentText = resent ? `, ${resent} letter(s) sent again after a return counted as sent` : '';
    print(
      result.firstConfirmation
        ? `${what}: ${result.cases} case(s) ${effect}${result.closed ? ` (${result.closed} already closed)` : ''}${resentText}\n`
        : `${what}: already confirmed at ${result.confirmedAt} for ${result.cases} case(s)${resentText}; nothing more done\n`,
    );
  };
  const letters = program.command('letters').description('the standard letters: print batches, previews, confirming a mailing');
  letters
    .command('confirm')
    .description("the unit's printed letters for an OS code have gone: the cases in them are recoded to OTUK")
    .addOption(unitOption())
    .addOption(new Option('--code <code>', 'the OS code of the mailing').choices(OS_CODES).makeOptionMandatory())
    .requiredOption('--sent-on <date>', 'the day the letters went', sentOn)
    .addOption(schoolYearOption())
    .action(mailing('letters'));
  addLetterCommands(letters, ctx, json);
  const sms = program.command('sms').description('the SMS after the letters: campaign, outbox export, confirming, replies');
  sms
    .command('confirm')
    .description("the unit's exported outbox messages have gone: their cases are registered as SMS sent")
    .addOption(unitOption())
    .requiredOption('--sent-on <date>', 'the day the SMS went', sentOn)
    .addOption(schoolYearOption())
    .action(mailing('sms'));
  addSmsCommands(sms, ctx, json);

  program
    .command('crosscheck')
    .description("match an admissions-office list against the cohort county-wide; matches leave the target group with the list's code")
    .argument('<file>', 'CSV with a fodselsnummer column, or one number per line')
    .addOption(schoolYearOption())
    .addOption(new Option('--list <list>', 'which list it is').choices(CROSSCHECK_LISTS).makeOptionMandatory())
    .action(async (file: string, o: { schoolYear: number; list: CrosscheckList }) => {
      let entries;
      try {
        entries = readCrosscheckList(readTextFile(file));
      } catch (err) {
        if (err instanceof CrosscheckFileError) throw new CliError(`${file}: ${err.message}`);
        throw err;
      }
      const c = ctx();
      const report = await runCrosscheck(
        { pool: c.pool, client: await c.client(), config: c.config },
        o.schoolYear,
        o.list,
        entries,
        c.actor().by,
        c.actor().byUserId,
      );
      c.audited(
        [...report.recoded, ...report.unchanged].map((m) => m.caseId),
        `crosscheck:${o.schoolYear}:${o.list}`,
      );
      if (json()) return printJson(report);
      const lines = [
        `${file}: ${report.entries} on the ${o.list} list; ${report.recoded.length + report.unchanged.length} matched in school year ${o.schoolYear}`,
        `  recoded to ${report.status}: ${report.recoded.length}`,
        ...report.recoded.map((m) => `    line ${m.line}: ${m.name} (unit ${m.unit}, was ${m.otStatus}) case ${m.caseId}`),
      ];
      if (report.unchanged.length) {
        lines.push(`  matched but already settled, left as they are: ${report.unchanged.length}`);
        lines.push(...report.unchanged.map((m) => `    line ${m.line}: ${m.name} (unit ${m.unit}, ${m.otStatus}, ${m.stage}) case ${m.caseId}`));
      }
      if (report.notInCohort.length) lines.push(`  not in the cohort: lines ${report.notInCohort.join(', ')}`);
      print(`${lines.join('\n')}\n`);
    });
}
