import type { Command } from 'commander';
import { visibleUnits } from '../../domain/access-policy';
import { entryOf, returnToVigo, vigoReturnList, writeVigoList, type VigoReturnRow } from '../use-cases/vigo-returns';
import { requireUnit, schoolYearOption } from './arguments';
import type { CliContext } from './context';
import { osloTime, print, printJson, table } from './output';

const returnedCell = (r: VigoReturnRow) => (r.returned ? `${osloTime(r.returned.at)}${r.returned.by ? ` by ${r.returned.by}` : ''}` : '');

export function addVigoCommands(program: Command, ctx: () => CliContext, json: () => boolean): void {
  const vigo = program.command('vigo').description('the return to VIGO: cases out of the target group (Feil, *_IM codes) sent back');
  vigo
    .command('list')
    .description('the cases to send back to VIGO, per unit (Feil and the other codes of UDIR group 5); --all also those sent back')
    .addOption(schoolYearOption())
    .option('--unit <unit>', 'only this OT unit')
    .option('--all', 'also the cases already sent back, with who and when')
    .option('--out <base>', 'write the list as BASE.csv and BASE.xlsx (the file for VIGO, with its fødselsnummer column)')
    .action(async (o: { schoolYear: number; unit?: string; all?: boolean; out?: string }) => {
      const c = ctx();
      if (o.unit) requireUnit(c.config, o.unit);
      const rows = await vigoReturnList(c.pool, {
        schoolYear: o.schoolYear,
        unit: o.unit,
        unitIn: c.principal && visibleUnits(c.principal),
        returned: o.all ? undefined : false,
      });
      c.audited(
        rows.map((r) => r.caseId),
        `vigo:${o.schoolYear}${o.unit ? `:${o.unit}` : ''}`,
      );
      const files = o.out ? await writeVigoList('vigo', o.out.replace(/\.(csv|xlsx)$/i, ''), rows) : undefined;
      if (json()) return printJson({ schoolYear: o.schoolYear, rows: rows.map(entryOf), ...(files ? { files } : {}) });
      const shown = rows.map((r) => ({
        unit: r.unit,
        name: r.name,
        born: r.birthDate ?? '',
        status: r.otStatus,
        stage: r.stage,
        returned: returnedCell(r),
        caseId: r.caseId,
      }));
      const open = rows.filter((r) => !r.returned).length;
      print(
        `${table(shown, Object.keys(shown[0] ?? { unit: '' }))}\n${open} case(s) to send back to VIGO${o.all ? `, ${rows.length - open} sent back` : ''}\n` +
          (files ? `wrote ${files.csv} and ${files.xlsx}\n` : ''),
      );
    });

  vigo
    .command('return')
    .description(
      "send the unit's cases back to VIGO: writes the file for VIGO and the admissions office's list of the Feil cases (by name and birth date), then marks exactly those cases returned, journalled with who and when; running it again marks nothing more",
    )
    .addOption(schoolYearOption())
    .option('--unit <unit>', 'only this OT unit (default: every unit you see)')
    .option('--out <dir>', 'write the files into this folder (default: the data folder, vigo/<year>/<unit>/)')
    .action(async (o: { schoolYear: number; unit?: string; out?: string }) => {
      const c = ctx();
      if (o.unit) requireUnit(c.config, o.unit);
      const result = await returnToVigo(
        { pool: c.pool, client: await c.client(), config: c.config },
        { schoolYear: o.schoolYear, unit: o.unit, unitIn: c.principal && visibleUnits(c.principal), outDir: o.out, ...c.actor() },
      );
      c.audited(
        result.units.flatMap((u) => u.returned.map((r) => r.caseId)),
        `vigo:${o.schoolYear}${o.unit ? `:${o.unit}` : ''}`,
      );
      if (json()) return printJson(result);
      const lines: string[] = [];
      for (const u of result.units) {
        lines.push(`unit ${u.unit}: ${u.returned.length} case(s) sent back to VIGO and marked returned`);
        lines.push(`  for VIGO: ${u.files.vigo.csv}, ${u.files.vigo.xlsx}`);
        if (u.files.admissionsOffice)
          lines.push(
            `  for the admissions office (${u.files.admissionsOffice.entries} Feil): ${u.files.admissionsOffice.csv}, ${u.files.admissionsOffice.xlsx}`,
          );
      }
      if (result.units.length === 0) lines.push(`nothing new to send back to VIGO in school year ${o.schoolYear}`);
      if (result.alreadyReturned) lines.push(`${result.alreadyReturned} case(s) were sent back before`);
      for (const r of result.closed) lines.push(`  ${r.caseId} (${r.name}) closed before it was marked: it is in no file; send it back by hand`);
      print(`${lines.join('\n')}\n`);
    });
}
