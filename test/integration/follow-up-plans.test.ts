import type { FastifyInstance } from 'fastify';
import type { Payload } from '@temporalio/common';
import { DateTime } from 'luxon';
import { setCalendar } from '../../client/use-cases/calendar';
import { CaseActionError, registerAction } from '../../client/use-cases/case-actions';
import { submitImport } from '../../client/use-cases/cohort-import';
import { flowCounters } from '../../client/use-cases/counters';
import { registerPlan, registerReview } from '../../client/use-cases/follow-up-plans';
import { journalOf } from '../../db/case-journal';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { PayloadEncryptionCodec } from '../../runtime/payload-codec';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';
import { youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import { addUser } from '../../client/use-cases/users';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { ot } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * Issue 16, parts 2 and 3, on the real servers with a compressed calendar: a follow-up plan's review comes due on its
 * own timer (the caseworker's list), then goes overdue (the unit leader's list and the counters) and is settled by a
 * review; a reply forwarded to a caseworker becomes overdue when nobody sets an outcome. The plan's text never enters
 * the case's Temporal history.
 */
const YEAR = 2084;
const UNIT = '12250';
const nextId = idFactory();
const nils = 'Nils Rådgjevar';
const youth = {
  /** Under follow-up from the washing: gets a plan. */
  planned: { id: nextId('2030-02-03'), first: 'Pia', last: 'Plan', caseworker: nils, status: 'OTOV' },
  /** Replies, and is forwarded to Nils, who sets no outcome. */
  replied: { id: nextId('2030-04-05'), first: 'Rolf', last: 'Svar' },
};
const GOAL = 'Fullføre Vg2 elektro ved Bergen Tekniske';
const MEASURE = 'Arbeidstrening hos Bergen Bil tre dagar i veka';
/** How long a due review waits before it is overdue, and a forwarded reply before it is: short, as on a compressed year. */
const OVERDUE_AFTER_S = 6;

let stack: TestStack;
let api: FastifyInstance;
let asNils: ApiCall;
let asLeader: ApiCall;
const caseOf = (who: keyof typeof youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const row = async (caseId: string) =>
  (await stack.pool.query('SELECT stage, review_state, review_on FROM cases WHERE case_id = $1', [caseId])).rows[0];
const moment = (ms: number) => DateTime.fromMillis(ms, { zone: CAMPAIGN_ZONE }).toISO({ suppressMilliseconds: true })!;

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'follow-up-plans' });
  await stack.startWorker();
  let url: string;
  ({ app: api, url } = await startApi(stack));
  asNils = (await userWithToken(stack, url, { role: 'caseworker', units: [UNIT], name: nils })).call;
  asLeader = (await userWithToken(stack, url, { role: 'leader', name: 'Lena Leiar' })).call;
  // Every date of the year passed but the year end, an hour off; the staff deadlines a few seconds, as on a compressed year.
  const calendar = yearInSteps(YEAR, Date.now(), 3_600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 });
  await setCalendar(stack, YEAR, { ...calendar, replyOverdueAfter: `PT${OVERDUE_AFTER_S}S`, reviewOverdueAfter: `PT${OVERDUE_AFTER_S}S` });
  // Test ids are born by 2039 at the latest, far over the age limit of a cohort so late: let them in.
  await stack.pool.query('UPDATE cohorts SET age_limit = 60 WHERE school_year = $1', [YEAR]);
  const file = transferFile(Object.values(youth));
  await (await submitImport(stack, { fileName: `plans-${YEAR}.csv`, content: file, schoolYear: YEAR, strict: false })).result();
  await eventually(async () => ((await row(caseOf('planned')))?.stage === 'caseworkerFollowUp' ? true : undefined), 'the OTOV case projected');
}, 120_000);

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

it('brings a plan review onto the caseworker list when due, the leader list when overdue, and off both once reviewed', async () => {
  const caseId = caseOf('planned');
  const who = { by: nils };
  // A plan that fails its checks is refused by field, and nothing is stored.
  const bad = registerPlan(
    stack.pool,
    stack.client,
    caseId,
    {
      goal: GOAL,
      measures: [{ what: MEASURE, responsible: 'NAV', from: '2085-01-10', to: '2085-01-01' }],
      reviewDates: [moment(Date.now() + 60_000)],
    },
    who,
  );
  await expect(bad).rejects.toThrow('measure 1: to (2085-01-01) is before from (2085-01-10)');
  expect((await stack.pool.query('SELECT count(*)::int AS n FROM follow_up_plans WHERE case_id = $1', [caseId])).rows[0].n).toBe(0);

  const reviewAt = Date.now() + 4000;
  const planned = await registerPlan(
    stack.pool,
    stack.client,
    caseId,
    { goal: GOAL, measures: [{ what: MEASURE, responsible: 'NAV', from: '2085-01-10', to: '2085-03-31' }], reviewDates: [moment(reviewAt)] },
    who,
  );
  expect(planned.review).toEqual({ on: moment(reviewAt), at: new Date(reviewAt).toISOString(), state: 'planned' });
  expect(planned.next?.event).toBe('REVIEW_DUE');

  // Due on its date, by the case's own timer: on the caseworker's list, with the name; not yet on the leader's.
  await eventually(async () => ((await row(caseId)).review_state === 'due' ? true : undefined), 'the review due', 30_000);
  const worklist = await asNils('GET', `/worklist/${YEAR}?unit=${UNIT}`);
  expect(worklist.status).toBe(200);
  expect(worklist.body.reviewsDue).toEqual([expect.objectContaining({ caseId, name: 'Pia Plan', caseworker: nils, state: 'due' })]);
  expect((await asLeader('GET', `/overdue/${YEAR}`)).body.reviewsDue).toEqual([]);

  // Overdue after reviewOverdueAfter: on the unit leader's list, without the youth's name, and counted.
  await eventually(async () => ((await row(caseId)).review_state === 'overdue' ? true : undefined), 'the review overdue', 30_000);
  const leader = await asLeader('GET', `/overdue/${YEAR}?unit=${UNIT}`);
  expect(leader.body.reviewsDue).toEqual([
    { caseId, unit: UNIT, caseworker: nils, reviewOn: moment(reviewAt), reviewAt: expect.any(String), state: 'overdue' },
  ]);
  expect((await flowCounters(stack.pool, YEAR, [UNIT])).units[UNIT].reviewsOverdue).toBe(1);
  // The leader steers by the list and reads no case, nor its plan.
  expect((await asLeader('GET', `/cases/${caseId}/plan`)).status).toBe(403);
  expect((await asNils('GET', `/cases/${caseId}/plan`)).body).toMatchObject({ goal: GOAL, measures: [{ what: MEASURE, responsible: 'NAV' }] });

  // A review with no next date and no outcome leaves the plan without a review: refused.
  await expect(registerReview(stack.pool, stack.client, caseId, { note: 'møttest på kontoret' }, who)).rejects.toThrow(
    /no review date is left in the plan/,
  );
  const nextAt = Date.now() + 3_600_000;
  const reviewed = await asNils('POST', `/cases/${caseId}/review`, { note: 'Møttest; arbeidstreninga går bra', nextReview: moment(nextAt) });
  expect(reviewed.status).toBe(200);
  expect(reviewed.body.review).toMatchObject({ on: moment(nextAt), state: 'planned' });
  await eventually(async () => ((await row(caseId)).review_state === 'planned' ? true : undefined), 'the review registered');
  expect((await asNils('GET', `/worklist/${YEAR}`)).body.reviewsDue).toEqual([]);
  expect((await asLeader('GET', `/overdue/${YEAR}`)).body.reviewsDue).toEqual([]);

  // Journalled: the plan, its review falling due and overdue, the review with what happened.
  const journal = await journalOf(stack.pool, caseId);
  expect(journal.map((e) => e.event).slice(-4)).toEqual(['PLAN', 'REVIEW_DUE', 'REVIEW_OVERDUE', 'REVIEW']);
  expect(journal.at(-1)).toMatchObject({ by: nils, note: 'Møttest; arbeidstreninga går bra', detail: { nextReview: moment(nextAt) } });

  // The plan's goal and measures are in PostgreSQL only: no payload of the case's history holds them.
  const history = await stack.client.workflow.getHandle(youthCaseWorkflowId(YEAR, caseId)).fetchHistory();
  const codec = new PayloadEncryptionCodec(stack.config.payloadKeys);
  const texts: string[] = [];
  const walk = async (v: unknown): Promise<void> => {
    if (v && typeof v === 'object' && 'data' in v && 'metadata' in v) {
      const [plain] = await codec.decode([v as Payload]);
      if (plain.data) texts.push(Buffer.from(plain.data).toString('utf8'));
    } else if (Array.isArray(v)) for (const x of v) await walk(x);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) await walk(x);
  };
  await walk(history);
  const all = texts.join('\n');
  expect(all).toContain('REVIEW_OVERDUE');
  expect(all).not.toContain(GOAL);
  expect(all).not.toContain(MEASURE);
  expect(all).not.toContain('arbeidstreninga');
}, 120_000);

it('lists a reply forwarded to a caseworker as overdue once nobody has set an outcome in time, and counts it', async () => {
  const caseId = caseOf('replied');
  await registerAction(stack.pool, stack.client, caseId, { type: 'REPLY', channel: 'phone', forwardTo: nils, by: 'Kari Kontor' });
  await eventually(async () => ((await row(caseId)).stage === 'contactEstablished' ? true : undefined), 'the reply projected');
  // A plan is for a youth under follow-up: not for one whose outcome is not set.
  await expect(
    registerPlan(
      stack.pool,
      stack.client,
      caseId,
      {
        goal: GOAL,
        measures: [{ what: MEASURE, responsible: 'OT', from: '2085-01-10', to: '2085-02-10' }],
        reviewDates: [moment(Date.now() + 60_000)],
      },
      { by: nils },
    ),
  ).rejects.toBeInstanceOf(CaseActionError);
  expect((await asNils('GET', `/worklist/${YEAR}`)).body.repliesOverdue).toEqual([]);
  expect((await flowCounters(stack.pool, YEAR, [UNIT])).units[UNIT].repliesOverdue).toBe(0);

  const overdue = await eventually(
    async () => {
      const list = (await asNils('GET', `/worklist/${YEAR}?unit=${UNIT}`)).body;
      return list.repliesOverdue.length ? list : undefined;
    },
    'the reply overdue',
    30_000,
  );
  expect(overdue.repliesOverdue).toEqual([{ caseId, name: 'Rolf Svar', unit: UNIT, caseworker: nils, forwardedAt: expect.any(String) }]);
  expect(overdue.replyDeadline).toBe(`PT${OVERDUE_AFTER_S}S`);
  expect((await asLeader('GET', `/overdue/${YEAR}`)).body.repliesOverdue).toEqual([
    { caseId, unit: UNIT, caseworker: nils, forwardedAt: expect.any(String) },
  ]);
  expect((await flowCounters(stack.pool, YEAR, [UNIT])).units[UNIT].repliesOverdue).toBe(1);

  // An outcome takes it off both lists.
  await registerAction(stack.pool, stack.client, caseId, { type: 'OUTCOME', status: 'OTAR', channel: 'phone', by: nils });
  await eventually(async () => ((await row(caseId)).stage === 'resolved' ? true : undefined), 'the outcome projected');
  expect((await asLeader('GET', `/overdue/${YEAR}`)).body.repliesOverdue).toEqual([]);
  expect((await flowCounters(stack.pool, YEAR, [UNIT])).units[UNIT].repliesOverdue).toBe(0);
}, 120_000);

it('offers the plan, the review and both lists in the CLI, with one line and exit 1 for what it refuses', async () => {
  const caseId = caseOf('planned');
  await addUser(
    stack.pool,
    stack.config.units,
    { username: 'nils.plan', displayName: nils, role: 'caseworker', units: [UNIT] },
    'nils-sitt-lange-passord',
  );
  await addUser(
    stack.pool,
    stack.config.units,
    { username: 'lena.plan', displayName: 'Lena Leiar', role: 'leader', units: [] },
    'lena-sitt-lange-passord',
  );
  const review = moment(Date.now() + 7_200_000);
  const plan = (...measures: string[]) => [
    'case',
    'plan',
    caseId,
    '--goal',
    'Læreplass i elektrofaget',
    ...measures.flatMap((m) => ['--measure', m]),
    '--review',
    review,
  ];

  const unreadable = await ot([...plan('Kurs;OT;2085-01-10;2085-02-10', 'berre tekst'), '--as', 'nils.plan']);
  expect([unreadable.code, unreadable.stderr.split('\n').length, unreadable.stderr]).toEqual([
    1,
    2,
    expect.stringContaining('measure 2: write a measure as'),
  ]);
  for (const json of [[], ['--json']]) {
    const refused = await ot([...json, ...plan('Kurs;mor;2085-01-10;2085-02-10'), '--as', 'nils.plan']);
    expect([refused.code, refused.stderr]).toEqual([1, 'ot: refused: measure 1: responsible must be one of OT, NAV, school, trainingOffice\n']);
  }
  const made = await ot([...plan('Kurs;school;2085-01-10;2085-02-10'), '--as', 'nils.plan']);
  expect([made.code, made.stderr]).toEqual([0, '']);
  expect(made.stdout).toContain(`review       planned ${review}`);
  const shown = JSON.parse((await ot(['--json', 'case', 'show', caseId, '--as', 'nils.plan'])).stdout);
  expect(shown.plan).toMatchObject({ goal: 'Læreplass i elektrofaget', measures: [{ what: 'Kurs', responsible: 'school' }], reviewDates: [review] });
  expect(shown.journal.at(-1)).toMatchObject({ event: 'PLAN', by: nils });

  const worklist = await ot(['worklist', '--school-year', String(YEAR), '--mine', '--as', 'nils.plan']);
  expect([worklist.code, worklist.stdout]).toEqual([0, expect.stringContaining('replies waiting for an outcome past PT6S')]);
  const overdue = await ot(['--json', 'overdue', '--school-year', String(YEAR), '--as', 'lena.plan']);
  expect([overdue.code, JSON.parse(overdue.stdout)]).toEqual([0, { reviewsDue: [], repliesOverdue: [], replyDeadline: 'PT6S' }]);
  // The leader's list names no youth, and the leader reads no case.
  expect((await ot(['case', 'show', caseId, '--as', 'lena.plan'])).code).toBe(1);
  const reviewed = await ot(['case', 'review', caseId, '--note', 'Avlyst, ny tid', '--next', moment(Date.now() + 9_000_000), '--as', 'nils.plan']);
  expect([reviewed.code, reviewed.stderr]).toEqual([0, '']);
}, 180_000);
