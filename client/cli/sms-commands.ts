import type { Command } from 'commander';
import { caseOfMessageKey } from '../../workflows/contracts/sms-campaign';
import { exportSmsAgain, exportSmsOutbox, noMobileList, refusedSmsList, runSmsCampaign, SmsExportError } from '../use-cases/sms-campaign';
import { assignInboundSms, InboxError, listInbox } from '../use-cases/sms-replies';
import { caseId, requireUnit, schoolYearOption, unitOption } from './arguments';
import { CliError, type CliContext } from './context';
import { writeStdout, writeTextFileDurably } from './files';
import { print, printJson, table } from './output';

export function addSmsCommands(sms: Command, ctx: () => CliContext, json: () => boolean): void {
  sms
    .command('campaign')
    .description("send the unit's SMS now to every case still OTUK with a mobile (it also runs by itself after the letters); none is sent twice")
    .addOption(unitOption())
    .addOption(schoolYearOption())
    .option('--second', 'the second round now: the second SMS text to those still OTUK whose first SMS went')
    .action(async (o: { unit: string; schoolYear: number; second?: boolean }) => {
      const c = ctx();
      requireUnit(c.config, o.unit);
      const result = await runSmsCampaign({ pool: c.pool, client: await c.client(), config: c.config }, { ...o, by: c.actor().by });
      const q = { schoolYear: o.schoolYear, unit: o.unit };
      const noMobile = await noMobileList(c.pool, q);
      const refused = await refusedSmsList(c.pool, q);
      c.audited(
        [...noMobile, ...refused].map((n) => n.caseId),
        `sms-no-mobile:${o.schoolYear}:${o.unit}`,
      );
      if (json()) return printJson({ ...result, noMobileCases: noMobile, refusedCases: refused });
      const round = result.second ?? result;
      const lines = [
        `${o.second ? 'Second SMS' : 'SMS campaign'} of unit ${o.unit} (${c.config.sms.provider} gateway): ${round.sent} sent, ${round.queued} put in the outbox, ${round.already} already done earlier, ${round.failed} refused by the gateway`,
        ...(round.queued ? [`  the outbox waits for export: ot sms export --unit ${o.unit} --school-year ${o.schoolYear}`] : []),
        `  no mobile, to be reached another way: ${noMobile.length}`,
        ...noMobile.map((n) => `    ${n.name} (case ${n.caseId})`),
        ...(refused.length ? [`  refused by the gateway, to be reached another way: ${refused.length}`] : []),
        ...refused.map((n) => `    ${n.name} (case ${n.caseId}): ${n.reason}`),
      ];
      print(`${lines.join('\n')}\n`);
    });

  sms
    .command('export')
    .description("write the unit's outbox as the CSV a bulk SMS tool (PSWin) reads; each message is exported once")
    .addOption(unitOption())
    .addOption(schoolYearOption())
    .option('--out <file>', 'write here instead of standard output')
    .option('--again <exportId>', 'write a lost export again: its messages not yet confirmed sent, nothing else')
    .action(async (o: { unit: string; schoolYear: number; out?: string; again?: string }) => {
      const c = ctx();
      requireUnit(c.config, o.unit);
      const write = (csv: string) => (o.out ? writeTextFileDurably(o.out, csv) : writeStdout(csv));
      const q = { schoolYear: o.schoolYear, unit: o.unit };
      // Written before the messages count as exported: a file that cannot be written leaves them for the next export.
      let done: { messageKeys: string[]; exportId: string; held?: number };
      try {
        done = o.again
          ? await exportSmsAgain(c.pool, { ...q, exportId: o.again, by: c.actor().by }, write)
          : await exportSmsOutbox(c.pool, { ...q, ...c.actor() }, write);
      } catch (err) {
        if (err instanceof SmsExportError) throw new CliError(err.message);
        throw err;
      }
      const { messageKeys, exportId } = done;
      if (messageKeys.length === 0) throw new CliError(`unit ${o.unit}: the outbox holds no message that is not exported already`);
      c.audited(messageKeys.map(caseOfMessageKey), `sms-export:${o.schoolYear}:${o.unit}:${exportId}`);
      const again = done.held !== undefined ? ` again (${done.held - messageKeys.length} of its ${done.held} confirmed sent since, left out)` : '';
      // The file may be standard output: where it went and its id are told on standard error then.
      if (!o.out) return void process.stderr.write(`export ${exportId}${again}: ${messageKeys.length} message(s)\n`);
      if (json()) return printJson({ file: o.out, exportId, messages: messageKeys.length, ...(done.held !== undefined ? { again: true } : {}) });
      print(
        `${o.out}: ${messageKeys.length} message(s); once sent, run: ot sms confirm --unit ${o.unit} --school-year ${o.schoolYear} --sent-on DATE\n` +
          `  export ${exportId}${again}; a lost file is written again by: ot sms export --again ${exportId} --unit ${o.unit} --school-year ${o.schoolYear}\n`,
      );
    });

  sms
    .command('inbox')
    .description('SMS replies that matched no case, waiting for office staff to assign them')
    .option('--all', 'also those registered or assigned')
    .action(async (o: { all?: boolean }) => {
      const entries = await listInbox(ctx().pool, o);
      ctx().audited(
        entries.flatMap((e) => (e.caseId ? [e.caseId] : [])),
        'sms-inbox',
      );
      if (json()) return printJson(entries);
      const rows = entries.map((e) => ({ ...e, text: e.text.length > 60 ? `${e.text.slice(0, 59)}…` : e.text }));
      print(`${table(rows, ['inboundId', 'receivedAt', 'mobile', 'status', 'caseId', 'text', 'reason'])}\n${entries.length} message(s)\n`);
    });

  sms
    .command('assign')
    .description('give an unmatched SMS reply to its case: registered there as a reply by SMS')
    .argument('<inboundId>', 'the message, as ot sms inbox lists it')
    .requiredOption('--case <caseId>', 'the case it belongs to', caseId)
    .action(async (inboundId: string, o: { case: string }) => {
      const c = ctx();
      try {
        const entry = await assignInboundSms({ pool: c.pool, client: () => c.client() }, inboundId, o.case, c.actor().by);
        if (json()) return printJson(entry);
        print(`SMS ${inboundId} registered as a reply on case ${o.case}\n`);
      } catch (err) {
        if (err instanceof InboxError) throw new CliError(err.message);
        throw err;
      }
    });
}
