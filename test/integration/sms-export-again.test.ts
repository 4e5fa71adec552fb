import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setCalendar } from '../../client/use-cases/calendar';
import { registerAction, registerContact } from '../../client/use-cases/case-actions';
import { showCase } from '../../client/use-cases/case-queries';
import { submitImport } from '../../client/use-cases/cohort-import';
import { flowCounters } from '../../client/use-cases/counters';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing, confirmSmsSent } from '../../client/use-cases/mailings';
import { exportSmsAgain, exportSmsOutbox, runSmsCampaign, SmsExportError } from '../../client/use-cases/sms-campaign';
import { caseIdOf } from '../../domain/case-id';
import { parseCalendar } from '../../domain/calendar-settings';
import { yearInSteps } from '../../domain/trial-calendar';
import { loadConfig } from '../../runtime/config';
import type { CaseStage } from '../../workflows/youth-case/machine';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The outbox, on the real dev server and PostgreSQL: each export has an id, and a lost one is written again with exactly its
 * messages not yet confirmed sent, never what was confirmed; the second SMS round goes through the outbox too, confirmed by the
 * same `sms confirm`, and counted.
 */
const YEAR = 2092;
const UNIT = '12250';
const nextId = idFactory();
const by = 'Siri Systemansvarleg';
const outDir = mkdtempSync(path.join(tmpdir(), 'ot-sms-again-'));

const youth = {
  ea: { id: nextId('2030-06-01'), first: 'Ea', last: 'Fjell', mobile: '91092001' },
  // Reached by phone after the first export: her message is not written again.
  fi: { id: nextId('2030-06-02'), first: 'Fi', last: 'Gran', mobile: '91092002' },
  // Gets a mobile only after the first export: in an export of her own.
  gro: { id: nextId('2030-06-03'), first: 'Gro', last: 'Hei' },
} satisfies Record<string, TestRow>;
type Youth = keyof typeof youth;

let stack: TestStack;
let t0: number;
let lettersSentOn: string;
const caseOf = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const projected = (who: Youth, stage: CaseStage) =>
  eventually(
    async () => ((await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseOf(who)])).rows[0]?.stage === stage ? true : undefined),
    `${who} projected as ${stage}`,
  );
const calendarWith = (secondSmsAfterFirst: string) =>
  parseCalendar({
    ...yearInSteps(YEAR, t0, 3_600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 }),
    secondSmsAfterFirst,
  });
const queued = async (step: string) =>
  (
    await stack.pool.query<{ case_id: string }>(
      `SELECT case_id FROM sms_messages WHERE school_year = $1 AND step = $2 AND status = 'queued' ORDER BY case_id`,
      [YEAR, step],
    )
  ).rows.map((r) => r.case_id);
/** Writes an export as the CLI does, and returns what it wrote. */
async function exported(again?: string): Promise<{ csv: string; exportId: string; messageKeys: string[] }> {
  let csv = '';
  const write = (text: string) => {
    csv = text;
    return Promise.resolve();
  };
  const q = { schoolYear: YEAR, unit: UNIT, by };
  const done = again ? await exportSmsAgain(stack.pool, { ...q, exportId: again }, write) : await exportSmsOutbox(stack.pool, q, write);
  return { csv, exportId: done.exportId, messageKeys: done.messageKeys };
}
const sorted = (keys: string[]) => [...keys].sort();

beforeAll(async () => {
  // The outbox gateway, whatever the environment's configuration says.
  stack = await openStack({ taskQueue: 'sms-export-again', sms: { ...loadConfig().sms, provider: 'outbox' } });
  await stack.startWorker();
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 99) ON CONFLICT (school_year) DO UPDATE SET age_limit = 99', [
    YEAR,
  ]);
  t0 = Date.now();
  // The first SMS 2 s after the letters; the second an hour after it, until the test moves it.
  await setCalendar(stack, YEAR, calendarWith('PT1H'));
  await (await submitImport(stack, { fileName: 'again.csv', content: transferFile(Object.values(youth)), schoolYear: YEAR, strict: true })).result();
  for (const who of Object.keys(youth) as Youth[]) await projected(who, 'letterDue');
  await printLetterBatch(stack, { schoolYear: YEAR, unit: UNIT, osCode: 'OSON', by, outDir });
  lettersSentOn = new Date().toISOString();
  await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: UNIT, osCode: 'OSON', sentOn: lettersSentOn, by });
  await eventually(async () => ((await queued('sms1')).length === 2 ? true : undefined), 'the first SMS in the outbox');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('a lost SMS export, exported again', () => {
  let first: { csv: string; exportId: string; messageKeys: string[] };
  let second: { csv: string; exportId: string; messageKeys: string[] };

  it('is the same file, by its id, while nothing of it is confirmed', async () => {
    first = await exported();
    expect(first.exportId).toMatch(/^[0-9a-f]{12}$/);
    expect(sorted(first.messageKeys)).toEqual(sorted([`${caseOf('ea')}:sms1`, `${caseOf('fi')}:sms1`]));
    expect(first.csv).toContain('91092001');
    const again = await exported(first.exportId);
    expect(again).toEqual(first);
    const row = await stack.pool.query('SELECT messages, by_user, again, again_by FROM sms_exports WHERE export_id = $1', [first.exportId]);
    expect(row.rows[0]).toEqual({ messages: 2, by_user: by, again: 1, again_by: by });
  });

  it('holds only its own messages still to send, and is refused once all of them are confirmed', async () => {
    await registerContact(stack.pool, stack.client, caseOf('gro'), { kind: 'mobile', mobile: '+4791092003' }, { source: 'youth', by });
    await runSmsCampaign(stack, { schoolYear: YEAR, unit: UNIT, by });
    second = await exported();
    expect(second.messageKeys).toEqual([`${caseOf('gro')}:sms1`]);
    // Each export again is its own file: the first's two are not in the second's.
    expect((await exported(second.exportId)).messageKeys).toEqual(second.messageKeys);
    // Fi is reached by phone: the first file, written again, no longer asks her to get in touch.
    await registerAction(stack.pool, stack.client, caseOf('fi'), { type: 'REPLY', channel: 'phone', by });
    await projected('fi', 'contactEstablished');
    expect((await exported(first.exportId)).messageKeys).toEqual([`${caseOf('ea')}:sms1`]);

    // The office sends the files and confirms: Ea and Gro are registered as SMS sent.
    const confirmed = await confirmSmsSent(stack, { schoolYear: YEAR, unit: UNIT, sentOn: new Date().toISOString(), by });
    expect(confirmed).toMatchObject({ cases: 2 });
    expect(confirmed.second).toBeUndefined();
    for (const who of ['ea', 'gro'] as const) await projected(who, 'smsSent');
    for (const id of [first.exportId, second.exportId]) {
      await expect(exported(id)).rejects.toThrow(SmsExportError);
      await expect(exported(id)).rejects.toThrow(/confirmed sent/);
    }
    await expect(exported('000000000000')).rejects.toThrow(/has no SMS export 000000000000/);
  });

  it('of the second round: its own messages only, then confirmed as the second SMS and counted', async () => {
    // Moved earlier, the second SMS goes now: the campaign of the letters wakes and queues it for those still OTUK.
    await setCalendar(stack, YEAR, calendarWith('PT2S'));
    await eventually(async () => ((await queued('sms2')).length === 2 ? true : undefined), 'the second SMS in the outbox');
    const third = await exported();
    // To those still OTUK whose first SMS went: not Fi, who was reached.
    expect(sorted(third.messageKeys)).toEqual(sorted([`${caseOf('ea')}:sms2`, `${caseOf('gro')}:sms2`]));
    expect(third.csv).toContain('Hei igjen');
    const lost = await exported(third.exportId);
    expect(lost.csv).toBe(third.csv);

    const confirmed = await confirmSmsSent(stack, { schoolYear: YEAR, unit: UNIT, sentOn: new Date().toISOString(), by });
    expect(confirmed.cases).toBe(0);
    expect(confirmed.second).toMatchObject({ cases: 2, firstConfirmation: true });
    await expect(exported(third.exportId)).rejects.toThrow(/confirmed sent/);
    for (const who of ['ea', 'gro'] as const) {
      const d = await eventually(async () => {
        const detail = (await showCase(stack.pool, stack.client, caseOf(who)))!;
        return detail.journal.some((e) => e.event === 'SECOND_SMS_SENT') ? detail : undefined;
      }, `${who}'s second SMS journalled`);
      expect(d.journal.filter((e) => e.event === 'SECOND_SMS_SENT')).toEqual([expect.objectContaining({ by })]);
    }
    const counters = await eventually(async () => {
      const c = await flowCounters(stack.pool, YEAR, [UNIT]);
      return c.units[UNIT]?.secondSmsSent === 2 ? c : undefined;
    }, 'the second SMS counted');
    expect(counters.units[UNIT]).toMatchObject({ smsSent: 2, secondSmsSent: 2 });
    // Fi's first message was exported and never confirmed: it stays so, and no file holds it again.
    const stored = await stack.pool.query(
      `SELECT status, count(*)::int AS n FROM sms_messages WHERE school_year = $1 GROUP BY status ORDER BY status`,
      [YEAR],
    );
    expect(stored.rows).toEqual([
      { status: 'exported', n: 1 },
      { status: 'sent', n: 4 },
    ]);
  });
});
