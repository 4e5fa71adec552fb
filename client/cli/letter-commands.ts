import path from 'node:path';
import { Option, type Command } from 'commander';
import { LetterDataError } from '../../domain/letter-pdf';
import { LetterTemplateError } from '../../domain/letter-template';
import { OS_CODES, type OsCode } from '../../schemas/ot-codes';
import { LetterBatchError, previewLetters, printLetterBatch } from '../use-cases/letter-batches';
import { caseId, requireUnit, schoolYearOption, unitOption } from './arguments';
import { CliError, type CliContext } from './context';
import { defaultExportPath } from './files';
import { print, printJson } from './output';

/** Letter and template problems are the operator's to fix: one line each. */
async function asCliError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof LetterBatchError || err instanceof LetterTemplateError || err instanceof LetterDataError) throw new CliError(err.message);
    throw err;
  }
}

export function addLetterCommands(letters: Command, ctx: () => CliContext, json: () => boolean): void {
  letters
    .command('batch')
    .description(
      "print the unit's next batch for an OS code: one PDF in postnummer order, its list (CSV, XLSX), held letters and the admissions office's list",
    )
    .addOption(unitOption())
    .addOption(new Option('--code <code>', 'the OS code').choices(OS_CODES).makeOptionMandatory())
    .addOption(schoolYearOption())
    .option('--out <dir>', 'the folder for the files (default: the data folder, letters/<year>/<unit>)')
    .action(async (o: { unit: string; code: OsCode; schoolYear: number; out?: string }) => {
      const c = ctx();
      requireUnit(c.config, o.unit);
      const batch = await asCliError(() =>
        printLetterBatch(
          { pool: c.pool, config: c.config },
          { schoolYear: o.schoolYear, unit: o.unit, osCode: o.code, by: c.actor().by, outDir: o.out && path.resolve(o.out) },
        ),
      );
      if (!batch) {
        throw new CliError(`unit ${o.unit}, ${o.code}: no letter to print (none due that is not printed already); see ot cases --stage letterDue`);
      }
      c.audited([], `letters:${o.schoolYear}:${o.unit}:${o.code}:${batch.number}`);
      if (json()) return printJson(batch);
      const f = batch.files;
      print(
        [
          `batch ${batch.number} of unit ${o.unit}, ${o.code}, dated ${batch.letterDate}: ${batch.letters} letter(s) on ${f.pages} page(s)`,
          `  standard letters: ${batch.standard}, guardian copies: ${batch.guardianCopies}, sent again after a return: ${batch.resent}`,
          f.pdf ? `  print:  ${f.pdf}` : '  nothing to print: every letter due is held back',
          `  list:   ${f.list.xlsx} (and .csv)`,
          ...(f.held ? [`  held (no name or no whole address): ${batch.held}, listed in ${f.held.xlsx} (and .csv)`] : []),
          `  admissions office (no address to send to): ${f.admissionsOffice.entries}, listed in ${f.admissionsOffice.xlsx} (and .csv)`,
          `once posted: ot letters confirm --unit ${o.unit} --code ${o.code} --school-year ${o.schoolYear} --sent-on DATE`,
        ].join('\n') + '\n',
      );
    });

  letters
    .command('preview')
    .description("render one case's letters as a batch would print them today (nothing is stored)")
    .argument('<caseId>', 'the case id (24 hex characters)', caseId)
    .option('--out <file>', 'the PDF to write (default: the data folder, exports/letter-preview-<caseId>.pdf)')
    .action(async (id: string, o: { out?: string }) => {
      const c = ctx();
      const file = o.out ? path.resolve(o.out) : defaultExportPath(c.config, `letter-preview-${id}.pdf`);
      const result = await asCliError(() => previewLetters({ pool: c.pool, config: c.config }, id, file));
      if (json()) return printJson({ file, ...result });
      print(`${file}: ${result.letters} letter(s), ${result.pages} page(s)\n`);
    });
}
