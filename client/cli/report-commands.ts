import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readCohortCalendar } from '../../db/cohort-calendar';
import { isCampaignMoment, REPORTS, type Report } from '../../schemas/calendar';
import { storedSnapshot, storedSnapshots, type ReportSnapshot } from '../../db/report-snapshots';
import { COUNTER_KEYS, COUNTER_LABELS, type FlowCounters } from '../../domain/flow-counters';
import { reportDate } from '../../workflows/calendar';
import { flowCounters } from '../use-cases/counters';
import { evaluation, renderEvaluation } from '../use-cases/evaluation';
import { reportAt, ReportError, writeReportFiles } from '../use-cases/reports';
import { reportTable } from '../../domain/report-table';
import { requireUnit, schoolYearOption } from './arguments';
import { CliError, type CliContext } from './context';
import { privateFolder, writePrivateFile } from '../../domain/private-files';
import { osloTime, print, printJson, table } from './output';

/** A day (the start of it in Europe/Oslo) or a moment. */
function moment(value: string): string {
  const v = value.trim();
  if (!isCampaignMoment(v)) {
    throw new InvalidArgumentError('a date such as 2026-11-15 (its start, Oslo time), or a date and time such as 2026-11-15T12:00');
  }
  return v;
}

function printReport(snapshot: ReportSnapshot, c: CliContext, files?: { csv: string; xlsx: string }): void {
  const origin = snapshot.takenAt
    ? `the ${snapshot.report} report, stored ${osloTime(snapshot.takenAt)} by ${snapshot.takenBy}`
    : "made now from the cases' journal, not stored";
  const { columns, rows } = reportTable(snapshot.counts, c.config.units);
  const shown = columns.filter((col) => col.short);
  const cells = rows.map((r) => Object.fromEntries(shown.map((col) => [col.short!, col.value(r)])));
  print(
    [
      `school year ${snapshot.schoolYear}, status as of ${osloTime(snapshot.asOf)} Oslo time (${origin})`,
      table(
        cells,
        shown.map((col) => col.short!),
      ),
      'G1–G5: UDIR groups (1 unknown, 2 follow-up, 3 in activity, 4 clarified, 5 not in the target group); OS: not yet recoded',
      ...(files ? [`written to ${files.xlsx} and ${files.csv}`] : []),
    ].join('\n') + '\n',
  );
}

function counterTable(columns: [string, FlowCounters][]): string {
  const rows = COUNTER_KEYS.map((k) => ({ counter: COUNTER_LABELS[k], ...Object.fromEntries(columns.map(([name, c]) => [name, c[k] ?? '–'])) }));
  return table(rows, ['counter', ...columns.map(([name]) => name)]);
}

export function addReportCommands(program: Command, ctx: () => CliContext, json: () => boolean): void {
  program
    .command('report')
    .description(
      'the status counts per unit, UDIR group and code at a moment: a stored report (15 Nov, 15 Feb, 15 Jun, the OTUK count) or one made for any moment',
    )
    .addOption(schoolYearOption())
    .option('--as-of <date>', 'the moment: a date (its start, Oslo time) or a date and time', moment)
    .addOption(new Option('--report <report>', 'a stored report by name').choices(REPORTS).conflicts('asOf'))
    .option('--out <file>', 'also write it as XLSX and CSV (FILE.xlsx, FILE.csv)')
    .action(async (o: { schoolYear: number; asOf?: string; report?: Report; out?: string }) => {
      const c = ctx();
      if (!o.asOf && !o.report) {
        const stored = await storedSnapshots(c.pool, o.schoolYear);
        const { calendar } = await readCohortCalendar(c.pool, o.schoolYear);
        const rows = REPORTS.map((r) => {
          const s = stored.find((x) => x.report === r);
          return {
            report: r,
            date: reportDate(calendar, r),
            stored: s ? osloTime(s.takenAt!) : 'not yet',
            cases: s?.counts.county.total ?? '',
            otuk: s?.counts.county.byCode.OTUK ?? '',
          };
        });
        if (json()) return printJson(stored);
        return void print(`reports of school year ${o.schoolYear}\n${table(rows, ['report', 'date', 'stored', 'cases', 'otuk'])}\n`);
      }
      let snapshot: ReportSnapshot | undefined;
      if (o.report) {
        snapshot = await storedSnapshot(c.pool, o.schoolYear, o.report);
        if (!snapshot) {
          const { calendar } = await readCohortCalendar(c.pool, o.schoolYear);
          throw new CliError(
            `the ${o.report} report of school year ${o.schoolYear} is not stored yet: its schedule takes it at ${reportDate(calendar, o.report)}`,
          );
        }
      } else {
        try {
          snapshot = await reportAt(c.pool, o.schoolYear, o.asOf!, c.config.units);
        } catch (err) {
          if (err instanceof ReportError) throw new CliError(err.message);
          throw err;
        }
      }
      const files = o.out ? await writeReportFiles(path.resolve(o.out.replace(/\.(xlsx|csv)$/i, '')), snapshot, c.config.units) : undefined;
      if (json()) return printJson({ ...snapshot, files });
      printReport(snapshot, c, files);
    });

  program
    .command('counters')
    .description(
      "the flowchart's counters per unit and for the county: OS codes before and after washing, letters, SMS, OTUK after each step and now",
    )
    .addOption(schoolYearOption())
    .option('--unit <unit>', 'only this unit (beside the county)')
    .action(async (o: { schoolYear: number; unit?: string }) => {
      const c = ctx();
      if (o.unit) requireUnit(c.config, o.unit);
      const counters = await flowCounters(
        c.pool,
        o.schoolYear,
        c.config.units.map((u) => u.code),
      );
      if (json()) return printJson(o.unit ? { county: counters.county, units: { [o.unit]: counters.units[o.unit] } } : counters);
      const units = o.unit ? [o.unit] : Object.keys(counters.units);
      print(
        `counters of school year ${o.schoolYear} (– : that moment has not come yet)\n${counterTable([...units.map((u) => [u, counters.units[u]] as [string, FlowCounters]), ['county', counters.county]])}\n`,
      );
    });

  program
    .command('evaluation')
    .description(
      'the summary for an evaluation meeting (weeks 50 and 22): per unit, the counters beside a chart of how OTUK fell (HTML page and SVG charts)',
    )
    .addOption(schoolYearOption())
    .requiredOption('--out <dir>', 'the folder to write the page and the charts to')
    .option('--unit <unit>', 'only this unit (beside the county)')
    .addOption(new Option('--meeting <meeting>', 'which meeting it is for').choices(['autumn', 'spring']))
    .action(async (o: { schoolYear: number; out: string; unit?: string; meeting?: 'autumn' | 'spring' }) => {
      const c = ctx();
      if (o.unit) requireUnit(c.config, o.unit);
      const e = await evaluation(c.pool, o.schoolYear, c.config.units, { unit: o.unit, meeting: o.meeting });
      const { html, charts } = await renderEvaluation(e);
      const dir = path.resolve(o.out);
      try {
        privateFolder(dir);
        const page = path.join(dir, `evaluation-${o.schoolYear}.html`);
        await writePrivateFile(page, html);
        const svgs: string[] = [];
        for (const [unit, svg] of charts) {
          const file = path.join(dir, `otuk-${o.schoolYear}-${unit}.svg`);
          await writePrivateFile(file, svg);
          svgs.push(file);
        }
        if (json()) return printJson({ page, charts: svgs, evaluation: e });
        print(`${page}\n${svgs.length} chart(s) beside it; OTUK now: ${e.county.counters.otukNow} in the county\n`);
      } catch (err) {
        throw new CliError(`cannot write to ${dir}: ${(err as Error).message}`);
      }
    });
}
