import { Option, type Command } from 'commander';
import { callRegistrationSchema, requestProblems } from '../../schemas/requests';
import { instantOf } from '../../workflows/calendar';
import { readCohortCalendar } from '../../db/cohort-calendar';
import { callList, callListShares, registerCall, type CallListRow } from '../use-cases/call-lists';
import { addStaff, reassignCallsTo, removeStaff, StaffError, unitStaff } from '../use-cases/unit-staff';
import type { CallMove } from '../../schemas/api/calls';
import { writeListFiles, type ListColumn } from '../../domain/list-files';
import { caseId, noteOption, requireUnit, schoolYearOption, statusCode, unitOption } from './arguments';
import { registerAndShow } from './case-commands';
import { CliError, type CliContext } from './context';
import { osloTime, print, printJson, table } from './output';
import { PHONE_CAMPAIGNS, type PhoneCampaign } from '../../schemas/calendar';

const lastAttempt = (r: CallListRow) => (r.lastAttempt ? `${osloTime(r.lastAttempt.at)} ${r.lastAttempt.result}` : '');
const mobile = (r: CallListRow) => (r.mobile ? `${r.mobile}${r.mobileWrong ? ' (wrong)' : ''}` : '');

const COLUMNS: ListColumn<CallListRow>[] = [
  { header: 'staff', value: (r) => r.staff ?? '(not shared)', width: 20 },
  { header: 'name', value: (r) => r.name, width: 28 },
  { header: 'mobile', value: mobile, width: 16 },
  { header: 'other numbers', value: (r) => r.otherNumbers.join(', '), width: 16 },
  { header: 'last attempt', value: lastAttempt, width: 28 },
  { header: 'attempts', value: (r) => r.attempts },
  { header: 'notes', value: (r) => r.notes.join(' | '), width: 50 },
  { header: 'status', value: (r) => r.otStatus },
  { header: 'left the list', value: (r) => (r.left ? `${osloTime(r.left.at)} ${r.left.as}` : ''), width: 24 },
  { header: 'moved', value: movedText, width: 40 },
  { header: 'case', value: (r) => r.caseId, width: 26 },
];

/** A moved call as the list shows it, on screen and in the file: from whom, when, by whom and why. */
export function movedText(r: Pick<CallListRow, 'moved'>): string {
  if (!r.moved) return '';
  const why = r.moved.reason === 'staff-removed' ? 'their caller left the unit' : 'reassigned';
  return `from ${r.moved.from ?? '(not shared)'} ${osloTime(r.moved.at)} by ${r.moved.by} (${why})`;
}

const movesText = (moves: CallMove[]) =>
  moves.map((m) => `  case ${m.caseId} (${m.campaign} ${m.schoolYear}): ${m.from ?? '(not shared)'} → ${m.to ?? '(not shared)'}`).join('\n');

/** A refusal of a staff change or a move as one line; anything else goes on as it is. */
async function refusedAsLine<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof StaffError) throw new CliError(err.message);
    throw err;
  }
}

const RESULTS = { reached: 'reached', 'not-reached': 'notReached', 'wrong-number': 'wrongNumber' } as const;

export function addCallCommands(program: Command, ctx: () => CliContext, json: () => boolean): void {
  const calls = program.command('calls').description('the phone campaigns: call lists shared among the unit staff, and each call registered');
  calls
    .command('list')
    .description("a unit's call list: the youth still OTUK on it, with numbers, the last attempt and the notes")
    .addOption(unitOption())
    .addOption(schoolYearOption())
    .option('--staff <name>', "only this staff member's share")
    .addOption(new Option('--campaign <campaign>', 'which phone campaign (default: the latest to open)').choices(PHONE_CAMPAIGNS))
    .option('--all', 'also the youth who have left the list (reached, resolved, the campaign over)')
    .option('--xlsx <file>', 'also write the list as XLSX (and CSV beside it)')
    .action(async (o: { unit: string; schoolYear: number; staff?: string; campaign?: PhoneCampaign; all?: boolean; xlsx?: string }) => {
      const c = ctx();
      requireUnit(c.config, o.unit);
      const list = await callList(c.pool, o);
      c.audited(
        list.rows.map((r) => r.caseId),
        `calls:${o.schoolYear}:${o.unit}${o.staff ? ':staff' : ''}`,
      );
      if (!list.campaign) {
        const { calendar } = await readCohortCalendar(c.pool, o.schoolYear);
        const opens = PHONE_CAMPAIGNS.map((k) => calendar.phoneCampaigns[k].from).find((d) => instantOf(d) > Date.now());
        throw new CliError(
          `no phone campaign has put a youth of unit ${o.unit} on a call list in school year ${o.schoolYear}${opens ? `; the next opens ${opens}` : ''}`,
        );
      }
      const files = o.xlsx ? await writeListFiles(o.xlsx.replace(/\.xlsx$/i, ''), `Call list ${o.unit}`, COLUMNS, list.rows) : undefined;
      const shares = await callListShares(c.pool, { schoolYear: o.schoolYear, unit: o.unit, campaign: list.campaign });
      if (json()) return printJson({ campaign: list.campaign, shares, rows: list.rows, files });
      const rows = list.rows.map((r) => ({
        staff: r.staff ?? '(not shared)',
        name: r.name,
        mobile: mobile(r),
        other: r.otherNumbers.join(','),
        lastAttempt: lastAttempt(r),
        tries: r.attempts,
        note: r.notes[0] ?? '',
        status: r.otStatus,
        ...(o.all ? { left: r.left ? r.left.as : '' } : {}),
        moved: movedText(r),
        caseId: r.caseId,
      }));
      const share = shares.map((s) => `${s.staff ?? '(not shared)'} ${s.open}`).join(', ');
      print(
        [
          `${list.campaign} phone campaign, unit ${o.unit}, school year ${o.schoolYear}: ${shares.reduce((a, s) => a + s.open, 0)} to call (${share || 'none'})`,
          table(rows, ['staff', 'name', 'mobile', 'other', 'lastAttempt', 'tries', 'note', 'status', ...(o.all ? ['left'] : []), 'moved', 'caseId']),
          `${list.rows.length} youth${files ? `; written to ${files.xlsx} and ${files.csv}` : ''}`,
        ].join('\n') + '\n',
      );
    });

  calls
    .command('register')
    .description(
      'register a call: reached (with --status, or a reply passed on), not reached (the attempt is kept) or wrong number (the mobile is flagged)',
    )
    .argument('<caseId>', 'the case id', caseId)
    .addOption(new Option('--result <result>', 'what came of the call').choices(Object.keys(RESULTS)).makeOptionMandatory())
    .option('--status <code>', 'reached: what the youth does (OTOV or a code of UDIR groups 3–5)', statusCode)
    .option('--to <caseworker>', 'reached: the caseworker the reply is passed on to')
    .addOption(noteOption())
    .action(async (id: string, o: { result: keyof typeof RESULTS; status?: string; to?: string; note?: string }) => {
      // The same body the API takes, checked by the same schema; the CLI's option names stand in for its fields.
      const call = callRegistrationSchema.safeParse({ result: RESULTS[o.result], status: o.status, forwardTo: o.to, note: o.note });
      if (!call.success)
        throw new CliError(
          requestProblems(call.error)
            .replace(/\bforwardTo\b/g, '--to')
            .replace(/\bstatus\b/g, '--status'),
        );
      await registerAndShow(ctx(), json(), id, (c, client) => registerCall(c.pool, client, id, call.data, c.actor()));
    });

  calls
    .command('reassign')
    .description("move one case's call, or every open call of one staff member, to another of the unit's staff; recorded with who and when")
    .argument('[caseId]', 'the case whose call moves (or --from NAME with --unit for all of theirs)', caseId)
    .requiredOption('--to <name>', 'the staff member who takes the call(s)')
    .option('--from <name>', 'every open call of this staff member')
    .option('--unit <code>', 'the unit (with --from)')
    .addOption(schoolYearOption())
    .action(async (id: string | undefined, o: { to: string; from?: string; unit?: string; schoolYear: number }) => {
      if ((id === undefined) === (o.from === undefined)) throw new CliError('name the case whose call moves, or --from NAME (one of them)');
      if (o.from !== undefined && o.unit === undefined) throw new CliError('--from needs --unit: whose calls in which unit');
      const c = ctx();
      if (o.unit) requireUnit(c.config, o.unit);
      const who = c.actor();
      const target = id !== undefined ? { caseId: id } : { from: o.from! };
      const client = await c.client();
      const moves = await refusedAsLine(() =>
        reassignCallsTo(c.pool, client, c.config.units, { schoolYear: o.schoolYear, unit: o.unit, to: o.to, ...target, ...who }),
      );
      c.audited(
        moves.map((m) => m.caseId),
        `calls-reassign:${o.schoolYear}:${o.unit ?? ''}`,
      );
      if (json()) return printJson({ moved: moves });
      print(`${moves.length} call(s) moved to ${o.to}\n${movesText(moves)}\n`);
    });

  const staff = program
    .command('staff')
    .description("who shares a unit's call lists: changed mid-campaign, the calls of one who leaves are re-shared");
  staff
    .command('list')
    .description("who shares the unit's call lists now, and each change: who made it, when")
    .addOption(unitOption())
    .action(async (o: { unit: string }) => {
      const c = ctx();
      const s = await refusedAsLine(() => unitStaff(c.pool, c.config.units, o.unit));
      if (json()) return printJson(s);
      const changes = s.changes.map((ch) => `  ${osloTime(ch.at)} ${ch.change === 'add' ? 'added' : 'removed'} ${ch.staff} (by ${ch.by})`);
      print(`unit ${o.unit}: ${s.staff.join(', ') || 'nobody'} share the calls\n${changes.length ? `${changes.join('\n')}\n` : ''}`);
    });
  staff
    .command('add')
    .description("a new staff member shares the unit's calls from now on; nobody's calls move")
    .argument('<name>', 'the name as the call lists show it')
    .addOption(unitOption())
    .action(async (name: string, o: { unit: string }) => {
      const c = ctx();
      const done = await refusedAsLine(() => addStaff(c.pool, c.config.units, { unit: o.unit, name, ...c.actor() }));
      if (json()) return printJson(done);
      print(`unit ${o.unit}: ${name} added; ${done.staff.join(', ')} share the calls\n`);
    });
  staff
    .command('remove')
    .description('a staff member leaves the unit: their open calls (only theirs) are shared among the rest, fairly')
    .argument('<name>', 'the name as the call lists show it')
    .addOption(unitOption())
    .action(async (name: string, o: { unit: string }) => {
      const c = ctx();
      const client = await c.client();
      const done = await refusedAsLine(() => removeStaff(c.pool, client, c.config.units, { unit: o.unit, name, ...c.actor() }));
      c.audited(
        done.moved.map((m) => m.caseId),
        `staff-remove:${o.unit}`,
      );
      if (json()) return printJson(done);
      print(
        `unit ${o.unit}: ${name} removed; ${done.staff.join(', ') || 'nobody'} share the calls; ${done.moved.length} open call(s) re-shared\n${done.moved.length ? `${movesText(done.moved)}\n` : ''}`,
      );
    });
}
