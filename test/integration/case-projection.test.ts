import { caseProjectionActivities } from '../../activities/case-projection';
import type { CaseView } from '../../workflows/youth-case/view';
import { openStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await openStack();
});
afterAll(() => stack.close());

it('never lets an older or retried projection write replace a newer one', async () => {
  const caseId = 'abcdefabcdefabcdefab0001';
  await stack.pool.query(`INSERT INTO cohorts (school_year, age_limit) VALUES (2035, 24) ON CONFLICT DO NOTHING`);
  await stack.pool.query(
    `INSERT INTO persons (case_id, school_year, national_id, id_kind, first_name, last_name) VALUES ($1, 2035, 'x', 'fictitious', 'Å', 'Ø')`,
    [caseId],
  );
  const { projectCase } = caseProjectionActivities(stack.pool, stack.config.units);
  const view = (stage: CaseView['stage']): CaseView => ({
    caseId,
    schoolYear: 2035,
    unit: '12250',
    osCode: 'OSON',
    otStatus: 'OSON',
    stage,
    flags: [],
    sms: 'notYet',
  });
  const stored = async () => (await stack.pool.query('SELECT stage, seq FROM cases WHERE case_id = $1', [caseId])).rows[0];

  await projectCase(view('needsAddress'), 5);
  await projectCase(view('awaitingLetter'), 12);
  expect(await stored()).toEqual({ stage: 'awaitingLetter', seq: '12' });
  await projectCase(view('needsAddress'), 5); // a late retry of the older write
  await projectCase(view('needsAddress'), 12); // same sequence number: the first write of it stands
  expect(await stored()).toEqual({ stage: 'awaitingLetter', seq: '12' });
  await projectCase({ ...view('phoneCampaign'), otStatus: 'OTUK', phoneCampaign: 'autumn' }, 15);
  await projectCase({ ...view('resolved'), otStatus: 'OTAP' }, 20);
  await projectCase({ ...view('phoneCampaign'), otStatus: 'OTUK', phoneCampaign: 'autumn' }, 15); // retried after the case was resolved
  expect(await stored()).toEqual({ stage: 'resolved', seq: '20' });
  const entries = await stack.pool.query('SELECT campaign, left_as FROM call_list WHERE case_id = $1', [caseId]);
  expect(entries.rows).toEqual([{ campaign: 'autumn', left_as: 'OTAP resolved' }]);
  await projectCase(view('closed'), 30);
  expect(await stored()).toEqual({ stage: 'closed', seq: '30' });
});
