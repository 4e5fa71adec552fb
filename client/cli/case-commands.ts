import type { Client } from '@temporalio/client';
import { Command, InvalidArgumentError, Option } from 'commander';
import { normaliseMobile } from '../../schemas/mobile';
import type { OtStatusCode } from '../../schemas/ot-codes';
import type { PostalAddress } from '../../schemas/vigo-row';
import { CHANNELS, CONTACT_SOURCES, type Channel, type ContactSource } from '../../workflows/youth-case/machine';
import { CaseActionError, registerAction, registerContact, registerReturnedLetter, type ContactDetails } from '../use-cases/case-actions';
import { showCase, type CaseDetailRow } from '../use-cases/case-queries';
import { caseId, noteOption, statusCode } from './arguments';
import { CliError, type CliContext } from './context';
import { osloTime, print, printJson } from './output';

/** "Storgata 1, 5003 Bergen": street, then postcode and city. */
function postalAddress(value: string): PostalAddress {
  const m = /^\s*(.+?)\s*,\s*(\d{4})\s+(.+?)\s*$/.exec(value);
  if (!m) throw new InvalidArgumentError('write the address as "Street 1, 5003 City"');
  return { street: m[1], postcode: m[2], city: m[3] };
}

function mobile(value: string): string {
  const e164 = normaliseMobile(value);
  if (!e164) throw new InvalidArgumentError('not a Norwegian mobile number (8 digits starting with 4 or 9)');
  return e164;
}

export function printCaseDetail(row: CaseDetailRow, json: boolean): void {
  if (json) return printJson(row);
  const fields: [string, unknown][] = [
    ['case', row.caseId],
    ['name', row.name],
    ['school year', row.schoolYear],
    ['unit', row.unit],
    ['OS code', row.osCode],
    ['OT status', row.otStatus],
    ['stage', row.stage],
    ['caseworker', row.caseworker ?? '-'],
    ['flags', row.flags.join(', ') || '-'],
  ];
  if (row.letter)
    fields.push([
      'letter',
      `sent ${row.letter.sentOn}${row.letter.late ? ' (after the case had moved on: no recode)' : ''}${row.letter.returns ? `, returned ${row.letter.returns}×` : ''}${row.letter.awaitingAddress ? ', waits for an address' : ''}`,
    ]);
  // A late letter recoded nothing, so no SMS follows it.
  if (row.letter && !row.letter.late) fields.push(['SMS', row.sms === 'sent' ? `sent ${row.smsSentOn}` : row.sms]);
  if (row.phoneCampaign) fields.push(['phoning', `${row.phoneCampaign} campaign`]);
  if (row.review) fields.push(['review', `${row.review.state} ${row.review.on}`]);
  if (row.next) fields.push(['next', `${row.next.event} at ${osloTime(row.next.at)}`]);
  if (row.lastYear)
    fields.push([
      'last year',
      `in OT in ${row.lastYear.schoolYear} too${row.lastYear.unreached ? ', and nobody reached them' : ''}: ot case show ${row.lastYear.caseId}`,
    ]);
  const lines = fields.map(([k, v]) => `${k.padEnd(12)} ${String(v)}`);
  if (row.journal.length) {
    lines.push('journal (Oslo time)');
    for (const e of row.journal) {
      const change =
        e.from.status !== e.to.status || e.from.stage !== e.to.stage ? ` ${e.from.status}/${e.from.stage} → ${e.to.status}/${e.to.stage}` : '';
      const detail = e.detail
        ? ` ${Object.entries(e.detail)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
        : '';
      lines.push(
        `  ${osloTime(e.at)}  ${e.event}${detail}${e.by ? ` by ${e.by}` : ''}${e.channel ? ` (${e.channel})` : ''}${change}${e.note ? `: ${e.note}` : ''}`,
      );
    }
  }
  print(`${lines.join('\n')}\n`);
}

interface ActorOpts {
  note?: string;
}

/** Registers one change on a case and prints the case as it then stands; a refusal is one line and exit 1. */
export async function registerAndShow(
  c: CliContext,
  json: boolean,
  id: string,
  register: (c: CliContext, client: Client) => Promise<unknown>,
): Promise<void> {
  const client = await c.client();
  try {
    await register(c, client);
  } catch (err) {
    if (err instanceof CaseActionError) throw new CliError(err.kind === 'refused' ? `refused: ${err.message}` : err.message);
    throw err;
  }
  printCaseDetail((await showCase(c.pool, client, id))!, json);
}

export function addCaseActionCommands(kase: Command, ctx: () => CliContext, json: () => boolean): void {
  const run = (id: string, register: (c: CliContext, client: Client) => Promise<unknown>) => registerAndShow(ctx(), json(), id, register);
  const channel = () => new Option('--channel <channel>', 'how the news came').choices(CHANNELS).makeOptionMandatory();
  const note = noteOption;

  kase
    .command('outcome')
    .description('set what the youth does: OTOV (follow-up) or a code of UDIR groups 3–5')
    .argument('<caseId>', 'the case id', caseId)
    .requiredOption('--status <code>', 'the OT status code', statusCode)
    .addOption(channel())
    .addOption(note())
    .action((id: string, o: ActorOpts & { status: string; channel: Channel }) =>
      run(id, (c, client) =>
        registerAction(c.pool, client, id, { type: 'OUTCOME', status: o.status as OtStatusCode, channel: o.channel, ...c.actor(), note: o.note }),
      ),
    );
  kase
    .command('reply')
    .description('register a reply from the youth (reply sheet, phone, e-mail, SMS, drop-in); it is forwarded to the caseworker')
    .argument('<caseId>', 'the case id', caseId)
    .addOption(channel())
    .option('--to <caseworker>', 'the caseworker it is forwarded to')
    .addOption(note())
    .action((id: string, o: ActorOpts & { channel: Channel; to?: string }) =>
      run(id, (c, client) => registerAction(c.pool, client, id, { type: 'REPLY', channel: o.channel, forwardTo: o.to, ...c.actor(), note: o.note })),
    );
  kase
    .command('claim')
    .description('a caseworker takes the case before the letters: it gets no standard letter')
    .argument('<caseId>', 'the case id', caseId)
    .option('--caseworker <name>', 'who follows the case up (default: you)')
    .option('--status <code>', 'the OT status it gets', statusCode, 'OTOV')
    .addOption(note())
    .action((id: string, o: ActorOpts & { caseworker?: string; status: string }) =>
      run(id, (c, client) =>
        registerAction(c.pool, client, id, {
          type: 'CLAIM',
          status: o.status as OtStatusCode,
          caseworker: o.caseworker ?? c.actor().by,
          ...c.actor(),
          note: o.note,
        }),
      ),
    );
  kase
    .command('returned')
    .description('a letter came back: it goes to the second address, or the case waits for one')
    .argument('<caseId>', 'the case id', caseId)
    .addOption(note())
    .action((id: string, o: ActorOpts) => run(id, (c, client) => registerReturnedLetter(c.pool, client, id, { ...c.actor(), note: o.note })));
  kase
    .command('contact')
    .description('register a new address or mobile from NAV, the admissions office or the youth')
    .argument('<caseId>', 'the case id', caseId)
    .addOption(new Option('--address <address>', '"Street 1, 5003 City"').argParser(postalAddress).conflicts('mobile'))
    .addOption(new Option('--mobile <number>', 'a Norwegian mobile number').argParser(mobile))
    .addOption(new Option('--source <source>', 'where it came from').choices(CONTACT_SOURCES).makeOptionMandatory())
    .addOption(note())
    .action((id: string, o: ActorOpts & { address?: PostalAddress; mobile?: string; source: ContactSource }) => {
      if (!o.address && !o.mobile) throw new CliError('give --address or --mobile');
      const details: ContactDetails = o.address ? { kind: 'address', address: o.address } : { kind: 'mobile', mobile: o.mobile! };
      return run(id, (c, client) => registerContact(c.pool, client, id, details, { source: o.source, ...c.actor(), note: o.note }));
    });
}
