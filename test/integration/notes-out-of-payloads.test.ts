import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { temporal } from '@temporalio/proto';
import { initialTransition } from 'xstate';
import { setCalendar } from '../../client/use-cases/calendar';
import { CaseActionError, registerAction } from '../../client/use-cases/case-actions';
import { showCase } from '../../client/use-cases/case-queries';
import { submitImport } from '../../client/use-cases/cohort-import';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { journalOf } from '../../db/case-journal';
import { writeJournalEntry } from '../../db/cases';
import { inTransaction } from '../../db/pool';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { WORKFLOW_TYPES } from '../../workflows/contracts/workflow-types';
import { caseViewQuery, outcomeUpdate, youthCaseWorkflowId, type YouthCaseArgs, type YouthCaseWorkflow } from '../../workflows/contracts/youth-case';
import type { JournalEntry } from '../../workflows/youth-case/journal';
import { youthCaseMachine, type CaseStage } from '../../workflows/youth-case/machine';
import type { CaseDetail } from '../../workflows/youth-case/view';
import { caller, startApi, userWithToken, type ApiCall } from '../support/api';
import { ot, otJson } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import type { Payload } from '@temporalio/common';
import { PayloadEncryptionCodec } from '../../runtime/payload-codec';

/**
 * Notes live in PostgreSQL, and the case workflow carries their ids (issue 14, item 3): after a year's worth of notes
 * (a returned letter's, a call's, a youth's SMS reply, a reply's and an outcome's), the case's Temporal history holds
 * none of their texts in any payload, while `ot case show`, the API's case view and the read model show every one.
 * Payloads are read as this branch's client and worker write them: as JSON, no payload codec.
 */
const YEAR = 2075;
/** Cases started as a case continued as new before and after this change would have been. */
const RESUMED_YEAR = 2076;
const nextId = idFactory();
const by = 'Siri Systemansvarleg';

const youth = {
  /** Gets every kind of note. */
  noted: { id: nextId('2030-01-10'), first: 'Nora', last: 'Notat', mobile: '92075001' },
};
const resumedYouth = {
  /** Running since before this change, continued as new with its journal (notes as text) in the input. */
  oldResume: { id: nextId('2030-02-11'), first: 'Olav', last: 'Gammal' },
  /** Continued as new after it: its input carries the journal's length only. */
  newResume: { id: nextId('2030-03-12'), first: 'Nina', last: 'Ny' },
};

const NOTES = {
  returned: 'kom attende frå Nygata, ukjend mottakar',
  call: 'ring etter kl 16, mora svarte',
  sms: 'Hei, eg har fått lærlingplass hos Bergen Bil',
  reply: 'vil ha rettleiing om vidaregåande',
  outcome: 'begynner i jobb på måndag',
};
const REFUSED = 'dette notatet vart avvist saman med utfallet';

let stack: TestStack;
let api: FastifyInstance;
let asKari: ApiCall;
let asNils: ApiCall;
let asGateway: ApiCall;
const caseOf = (who: keyof typeof youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const handleOf = (caseId: string, year = YEAR) => stack.client.workflow.getHandle<YouthCaseWorkflow>(youthCaseWorkflowId(year, caseId));

/**
 * Every string of a history, payload bytes read as the UTF-8 JSON they hold (as test/integration/replay.test.ts reads
 * them): not JSON.stringify, whose base64 of the bytes would hide every payload from the search.
 */
/**
 * Every string and every payload of a history as text, payloads decrypted first (the codec encrypts them all):
 * what the payloads themselves carry, whatever the codec does with them.
 */
async function historyText(history: temporal.api.history.v1.IHistory): Promise<string> {
  const codec = new PayloadEncryptionCodec(stack.config.payloadKeys);
  const parts: string[] = [];
  const walk = async (value: unknown): Promise<void> => {
    if (typeof value === 'string') parts.push(value);
    else if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) for (const v of value) await walk(v);
    else if (value && typeof value === 'object' && 'data' in value && 'metadata' in value) {
      const [plain] = await codec.decode([value as Payload]);
      await walk(plain.metadata);
      if (plain.data) parts.push(Buffer.from(plain.data).toString('utf8'));
    } else if (value && typeof value === 'object') for (const v of Object.values(value)) await walk(v);
  };
  await walk(history);
  return parts.join('\n');
}

const stageOf = async (caseId: string) => (await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseId])).rows[0]?.stage;
const projected = (caseId: string, stage: CaseStage) =>
  eventually(async () => ((await stageOf(caseId)) === stage ? true : undefined), `${caseId} projected as ${stage}`);

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'notes-out-of-payloads', sms: { provider: 'outbox', sender: 'OT Vestland', timeoutMs: 1000 } });
  await stack.startWorker();
  process.env.OT_LOG_LEVEL = 'warn';
  let url: string;
  ({ app: api, url } = await startApi(stack));
  asGateway = caller(url);
  asKari = (await userWithToken(stack, url, { role: 'officeStaff', units: ['12250'], name: 'Kari Kontor' })).call;
  asNils = (await userWithToken(stack, url, { role: 'caseworker', units: ['12250'], name: 'Nils Rådgjevar' })).call;
  for (const [year, rows] of [
    [YEAR, youth],
    [RESUMED_YEAR, resumedYouth],
  ] as const) {
    // The letters due at once; the phone campaigns and the year end far off.
    await setCalendar(
      stack,
      year,
      yearInSteps(year, Date.now(), 3_600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 }),
    );
    // Test ids are born by 2039 at the latest (makeNationalId), far over the age limit of a cohort so late: let them in.
    await stack.pool.query('UPDATE cohorts SET age_limit = 60 WHERE school_year = $1', [year]);
    const file = transferFile(Object.values(rows));
    await (await submitImport(stack, { fileName: `notes-${year}.csv`, content: file, schoolYear: year, strict: false })).result();
  }
  await projected(caseOf('noted'), 'letterDue');
}, 120_000);

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

describe('a case with notes of every kind', () => {
  it('keeps every note text out of its Temporal history, and shows each in `ot case show`, the API and the read model', async () => {
    const caseId = caseOf('noted');
    const outDir = mkdtempSync(path.join(tmpdir(), 'ot-notes-'));
    await printLetterBatch(stack, { schoolYear: YEAR, unit: '12250', osCode: 'OSON', by, outDir });
    await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: '12250', osCode: 'OSON', sentOn: new Date().toISOString(), by });
    await eventually(async () => (['letterSent', 'smsDue'].includes(await stageOf(caseId)) ? true : undefined), 'the letter sent');

    // A returned letter with a note, by the CLI (the API's database role stores the note, the worker's projection names it).
    const returned = await ot(['case', 'returned', caseId, '--note', NOTES.returned]);
    expect([returned.code, returned.stderr]).toEqual([0, '']);
    // A call that reached nobody, with a note, through the API: its answer is the case without its journal.
    const call = await asKari('POST', `/cases/${caseId}/call`, { result: 'notReached', note: NOTES.call });
    expect(call.status).toBe(200);
    expect(call.body).not.toHaveProperty('journal');
    // The youth answers the SMS: the gateway posts the reply, which matches the case by its mobile.
    const sms = await asGateway('POST', '/sms/inbound', { source: '+4792075001', destination: '2075', userData: NOTES.sms, messageId: 'notes-mo-1' });
    expect(sms.body).toEqual({ inboundId: 'notes-mo-1', status: 'registered' });
    // Posted again by the gateway: one reply, one note.
    await asGateway('POST', '/sms/inbound', { source: '+4792075001', destination: '2075', userData: NOTES.sms, messageId: 'notes-mo-1' });
    // A reply passed on, with a note, by the use case the CLI and the API share.
    const reply = await registerAction(stack.pool, stack.client, caseId, { type: 'REPLY', channel: 'phone', by: 'Kari Kontor', note: NOTES.reply });
    expect(reply).not.toHaveProperty('journal');

    // Refused requests keep no note: one the case refuses (an outcome no caseworker may set) is deleted again, one
    // holding a national id is never stored; neither shows anywhere.
    await expect(
      registerAction(stack.pool, stack.client, caseId, { type: 'OUTCOME', status: 'OTUK', channel: 'phone', by: 'Kari Kontor', note: REFUSED }),
    ).rejects.toThrow(/OTUK means nobody knows/);
    await expect(
      registerAction(stack.pool, stack.client, caseId, {
        type: 'OUTCOME',
        status: 'OTAR',
        channel: 'phone',
        by: 'Kari Kontor',
        note: `fnr ${youth.noted.id}`,
      }),
    ).rejects.toBeInstanceOf(CaseActionError);
    // The outcome with its note, through the API, by the caseworker.
    const outcome = await asNils('POST', `/cases/${caseId}/outcome`, { status: 'OTAR', channel: 'phone', note: NOTES.outcome });
    expect([outcome.status, outcome.body.stage]).toEqual([200, 'resolved']);

    // The read model: one journal row per request, each naming its note; the texts in case_notes, once each.
    const stored = await stack.pool.query(
      `SELECT e.event, e.note AS row_text, n.text FROM case_events e LEFT JOIN case_notes n ON n.id = e.note_id
       WHERE e.case_id = $1 AND e.event IN ('LETTER_RETURNED', 'CALL', 'REPLY', 'OUTCOME') ORDER BY e.seq`,
      [caseId],
    );
    expect(stored.rows).toEqual([
      { event: 'LETTER_RETURNED', row_text: null, text: NOTES.returned },
      { event: 'CALL', row_text: null, text: NOTES.call },
      { event: 'REPLY', row_text: null, text: NOTES.sms },
      { event: 'REPLY', row_text: null, text: NOTES.reply },
      { event: 'OUTCOME', row_text: null, text: NOTES.outcome },
    ]);
    const notes = await stack.pool.query('SELECT id, text FROM case_notes WHERE case_id = $1', [caseId]);
    expect(notes.rows.map((r) => r.text).sort()).toEqual(Object.values(NOTES).sort());
    expect((await journalOf(stack.pool, caseId)).filter((e) => e.note).map((e) => e.note)).toEqual(Object.values(NOTES));

    // What a person sees: `ot case show` (text and JSON) and the API's case view show every note.
    const shown = await ot(['case', 'show', caseId]);
    expect(shown.code).toBe(0);
    for (const note of Object.values(NOTES)) expect(shown.stdout).toContain(note);
    expect(shown.stdout).not.toContain(REFUSED);
    const json = await otJson<CaseDetail>(['case', 'show', caseId]);
    expect(json.journal.filter((e) => e.note).map((e) => [e.event, e.note])).toEqual([
      ['LETTER_RETURNED', NOTES.returned],
      ['CALL', NOTES.call],
      ['REPLY', NOTES.sms],
      ['REPLY', NOTES.reply],
      ['OUTCOME', NOTES.outcome],
    ]);
    const view = await asKari('GET', `/cases/${caseId}`);
    expect(view.status).toBe(200);
    expect(view.body.journal.filter((e: JournalEntry) => e.note).map((e: JournalEntry) => e.note)).toEqual(Object.values(NOTES));
    expect(view.body.journal).toHaveLength(view.body.version);

    // The workflow answers without the journal unless asked; asked, it holds the notes' ids, never their texts.
    const handle = handleOf(caseId);
    expect(await handle.query(caseViewQuery)).not.toHaveProperty('journal');
    const held = await handle.query(caseViewQuery, { journal: true });
    expect(held.journal!.filter((e) => e.noteId).map((e) => e.noteId)).toEqual(
      (await stack.pool.query('SELECT note_id FROM case_events WHERE case_id = $1 AND note_id IS NOT NULL ORDER BY seq', [caseId])).rows.map(
        (r) => r.note_id,
      ),
    );
    expect(held.journal!.some((e) => e.note)).toBe(false);

    // The raw history: every payload's bytes as text, and the encoded history as well.
    const history = await handle.fetchHistory();
    const text = await historyText(history);
    // The search reads the payloads: the update arguments and the signal carry the notes' ids.
    for (const { id } of notes.rows) expect(text).toContain(id);
    expect(text).toContain('"result":"notReached"');
    expect(Object.values({ ...NOTES, refused: REFUSED, nationalId: youth.noted.id }).filter((t) => text.includes(t))).toEqual([]);
  });
});

describe('cases running since before notes moved to PostgreSQL', () => {
  /** The case's own start input, as the import gave it, then started again as continue-as-new would have started it. */
  async function restartedWith(
    who: keyof typeof resumedYouth,
    resume: (args: YouthCaseArgs, caseId: string) => YouthCaseArgs['resume'] | Promise<YouthCaseArgs['resume']>,
  ) {
    const caseId = caseIdOf(resumedYouth[who].id, RESUMED_YEAR, stack.config.caseIdKey);
    await projected(caseId, 'letterDue');
    const first = handleOf(caseId, RESUMED_YEAR);
    const started = (await first.fetchHistory()).events![0].workflowExecutionStartedEventAttributes!;
    const [input] = await new PayloadEncryptionCodec(stack.config.payloadKeys).decode([started.input!.payloads![0]]);
    const args = JSON.parse(Buffer.from(input.data!).toString('utf8')) as YouthCaseArgs;
    await first.terminate('started again as a continued case');
    const handle = await stack.client.workflow.start<YouthCaseWorkflow>(WORKFLOW_TYPES.youthCase, {
      workflowId: youthCaseWorkflowId(RESUMED_YEAR, caseId),
      taskQueue: stack.config.taskQueue,
      args: [{ ...args, resume: await resume(args, caseId) }],
    });
    return { caseId, handle };
  }

  it('go on from a continue-as-new input that carried the journal with its notes as text', async () => {
    const at = new Date(Date.now() - 60_000).toISOString();
    const oldEntry: JournalEntry = {
      at,
      event: 'REPLY',
      by: 'Kari Kontor',
      channel: 'phone',
      note: 'gammalt notat frå før flyttinga',
      from: { stage: 'letterDue', status: 'OSON' },
      to: { stage: 'contactEstablished', status: 'OSON' },
    };
    const { caseId, handle } = await restartedWith('oldResume', (args) => {
      const [s] = initialTransition(youthCaseMachine, args.case);
      return { value: 'contactEstablished', context: s.context, journal: [oldEntry], seqBase: 10_000 };
    });
    // The read model as the run before would have left it: that one entry, its note's text in the journal row.
    await stack.pool.query('DELETE FROM case_events WHERE case_id = $1', [caseId]);
    await inTransaction(stack.pool, (db) => writeJournalEntry(db, caseId, 50, oldEntry));

    expect(await handle.query(caseViewQuery)).toMatchObject({ stage: 'contactEstablished', version: 1 });
    const done = await handle.executeUpdate(outcomeUpdate, { args: [{ status: 'OTOV', channel: 'phone', by: 'Nils', ifVersion: 1 }] });
    expect(done).toMatchObject({ stage: 'underFollowUp', version: 2 });
    const held = await handle.query(caseViewQuery, { journal: true });
    expect([held.journalFrom, held.journal!.map((e) => e.event)]).toEqual([0, ['REPLY', 'OUTCOME']]);
    const noted = await registerAction(stack.pool, stack.client, caseId, { type: 'REPLY', channel: 'email', by: 'Nils', note: 'nytt notat' });
    expect(noted.version).toBe(3);

    const shown = (await showCase(stack.pool, stack.client, caseId))!;
    expect(shown.journal.map((e) => [e.event, e.note])).toEqual([
      ['REPLY', 'gammalt notat frå før flyttinga'],
      ['OUTCOME', undefined],
      ['REPLY', 'nytt notat'],
    ]);
  });

  it('go on from one that carried only the journal’s length, the entries being in the read model', async () => {
    let before = 0;
    const { caseId, handle } = await restartedWith('newResume', async (args, caseId) => {
      const [s] = initialTransition(youthCaseMachine, args.case);
      // The version is what the run before had journalled: every entry of it is in the read model.
      before = (await journalOf(stack.pool, caseId)).length;
      return { value: 'letterDue', context: s.context, version: before, seqBase: 10_000 };
    });
    expect(before).toBeGreaterThan(0);
    expect(await handle.query(caseViewQuery)).toMatchObject({ stage: 'letterDue', version: before });
    await expect(
      handle.executeUpdate(outcomeUpdate, { args: [{ status: 'OTOV', channel: 'phone', by: 'Nils', ifVersion: 0 }] }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(new RegExp(`it is now at version ${before}`)) } });
    const done = await handle.executeUpdate(outcomeUpdate, { args: [{ status: 'OTOV', channel: 'phone', by: 'Nils', ifVersion: before }] });
    expect(done).toMatchObject({ stage: 'underFollowUp', version: before + 1 });
    const held = await handle.query(caseViewQuery, { journal: true });
    expect([held.journalFrom, held.journal!.map((e) => e.event)]).toEqual([before, ['OUTCOME']]);
    const shown = (await showCase(stack.pool, stack.client, caseId))!;
    expect(shown.journal).toHaveLength(before + 1);
    expect(shown.journal.at(-1)).toMatchObject({ event: 'OUTCOME', by: 'Nils' });
  });
});
