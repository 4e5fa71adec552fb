import path from 'node:path';
import type { Command } from 'commander';
import { nationalIdSchema } from '../../schemas/national-id';
import { defaultExportFolder, exportedCaseIds, exportListName, exportPerson, writePersonExport } from '../use-cases/person-export';
import { CliError, type CliContext } from './context';
import { printJson } from './output';

/** The youth's rights: `ot person export`, everything held about one person (GDPR Art. 15). */
export function addPersonCommands(program: Command, ctx: () => CliContext, json: () => boolean): void {
  const person = program.command('person').description("one person's data across school years: access requests and erasure");
  person
    .command('export')
    .description('write everything held about one person, every school year, as JSON and a PDF in Nynorsk (the number is not shown or logged)')
    .argument('<fodselsnummer>', '11 digits')
    .option('--out <dir>', 'the folder for the files (default: the data folder, exports/innsyn)')
    .action(async (id: string, o: { out?: string }) => {
      // Never echoed: the number is someone's national id, or a mistyped one.
      const parsed = nationalIdSchema.safeParse(id);
      if (!parsed.success) throw new CliError('a fodselsnummer is 11 digits');
      const c = ctx();
      const principal = c.principal;
      if (!principal) throw new CliError('this command needs an account: --as USER or OT_USER');
      const exported = await exportPerson(c.pool, parsed.data, principal);
      if (!exported) throw new CliError('no person with that fodselsnummer in any school year');
      const dir = o.out ? path.resolve(o.out) : defaultExportFolder(c.config);
      let files;
      try {
        files = await writePersonExport(exported, dir);
      } catch (err) {
        throw new CliError(`cannot write the export into ${dir}: ${(err as Error).message.split('\n')[0]}`);
      }
      c.audited(exportedCaseIds(exported), exportListName(exported));
      if (json()) return printJson({ exportId: exported.exportId, cases: exported.cases.length, files });
      process.stdout.write(
        [
          `export ${exported.exportId}: ${exported.cases.length} case(s), ${exported.audit.length} audit row(s); readable by you alone`,
          `  json: ${files.json}`,
          `  pdf:  ${files.pdf}`,
        ].join('\n') + '\n',
      );
    });
}
