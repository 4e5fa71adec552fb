import path from 'node:path';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { visibleUnits } from '../../domain/access-policy';
import { navMeetingBase, navMeetingFolder } from '../../domain/cohort-files';
import { NavImportFileError } from '../../domain/nav-meeting-file';
import { privateFolder } from '../../domain/private-files';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';
import { importNavMeeting, navMeetingList, writeNavMeetingFiles, type NavImportSummary } from '../use-cases/nav-meeting';
import { requireUnit, schoolYearOption, unitOption } from './arguments';
import { CliError, type CliContext } from './context';
import { readTextFile } from './files';
import { print, printJson } from './output';

function describe(file: string, s: NavImportSummary): string {
  const lines = [
    `${file}: ${s.rows} row(s) for school year ${s.schoolYear}`,
    `  applied ${s.applied.length}, unchanged ${s.unchanged.length}, rejected ${s.rejected.length}`,
  ];
  for (const a of s.applied) lines.push(`  line ${a.line}: ${a.caseId}: ${a.changes.join(', ')}`);
  for (const r of s.rejected) lines.push(`  line ${r.line}: rejected: ${r.reason}`);
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  if (s.refused) lines.push('  --strict: rejected rows refuse the whole file; nothing was applied');
  return lines.join('\n');
}

export function addNavCommands(program: Command, ctx: () => CliContext, json: () => boolean): void {
  const nav = program.command('nav').description('the cooperation meeting with NAV: the OTUK lists out, what the meeting learned back in');
  nav
    .command('export')
    .description(
      "the unit's youth still OTUK with their contact details, for the NAV meeting (CSV and XLSX); the meeting writes new details over them, and `ot nav import` reads the same file back",
    )
    .addOption(unitOption())
    .addOption(schoolYearOption())
    .option('--caseworker <name>', "only one counsellor's share: the cases they hold, or whose call they have on a call list")
    .option('--out <base>', 'write BASE.csv and BASE.xlsx (default: the data folder, nav/<year>/<unit>/)')
    .action(async (o: { unit: string; schoolYear: number; caseworker?: string; out?: string }) => {
      const c = ctx();
      requireUnit(c.config, o.unit);
      const rows = await navMeetingList(c.pool, { schoolYear: o.schoolYear, unit: o.unit, person: o.caseworker });
      // A read of every listed youth's contact details: the audit names each case.
      c.audited(
        rows.map((r) => r.caseId),
        `nav:${o.schoolYear}:${o.unit}${o.caseworker ? ':caseworker' : ''}`,
      );
      const stamp = DateTime.now().setZone(CAMPAIGN_ZONE).toFormat("yyyyLLdd'T'HHmmss");
      const base =
        o.out?.replace(/\.(csv|xlsx)$/i, '') ??
        path.join(privateFolder(navMeetingFolder(c.config.dataDir, o.schoolYear, o.unit)), navMeetingBase(o.schoolYear, o.unit, stamp));
      const files = await writeNavMeetingFiles(base, rows);
      if (json()) return printJson({ schoolYear: o.schoolYear, unit: o.unit, youth: rows.length, files });
      print(`${rows.length} youth still OTUK in unit ${o.unit}${o.caseworker ? ` (${o.caseworker})` : ''}\nwrote ${files.csv} and ${files.xlsx}\n`);
    });

  nav
    .command('import')
    .description(
      'what the NAV meeting learned: a CSV with saksref and a new adresse/postnummer/poststad, mobil or status, registered as from NAV; rows that fail are listed by line and the rest applied; importing the same file again changes nothing',
    )
    .argument('<file>', 'the CSV (the export, with new details written over the old)')
    .addOption(schoolYearOption())
    .option('--strict', 'refuse the whole file if any row is rejected')
    .action(async (file: string, o: { schoolYear: number; strict?: boolean }) => {
      const c = ctx();
      const text = readTextFile(file);
      let summary: NavImportSummary;
      try {
        summary = await importNavMeeting(
          { pool: c.pool, client: await c.client() },
          { schoolYear: o.schoolYear, text, strict: o.strict, unitIn: c.principal && visibleUnits(c.principal), ...c.actor() },
        );
      } catch (err) {
        if (err instanceof NavImportFileError) throw new CliError(`${path.basename(file)}: ${err.message}`);
        throw err;
      }
      c.audited(
        summary.applied.map((a) => a.caseId),
        `nav-import:${o.schoolYear}`,
      );
      if (json()) printJson(summary);
      else print(`${describe(path.basename(file), summary)}\n`);
      // A row refused is bad input: the exit says so, with --json as without.
      if (summary.rejected.length > 0)
        throw new CliError(`${summary.rejected.length} row(s) rejected (line ${summary.rejected.map((r) => r.line).join(', ')})`);
    });
}
