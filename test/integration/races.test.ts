import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PoolClient } from 'pg';
import { setCalendar } from '../../client/use-cases/calendar';
import { CaseActionError, registerAction, registerContact, registerReturnedLetter } from '../../client/use-cases/case-actions';
import { submitImport } from '../../client/use-cases/cohort-import';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { exportSmsOutbox } from '../../client/use-cases/sms-campaign';
import { assignInboundSms, InboxError, receiveInboundSms } from '../../client/use-cases/sms-replies';
import { markMobileWrong } from '../../db/persons';
import { inTransaction } from '../../db/pool';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import type { SmsCampaignResult } from '../../workflows/contracts/sms-campaign';
import { showCase } from '../../client/use-cases/case-queries';
import type { CaseStage } from '../../workflows/youth-case/machine';
import type { CaseDetail } from '../../workflows/youth-case/view';
import { lettersSentSignal, youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import { ot } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * Two people (or two commands) doing the same thing at the same moment, on the real dev server and PostgreSQL: each race is
 * made to happen, by holding a row lock where the race window is or by running both calls at once, and must come out as if
 * they had run one after the other.
 */
const YEAR = 2045;
const nextId = idFactory();
const by = 'Siri Systemansvarleg';
const outDir = mkdtempSync(path.join(tmpdir(), 'ot-races-'));

const youth = {
  /** In the first print batch; then its letter comes back, to the second address and back again. */
  printed: { id: nextId('2026-01-10'), first: 'Pia', last: 'Prent', address2: ['Nygata 2', '5017', 'Bergen'], mobile: '92000001' },
  /** No address at first: its letter is printed while the first batch is being confirmed. */
  lateAddress: { id: nextId('2026-02-11'), first: 'Lars', last: 'Seint', address: null, mobile: '92000002' },
  /** Two cases two staff give the same SMS reply to. */
  replyA: { id: nextId('2026-03-12'), first: 'Rita', last: 'Svar', unit: '12256' },
  replyB: { id: nextId('2026-04-13'), first: 'Rune', last: 'Svar', unit: '12256' },
  /** A call found this mobile wrong a moment before the SMS campaign. */
  wrongMobile: { id: nextId('2026-05-14'), first: 'Vera', last: 'Feil', unit: '12260', mobile: '92000005' },
  rightMobile: { id: nextId('2026-06-15'), first: 'Rolf', last: 'Rett', unit: '12260', mobile: '92000006' },
  /** Claimed by a caseworker while the mailing of its printed letter is confirmed, before the read model shows the claim. */
  claimedMeanwhile: { id: nextId('2026-07-16'), first: 'Kai', last: 'Krysskrav', unit: '12261' },
  /** Its letter comes back while no worker runs the case: the case cannot answer, and nothing is registered. */
  unanswered: { id: nextId('2026-08-17'), first: 'Una', last: 'Utansvar', unit: '12265' },
} satisfies Record<string, Omit<TestRow, 'id'> & { id: string }>;
type Youth = keyof typeof youth;

let stack: TestStack;
let worker: Awaited<ReturnType<TestStack['startWorker']>>;
const caseOf = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
/** The case as `ot case show` and the API show it: the workflow's state, the journal (notes and all) from the read model. */
const detailOf = async (who: Youth): Promise<CaseDetail> => (await showCase(stack.pool, stack.client, caseOf(who)))!;
const stageReached = (who: Youth, stage: CaseStage) =>
  eventually(async () => {
    const d = await detailOf(who);
    return d.stage === stage ? d : undefined;
  }, `${who} to reach ${stage}`);
const projected = (who: Youth, stage: CaseStage) =>
  eventually(
    async () => ((await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseOf(who)])).rows[0]?.stage === stage ? true : undefined),
    `${who} projected as ${stage}`,
  );
const batchOf = (unit: string) => printLetterBatch(stack, { schoolYear: YEAR, unit, osCode: 'OSON', by, outDir });
const lettersSent = (unit: string, sentOn = new Date().toISOString()) =>
  confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit, osCode: 'OSON', sentOn, by });

/** The backend of this database that waits for a lock the given backend holds, if any. */
async function blockedBy(pid: number): Promise<number | undefined> {
  const r = await stack.pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND $1 = ANY(pg_blocking_pids(pid))',
    [pid],
  );
  return r.rows[0]?.pid;
}

/** Of two calls run at once, the one that went through and the one that did not. */
function oneEach<T>(settled: PromiseSettledResult<T>[]): { won: T; lost: unknown } {
  const won = settled.filter((s): s is PromiseFulfilledResult<T> => s.status === 'fulfilled');
  const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  expect([won.length, lost.length]).toEqual([1, 1]);
  return { won: won[0].value, lost: lost[0].reason };
}

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'races', sms: { provider: 'outbox', sender: 'OT Vestland', timeoutMs: 1000 } });
  worker = await stack.startWorker();
  await setCalendar(
    stack,
    YEAR,
    yearInSteps(YEAR, Date.now(), 600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 }),
  );
  const rows: TestRow[] = Object.values(youth).map((y) => y as TestRow);
  await (await submitImport(stack, { fileName: 'races.csv', content: transferFile(rows), schoolYear: YEAR, strict: false })).result();
  for (const who of ['printed', 'replyA', 'replyB', 'wrongMobile', 'rightMobile', 'claimedMeanwhile', 'unanswered'] as const)
    await projected(who, 'letterDue');
  await projected('lateAddress', 'needsAddress');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('printing a batch while the letters are confirmed', () => {
  it('leaves a batch printed during the confirmation, and its cases, to the next confirmation', async () => {
    expect(await batchOf('12250')).toMatchObject({ number: 1, standard: 1 });
    await registerContact(
      stack.pool,
      stack.client,
      caseOf('lateAddress'),
      { kind: 'address', address: { street: 'Kong Oscars gate 5', postcode: '5017', city: 'Bergen' } },
      { source: 'admissions-office', by: 'Kari Kontor' },
    );
    await projected('lateAddress', 'letterDue');

    // The confirmation chooses its cases, then marks the unit's batches mailed. Holding the row of the one case it chooses stops it
    // in between: the mailing_cases row it writes must lock that row for its foreign key.
    const holder: PoolClient = await stack.pool.connect();
    let mailing, second;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM persons WHERE case_id = $1 FOR UPDATE', [caseOf('printed')]);
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const confirming = lettersSent('12250');
      const confirmPid = await eventually(() => blockedBy(holderPid), 'the confirmation to wait on the held row');
      // Now a batch is printed: it either goes through at once or waits for the confirmation to end.
      let printed = false;
      const printing = batchOf('12250').finally(() => (printed = true));
      await eventually(async () => (printed || (await blockedBy(confirmPid)) !== undefined ? true : undefined), 'the batch printed or waiting');
      await holder.query('COMMIT');
      [mailing, second] = await Promise.all([confirming, printing]);
    } finally {
      holder.release();
    }

    expect(mailing).toMatchObject({ cases: 1, signalled: 1 });
    expect(second).toMatchObject({ number: 2, standard: 1 });
    const batches = await stack.pool.query('SELECT number, mailing_id FROM letter_batches WHERE school_year = $1 AND unit = $2 ORDER BY number', [
      YEAR,
      '12250',
    ]);
    expect(batches.rows).toEqual([
      { number: 1, mailing_id: mailing.mailingId },
      { number: 2, mailing_id: null },
    ]);
    await stageReached('printed', 'letterSent');
    expect((await detailOf('lateAddress')).stage).toBe('letterDue');

    // The next confirmation takes the batch printed meanwhile, with its case: no letter is left behind.
    const next = await lettersSent('12250');
    expect(next).toMatchObject({ cases: 1, signalled: 1 });
    await stageReached('lateAddress', 'letterSent');
    const unmailed = await stack.pool.query('SELECT count(*)::int AS n FROM letter_batches WHERE school_year = $1 AND mailing_id IS NULL', [YEAR]);
    expect(unmailed.rows[0].n).toBe(0);
  });
});

describe('a claim while the letters are confirmed', () => {
  it('journals the letter that went out, once, and keeps the caseworker’s code', async () => {
    expect(await batchOf('12261')).toMatchObject({ standard: 1 });
    const nils = 'Nils Rådgjevar';
    // Holding the case's row keeps the claim's projection from writing it: the read model still shows the letter due, as
    // on a worker far behind, when the confirmation chooses its cases.
    const holder: PoolClient = await stack.pool.connect();
    let claiming: Promise<unknown>;
    let mailing;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM cases WHERE case_id = $1 FOR UPDATE', [caseOf('claimedMeanwhile')]);
      claiming = registerAction(stack.pool, stack.client, caseOf('claimedMeanwhile'), {
        type: 'CLAIM',
        status: 'OTOV',
        caseworker: nils,
        by: nils,
      });
      await stageReached('claimedMeanwhile', 'caseworkerFollowUp');
      mailing = await lettersSent('12261');
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    await claiming;
    expect(mailing).toMatchObject({ cases: 1, signalled: 1 });
    const letterEntries = async () => (await detailOf('claimedMeanwhile')).journal.filter((e) => e.event === 'LETTERS_SENT');
    await eventually(async () => ((await letterEntries()).length > 0 ? true : undefined), 'the letter journalled');
    const detail = await detailOf('claimedMeanwhile');
    expect(detail).toMatchObject({ stage: 'caseworkerFollowUp', otStatus: 'OTOV', caseworker: nils });
    expect(detail.letter).toMatchObject({ batchId: mailing.mailingId, returns: 0 });
    expect(await letterEntries()).toEqual([
      expect.objectContaining({
        by,
        detail: expect.objectContaining({ batchId: mailing.mailingId }),
        from: { stage: 'caseworkerFollowUp', status: 'OTOV' },
        to: { stage: 'caseworkerFollowUp', status: 'OTOV' },
      }),
    ]);

    // The mailing's signal again (its activity retried after the signal went): nothing more is journalled.
    const handle = stack.client.workflow.getHandle(youthCaseWorkflowId(YEAR, caseOf('claimedMeanwhile')));
    await handle.signal(lettersSentSignal, { sentOn: detail.letter!.sentOn, batchId: mailing.mailingId, operator: by });
    // An update after it is applied after it, so the journal it answers with shows what the signal did.
    await registerContact(
      stack.pool,
      stack.client,
      caseOf('claimedMeanwhile'),
      { kind: 'mobile', mobile: '92000007' },
      { source: 'youth', by: nils },
    );
    const after = await detailOf('claimedMeanwhile');
    expect(after.journal.map((e) => e.event).slice(-2)).toEqual(['LETTERS_SENT', 'CONTACT']);
    const shown = await ot(['case', 'show', caseOf('claimedMeanwhile')]);
    expect(shown.stdout).toMatch(/^letter +sent \S+ \(after the case had moved on: no recode\)$/m);
    expect(shown.stdout).not.toMatch(/^SMS /m);
  });
});

describe('a returned letter', () => {
  const returned = (who: string) => registerReturnedLetter(stack.pool, stack.client, caseOf('printed'), { by: who });
  const returnsInJournal = async () => (await detailOf('printed')).journal.filter((e) => e.event === 'LETTER_RETURNED').length;

  it('counts once when two staff register it at the same time, and once when one registers it twice', async () => {
    const { won, lost } = oneEach(await Promise.allSettled([returned('Kari Kontor'), returned('Ola Telefon')]));
    expect(won.letter).toMatchObject({ returns: 1, resentToSecondAddress: true, awaitingAddress: false });
    expect(lost).toBeInstanceOf(CaseActionError);
    expect((lost as CaseActionError).message).toMatch(
      /^the letter of \d{4}-\d\d-\d\d \(batch 1\) is already registered as returned by (Kari Kontor|Ola Telefon) at .*: nothing changed$/,
    );
    await expect(returned('Kari Kontor')).rejects.toMatchObject({ kind: 'refused', message: expect.stringMatching(/already registered/) });
    expect((await detailOf('printed')).letter?.returns).toBe(1);
    expect(await returnsInJournal()).toBe(1);
  });

  it('counts the letter sent again as a new return once it has been printed and comes back', async () => {
    await eventually(
      async () =>
        (await stack.pool.query('SELECT letter_returns FROM cases WHERE case_id = $1', [caseOf('printed')])).rows[0].letter_returns === 1
          ? true
          : undefined,
      'the return projected',
    );
    expect(await batchOf('12250')).toMatchObject({ letters: 1, resent: 1, standard: 0 });
    const again = await returned('Kari Kontor');
    expect(again.letter).toMatchObject({ returns: 2, awaitingAddress: true });
    await expect(returned('Ola Telefon')).rejects.toThrow(
      /^the letter sent again on .* \(batch 3\) is already registered as returned by Kari Kontor/,
    );
    expect(await returnsInJournal()).toBe(2);
    const rows = await stack.pool.query('SELECT round, registered_by FROM returned_letters WHERE case_id = $1 ORDER BY round', [caseOf('printed')]);
    expect(rows.rows).toEqual([
      { round: 0, registered_by: expect.stringMatching(/Kari Kontor|Ola Telefon/) },
      { round: 1, registered_by: 'Kari Kontor' },
    ]);
  });
});

describe('a returned letter while no worker runs the case', () => {
  it('is not registered when the case cannot answer, and is once it can', async () => {
    await batchOf('12265');
    await lettersSent('12265');
    await stageReached('unanswered', 'letterSent');
    worker.worker.shutdown();
    await worker.stopped;
    try {
      // Each call to Temporal within it gives up after two seconds, as a query does when the case's worker is far behind.
      const asked = stack.client.connection.withDeadline(Date.now() + 2000, () =>
        registerReturnedLetter(stack.pool, stack.client, caseOf('unanswered'), { by: 'Kari Kontor' }),
      );
      await expect(asked).rejects.toMatchObject({
        kind: 'busy',
        message: `case ${caseOf('unanswered')} did not answer in time, and nothing was registered: try again in a moment`,
      });
      const rows = await stack.pool.query('SELECT count(*)::int AS n FROM returned_letters WHERE case_id = $1', [caseOf('unanswered')]);
      expect(rows.rows[0].n).toBe(0);
    } finally {
      worker = await stack.startWorker();
    }
    const registered = await registerReturnedLetter(stack.pool, stack.client, caseOf('unanswered'), { by: 'Kari Kontor' });
    expect(registered.letter).toMatchObject({ returns: 1 });
    expect((await detailOf('unanswered')).journal.filter((e) => e.event === 'LETTER_RETURNED')).toHaveLength(1);
  });
});

describe('an SMS reply two staff assign at once', () => {
  it('goes to one case; the other is told it is taken', async () => {
    const deps = { pool: stack.pool, client: async () => stack.client };
    const sms = { source: '004798700001', destination: '2045', userData: 'Hei, eg har fått jobb', messageId: 'race-1' };
    expect(await receiveInboundSms(deps, sms)).toMatchObject({ inboundId: 'race-1', status: 'unmatched' });
    const { won, lost } = oneEach(
      await Promise.allSettled([
        assignInboundSms(deps, 'race-1', caseOf('replyA'), 'Kari Kontor'),
        assignInboundSms(deps, 'race-1', caseOf('replyB'), 'Ola Telefon'),
      ]),
    );
    expect(lost).toBeInstanceOf(InboxError);
    expect(lost).toMatchObject({ kind: 'conflict', message: `SMS race-1 is already assigned to case ${won.caseId}` });
    const [winner, loser] = won.caseId === caseOf('replyA') ? (['replyA', 'replyB'] as const) : (['replyB', 'replyA'] as const);
    expect(won).toMatchObject({ status: 'assigned', handledBy: winner === 'replyA' ? 'Kari Kontor' : 'Ola Telefon' });
    const replies = async (who: Youth) => (await detailOf(who)).journal.filter((e) => e.event === 'REPLY').length;
    expect(await replies(winner)).toBe(1);
    expect(await replies(loser)).toBe(0);
    const stored = await stack.pool.query('SELECT status, case_id FROM sms_inbox WHERE inbound_id = $1', ['race-1']);
    expect(stored.rows).toEqual([{ status: 'assigned', case_id: caseOf(winner) }]);
  });
});

describe('the outbox export', () => {
  const statuses = async () =>
    (await stack.pool.query('SELECT status FROM sms_messages WHERE school_year = $1 AND unit = $2 ORDER BY case_id', [YEAR, '12250'])).rows.map(
      (r) => r.status,
    );

  it('marks nothing exported when the file cannot be written', async () => {
    // The SMS campaign after each of the two mailings put its message in the outbox.
    await eventually(async () => ((await statuses()).join() === 'queued,queued' ? true : undefined), 'both messages queued');
    await expect(
      exportSmsOutbox(stack.pool, { schoolYear: YEAR, unit: '12250' }, () => Promise.reject(new Error('no space left on device'))),
    ).rejects.toThrow('no space left on device');
    expect(await statuses()).toEqual(['queued', 'queued']);

    const export_ = (file: string) => ot(['sms', 'export', '--unit', '12250', '--school-year', String(YEAR), '--out', file]);
    const nowhere = path.join(outDir, 'no-such-folder', 'sms.csv');
    const failed = await export_(nowhere);
    expect(failed.code).toBe(1);
    expect(await statuses()).toEqual(['queued', 'queued']);
    expect(failed.stderr).toBe(`ot: cannot write ${nowhere}: no such folder\n`);

    const file = path.join(outDir, 'sms.csv');
    expect(await export_(file)).toMatchObject({ code: 0, stdout: expect.stringMatching(/: 2 message\(s\)/) });
    const csv = readFileSync(file, 'utf8').split('\r\n');
    expect(csv.slice(1, 3).map((l) => l.split(';')[0])).toEqual(expect.arrayContaining(['92000001', '92000002']));
    expect(await statuses()).toEqual(['exported', 'exported']);
  });
});

describe('the SMS campaign', () => {
  it('sends nothing to a mobile a call found wrong', async () => {
    expect(await batchOf('12260')).toMatchObject({ standard: 2 });
    // What a wrong-number call stores in persons; the case's SMS state in the read model follows a moment later.
    await inTransaction(stack.pool, (db) => markMobileWrong(db, caseOf('wrongMobile')));
    const sentOn = new Date().toISOString();
    expect(await lettersSent('12260', sentOn)).toMatchObject({ cases: 2 });
    const result: SmsCampaignResult = await stack.client.workflow.getHandle(`sms-campaign-${YEAR}-12260-${sentOn}`).result();
    expect(result).toMatchObject({ queued: 1, sent: 0, failed: 0 });
    const messages = await stack.pool.query('SELECT case_id FROM sms_messages WHERE school_year = $1 AND unit = $2', [YEAR, '12260']);
    expect(messages.rows).toEqual([{ case_id: caseOf('rightMobile') }]);
  });
});
