import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setCalendar } from '../../client/use-cases/calendar';
import { CaseActionError, registerAction, registerContact, registerReturnedLetter } from '../../client/use-cases/case-actions';
import { listCases, showCase } from '../../client/use-cases/case-queries';
import { submitImport } from '../../client/use-cases/cohort-import';
import { runCrosscheck } from '../../client/use-cases/crosscheck';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { runSmsCampaign } from '../../client/use-cases/sms-campaign';
import { exportOutbox } from '../../activities/sms-delivery';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { withCalendarValue } from '../../workflows/calendar';
import type { CaseStage } from '../../workflows/youth-case/machine';
import type { CaseDetail } from '../../workflows/youth-case/view';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { admissionsOfficeList } from '../../db/letter-batches';
import { youthCaseWorkflowId } from '../../workflows/contracts/youth-case';

/**
 * A small cohort lives a whole school year compressed into well under a minute, on the real dev server
 * and PostgreSQL with real timers: letters, the mass recode, SMS, two phone campaigns, replies,
 * outcomes, returned letters, contact details, a claim, a cross-check, a calendar change and the year end.
 */
const YEAR = 2033;
/** Seconds per step of the compressed calendar: room for the test's own steps between deadlines on a busy machine. */
const U = 2;

let stack: TestStack;
const nextId = idFactory();
const iso = (ms: number) => new Date(ms).toISOString();

const youth = {
  /** OSON with a mobile: letter, recode, SMS, phone campaign, reply, outcome. */
  reached: { id: nextId('2015-01-10'), first: 'Astrid', mobile: '91234567' },
  /** OSON without a mobile: never reached, carried over to next year. */
  unknown: { id: nextId('2015-02-11'), first: 'Bjørn' },
  /** Claimed by a caseworker before the letters. */
  claimed: { id: nextId('2015-03-12'), first: 'Cecilie', mobile: '92345678' },
  /** OSUT: its letter date moves, the letter comes back twice, then a new address. */
  returned: {
    id: nextId('2015-04-13'),
    first: 'Dag',
    os: 'OSUT',
    mobile: '93456789',
    address2: ['Nygata 2', '5017', 'Bergen'] as [string, string, string],
  },
  /** On the private-school list. */
  crosschecked: { id: nextId('2015-05-14'), first: 'Eli' },
  /** No address at first: the admissions office finds one. */
  noAddress: { id: nextId('2015-06-15'), first: 'Frode', address: null },
  /** Another unit: not in unit 12250's mailing. */
  otherUnit: { id: nextId('2015-07-16'), first: 'Gro', unit: '12256' },
};
type Youth = keyof typeof youth;

const caseIdOfYouth = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const handleOf = (who: Youth) => stack.client.workflow.getHandle(youthCaseWorkflowId(YEAR, caseIdOfYouth(who)));
/** The case as `ot case show` and the API show it: the workflow's state, the journal (notes and all) from the read model. */
const detailOf = async (who: Youth): Promise<CaseDetail> => (await showCase(stack.pool, stack.client, caseIdOfYouth(who)))!;

async function stageReached(who: Youth, stage: CaseStage): Promise<CaseDetail> {
  return eventually(async () => {
    const d = await detailOf(who);
    return d.stage === stage ? d : undefined;
  }, `${who} to reach ${stage}`);
}

async function projectedAs(who: Youth, stage: CaseStage) {
  return eventually(async () => ((await projected(who)).stage === stage ? true : undefined), `${who} projected as ${stage}`);
}

async function projected(who: Youth) {
  const r = await stack.pool.query('SELECT stage, ot_status, caseworker, flags FROM cases WHERE case_id = $1', [caseIdOfYouth(who)]);
  return r.rows[0];
}

const by = 'Siri Systemansvarleg';
let outDir: string;

/** What an office does: print the batch (or send the SMS and export the outbox), then confirm that it went. */
async function mailing(kind: 'letters' | 'sms', unit: string, osCode?: string) {
  if (kind === 'letters') await printLetterBatch(stack, { schoolYear: YEAR, unit, osCode: osCode!, by, outDir });
  else {
    await runSmsCampaign(stack, { schoolYear: YEAR, unit, by });
    await exportOutbox(stack.pool, { schoolYear: YEAR, unit });
  }
  return confirmMailing(stack, { kind, schoolYear: YEAR, unit, osCode, sentOn: iso(Date.now()), by });
}

/** The youth letters of a case as printed, in round order. */
async function printedLetters(who: Youth) {
  const r = await stack.pool.query('SELECT round, address FROM letters WHERE case_id = $1 AND recipient = $2 ORDER BY round', [
    caseIdOfYouth(who),
    'youth',
  ]);
  return r.rows;
}

let t0: number;

beforeAll(async () => {
  stack = await openStack();
  outDir = mkdtempSync(path.join(tmpdir(), 'ot-year-letters-'));
  await stack.startWorker();
  t0 = Date.now();
  // The other codes' letters fall late, to be moved earlier during the year.
  await setCalendar(
    stack,
    YEAR,
    yearInSteps(YEAR, t0, U * 1000, { otherLetters: 16, autumnCampaign: [7, 10], winterCampaign: [13, 15], schoolYearEnd: 18 }),
  );
  const handle = await submitImport(stack, { fileName: 'year.csv', content: transferFile(Object.values(youth)), schoolYear: YEAR, strict: false });
  await handle.result();
});
afterAll(() => stack.close());

describe('a compressed school year', () => {
  it('makes a letter whose date has passed due at once, and keeps a later one waiting', async () => {
    await stageReached('reached', 'letterDue');
    expect((await detailOf('returned')).stage).toBe('awaitingLetter');
    expect((await detailOf('noAddress')).stage).toBe('needsAddress');
  });

  it('records no mailing confirmed before any of its cases is due, so the real confirmation still counts', async () => {
    const early = await mailing('letters', '12250', 'OSUT');
    expect(early).toMatchObject({ cases: 0, signalled: 0 });
    const stored = await stack.pool.query(`SELECT count(*)::int AS n FROM mailings WHERE school_year = $1 AND os_code = 'OSUT'`, [YEAR]);
    expect(stored.rows[0].n).toBe(0);
  });

  it('lets a caseworker claim a case before the letters, which then leaves it out of the mailing', async () => {
    const detail = await registerAction(stack.pool, stack.client, caseIdOfYouth('claimed'), {
      type: 'CLAIM',
      status: 'OTOV',
      caseworker: 'Nils Rådgjevar',
      by: 'Nils Rådgjevar',
      note: 'kjenner familien',
    });
    expect(detail).toMatchObject({ stage: 'caseworkerFollowUp', otStatus: 'OTOV', caseworker: 'Nils Rådgjevar' });
    // The Update answers without the journal; the case view reads it, the note's text with it, from PostgreSQL.
    expect(detail).not.toHaveProperty('journal');
    expect((await detailOf('claimed')).journal.at(-1)).toMatchObject({
      event: 'CLAIM',
      by: 'Nils Rådgjevar',
      note: 'kjenner familien',
      to: { stage: 'caseworkerFollowUp', status: 'OTOV' },
    });
  });

  it('takes a cross-check match out of the target group with the list’s code, and reports who matched', async () => {
    const report = await runCrosscheck(
      stack,
      YEAR,
      'private-school',
      [
        { line: 2, nationalId: youth.crosschecked.id },
        { line: 3, nationalId: nextId('2015-08-17') },
      ],
      'Siri Systemansvarleg',
    );
    expect(report.recoded.map((m) => [m.line, m.name])).toEqual([[2, 'Eli Bø']]);
    expect(report.notInCohort).toEqual([3]);
    const d = await stageReached('crosschecked', 'notInTargetGroup');
    expect(d.otStatus).toBe('OTVF_IM');
    expect(d.journal.at(-1)).toMatchObject({
      event: 'CROSSCHECK_MATCHED',
      by: 'Siri Systemansvarleg',
      detail: { list: 'private-school', status: 'OTVF_IM' },
    });
  });

  it('sends the letter once the admissions office registers an address, and the passed letter date makes it due at once', async () => {
    await registerContact(
      stack.pool,
      stack.client,
      caseIdOfYouth('noAddress'),
      { kind: 'address', address: { street: 'Kong Oscars gate 5', postcode: '5017', city: 'Bergen' } },
      { source: 'admissions-office', by: 'Kari Kontor' },
    );
    await stageReached('noAddress', 'letterDue');
    const person = await stack.pool.query('SELECT address FROM persons WHERE case_id = $1', [caseIdOfYouth('noAddress')]);
    expect(person.rows[0].address).toEqual({ street: 'Kong Oscars gate 5', postcode: '5017', city: 'Bergen' });
  });

  it('recodes exactly the cases in the unit’s letter batch to OTUK, and does nothing more when confirmed again', async () => {
    await stageReached('otherUnit', 'letterDue');
    // The batch is drawn from the read model: wait until it shows them due, not only the workflows.
    for (const who of ['reached', 'unknown', 'noAddress'] as const) await projectedAs(who, 'letterDue');
    const batch = await printLetterBatch(stack, { schoolYear: YEAR, unit: '12250', osCode: 'OSON', by, outDir });
    expect(batch).toMatchObject({ number: 1, letters: 3, standard: 3, held: 0 });
    const sentOn = iso(Date.now());
    const first = await confirmMailing(stack, {
      kind: 'letters',
      schoolYear: YEAR,
      unit: '12250',
      osCode: 'OSON',
      sentOn,
      by: 'Siri Systemansvarleg',
    });
    // reached, unknown and noAddress; not the claimed, the cross-checked, the OSUT case or the other unit.
    expect(first).toMatchObject({ cases: 3, signalled: 3, firstConfirmation: true });
    for (const who of ['reached', 'unknown', 'noAddress'] as const) {
      const d = await stageReached(who, 'letterSent');
      expect(d.otStatus).toBe('OTUK');
      expect(d.letter?.sentOn).toBe(sentOn);
      expect(d.journal.at(-1)).toMatchObject({ event: 'LETTERS_SENT', by: 'Siri Systemansvarleg', detail: { sentOn, batchId: first.mailingId } });
    }
    const again = await confirmMailing(stack, {
      kind: 'letters',
      schoolYear: YEAR,
      unit: '12250',
      osCode: 'OSON',
      sentOn,
      by: 'Siri Systemansvarleg',
    });
    expect(again).toMatchObject({ mailingId: first.mailingId, cases: 3, signalled: 0, firstConfirmation: false });
    expect((await detailOf('otherUnit')).stage).toBe('letterDue');
    expect((await detailOf('claimed')).stage).toBe('caseworkerFollowUp');
  });

  it('refuses a bad outcome and a late claim with a reason, and changes nothing', async () => {
    const before = await detailOf('reached');
    const attempt = (action: Parameters<typeof registerAction>[3]) => registerAction(stack.pool, stack.client, caseIdOfYouth('reached'), action);
    await expect(attempt({ type: 'OUTCOME', status: 'OSON' as never, channel: 'phone', by: 'Kari Kontor' })).rejects.toThrow(/OSON is an OS code/);
    await expect(attempt({ type: 'OUTCOME', status: 'OTUK', channel: 'phone', by: 'Kari Kontor' })).rejects.toThrow(/OTUK means nobody knows/);
    await expect(attempt({ type: 'CLAIM', status: 'OTOV', caseworker: 'Nils', by: 'Nils' })).rejects.toThrow(
      /the letter went on .*: a claim must come before the letters/,
    );
    await expect(attempt({ type: 'OUTCOME', status: 'OTAR', channel: 'phone', by: 'Kari', note: 'fnr 15010512345' })).rejects.toBeInstanceOf(
      CaseActionError,
    );
    const after = await detailOf('reached');
    expect(after.journal).toEqual(before.journal);
    expect(after.otStatus).toBe('OTUK');
    expect((await projected('reached')).ot_status).toBe('OTUK');
  });

  it('moves a running case to a changed calendar without a restart', async () => {
    const moved = withCalendarValue(
      (await stack.pool.query('SELECT calendar FROM cohorts WHERE school_year = $1', [YEAR])).rows[0].calendar,
      'letters.OSUT',
      iso(Date.now() + 1000),
    )!;
    const stored = await setCalendar(stack, YEAR, moved);
    expect(stored.version).toBe(2);
    expect(stored.told.signalled).toBeGreaterThanOrEqual(6);
    await stageReached('returned', 'letterDue');
  });

  it('makes the SMS due after the letters, splitting off those without a mobile, and registers the unit’s SMS mailing', async () => {
    await stageReached('reached', 'smsDue');
    for (const who of ['unknown', 'noAddress'] as const) expect((await stageReached(who, 'noMobile')).flags).toContain('noMobile');
    const sms = await mailing('sms', '12250');
    expect(sms).toMatchObject({ cases: 1, signalled: 1, firstConfirmation: true });
    const messages = await stack.pool.query('SELECT case_id, mobile, status FROM sms_messages WHERE school_year = $1', [YEAR]);
    expect(messages.rows).toEqual([{ case_id: caseIdOfYouth('reached'), mobile: '+4791234567', status: 'sent' }]);
    const sent = await stageReached('reached', 'smsSent');
    expect(sent.sms).toBe('sent');
    await projectedAs('reached', 'smsSent');
  });

  it('sends a returned letter to the second address, then waits for a new address, then sends it there', async () => {
    await mailing('letters', '12250', 'OSUT');
    await stageReached('returned', 'letterSent');
    const id = caseIdOfYouth('returned');
    const once = await registerReturnedLetter(stack.pool, stack.client, id, { by: 'Kari Kontor' });
    expect(once.letter).toMatchObject({ returns: 1, resentToSecondAddress: true, awaitingAddress: false });
    expect(once.flags).toEqual(['letterReturned']);
    await eventually(
      async () =>
        (await stack.pool.query('SELECT letter_returns FROM cases WHERE case_id = $1', [id])).rows[0].letter_returns === 1 ? true : undefined,
      'the return projected',
    );
    const again = await printLetterBatch(stack, { schoolYear: YEAR, unit: '12250', osCode: 'OSUT', by, outDir });
    expect(again).toMatchObject({ letters: 1, resent: 1, standard: 0 });
    expect((await printedLetters('returned')).map((l) => l.address.street)).toEqual(['Strandgaten 1', 'Nygata 2']);
    const twice = await registerReturnedLetter(stack.pool, stack.client, id, { by: 'Kari Kontor', note: 'ukjend på adressa' });
    expect(twice.letter).toMatchObject({ returns: 2, awaitingAddress: true });
    expect(twice.flags).toEqual(['needsAddress', 'letterReturned']);
    await eventually(
      async () =>
        (await stack.pool.query('SELECT letter_returns FROM cases WHERE case_id = $1', [id])).rows[0].letter_returns === 2 ? true : undefined,
      'the second return projected',
    );
    // Both known addresses tried: nothing to print, and the admissions office is asked for an address.
    expect(await printLetterBatch(stack, { schoolYear: YEAR, unit: '12250', osCode: 'OSUT', by, outDir })).toBeUndefined();
    const asked = await admissionsOfficeList(stack.pool, { schoolYear: YEAR, unit: '12250' });
    expect(asked.map((e) => [e.name, e.reason])).toContainEqual(['Dag Bø', 'the letter came back 2 time(s) and no other address is known']);
    const fixed = await registerContact(
      stack.pool,
      stack.client,
      id,
      { kind: 'address', address: { street: 'Fjøsanger 9', postcode: '5063', city: 'Bergen' } },
      { source: 'nav', by: 'Nils Rådgjevar' },
    );
    expect(fixed.letter).toMatchObject({ returns: 2, awaitingAddress: false });
    expect(fixed.flags).toEqual(['letterReturned']);
    const third = await printLetterBatch(stack, { schoolYear: YEAR, unit: '12250', osCode: 'OSUT', by, outDir });
    expect(third).toMatchObject({ letters: 1, resent: 1 });
    expect((await printedLetters('returned')).map((l) => [l.round, l.address.street])).toEqual([
      [0, 'Strandgaten 1'],
      [1, 'Nygata 2'],
      [2, 'Fjøsanger 9'],
    ]);
  });

  it('puts those still OTUK on the phone campaign, where a reply establishes contact and an outcome resolves the case', async () => {
    await stageReached('reached', 'phoneCampaign');
    await stageReached('unknown', 'phoneCampaign');
    const replied = await registerAction(stack.pool, stack.client, caseIdOfYouth('reached'), {
      type: 'REPLY',
      channel: 'phone',
      forwardTo: 'Nils Rådgjevar',
      by: 'Kari Kontor',
      note: 'vil ha rettleiing',
    });
    expect(replied).toMatchObject({ stage: 'contactEstablished', otStatus: 'OTUK', caseworker: 'Nils Rådgjevar' });
    const resolved = await registerAction(stack.pool, stack.client, caseIdOfYouth('reached'), {
      type: 'OUTCOME',
      status: 'OTAR',
      channel: 'phone',
      by: 'Nils Rådgjevar',
    });
    expect(resolved).toMatchObject({ stage: 'resolved', otStatus: 'OTAR' });
    const followed = await registerAction(stack.pool, stack.client, caseIdOfYouth('returned'), {
      type: 'OUTCOME',
      status: 'OTOV',
      channel: 'drop-in',
      by: 'Nils Rådgjevar',
    });
    expect(followed).toMatchObject({ stage: 'underFollowUp', otStatus: 'OTOV' });

    // The journal row names the note; its text lives in case_notes (the row's own note column is for entries from before).
    const events = await stack.pool.query(
      `SELECT e.event, e.by_user, e.channel, coalesce(n.text, e.note) AS note, e.to_status
       FROM case_events e LEFT JOIN case_notes n ON n.id = e.note_id WHERE e.case_id = $1 ORDER BY e.seq`,
      [caseIdOfYouth('reached')],
    );
    expect(events.rows.slice(-2)).toEqual([
      { event: 'REPLY', by_user: 'Kari Kontor', channel: 'phone', note: 'vil ha rettleiing', to_status: 'OTUK' },
      { event: 'OUTCOME', by_user: 'Nils Rådgjevar', channel: 'phone', note: null, to_status: 'OTAR' },
    ]);
  });

  it('takes a case back off the call list when the campaign ends, and onto the next one', async () => {
    await stageReached('unknown', 'noMobile');
    await registerContact(
      stack.pool,
      stack.client,
      caseIdOfYouth('unknown'),
      { kind: 'mobile', mobile: '+4794567890' },
      { source: 'youth', by: 'Kari Kontor' },
    );
    expect((await detailOf('unknown')).stage).toBe('smsDue');
    const winter = await stageReached('unknown', 'phoneCampaign');
    expect(winter.phoneCampaign).toBe('winter');
    await stageReached('unknown', 'smsDue');
  });

  it('closes every case at the year end, lists those still OTUK for next year, and refuses changes after', async () => {
    const results = await Promise.all((Object.keys(youth) as Youth[]).map((who) => handleOf(who).result()));
    expect(results.every((r) => r.stage === 'closed')).toBe(true);
    const carried = await listCases(stack.pool, { schoolYear: YEAR, stage: 'closed', status: 'OTUK' });
    expect(carried.map((c) => c.name).sort()).toEqual(['Bjørn Bø', 'Frode Bø']);
    // Gro's unit never confirmed its letters: she closes with her OS code, and is as unreached as the OTUK ones.
    const unreached = await listCases(stack.pool, { schoolYear: YEAR, unreached: true });
    expect(unreached.map((c) => [c.name, c.otStatus]).sort()).toEqual([
      ['Bjørn Bø', 'OTUK'],
      ['Frode Bø', 'OTUK'],
      ['Gro Bø', 'OSON'],
    ]);
    await expect(
      registerAction(stack.pool, stack.client, caseIdOfYouth('unknown'), { type: 'OUTCOME', status: 'OTAR', channel: 'phone', by: 'Kari' }),
    ).rejects.toThrow(/closed/);
  });
});
