import { initialTransition, transition } from 'xstate';
import { parseMeasure, planProblem } from '../../domain/follow-up-plan';
import type { PlanContent } from '../../schemas/follow-up-plan';
import { defaultCalendar, instantOf } from '../../workflows/calendar';
import { nextDeadline } from '../../workflows/youth-case/deadlines';
import { youthCaseMachine, type CaseEvent, type CaseInput } from '../../workflows/youth-case/machine';
import { planDeadline, planRefusal, reviewRegistered, type PlanState } from '../../workflows/youth-case/plan';
import { refusalOf } from '../../workflows/youth-case/refusals';
import { caseViewOf } from '../../workflows/youth-case/view';

const NOW = instantOf('2085-01-05T12:00');
const by = 'Nils Rådgjevar';
const plan = (over: Partial<PlanContent> = {}): PlanContent => ({
  goal: 'Fullføre Vg2 elektro',
  measures: [{ what: 'Arbeidstrening', responsible: 'NAV', from: '2085-01-10', to: '2085-03-31' }],
  reviewDates: ['2085-02-01', '2085-04-01'],
  ...over,
});

describe('a follow-up plan as a caseworker writes it', () => {
  it('takes a goal, measures with who is responsible and when, and review dates ahead', () => {
    expect(planProblem(plan(), NOW, instantOf('2085-08-01'))).toBeUndefined();
    expect(planProblem(plan({ reviewDates: ['2085-01-05T13:00'] }), NOW)).toBeUndefined();
  });

  it.each([
    [{ goal: ' ' }, 'goal: must not be empty'],
    [{ goal: 'x'.repeat(2001) }, 'goal: at most 2000 characters'],
    [{ goal: 'Sjå 01020312345' }, 'goal: looks like it holds a national id number: leave it out'],
    [{ measures: [] }, 'measures: a plan needs at least one agreed measure'],
    [
      { measures: [{ what: 'Kurs', responsible: 'mor', from: '2085-01-10', to: '2085-02-10' }] },
      'measure 1: responsible must be one of OT, NAV, school, trainingOffice',
    ],
    [
      {
        measures: [
          { what: 'Kurs', responsible: 'OT', from: '2085-01-10', to: '2085-02-10' },
          { what: 'Læreplass', responsible: 'trainingOffice', from: '2085-03-10', to: '2085-02-10' },
        ],
      },
      'measure 2: to (2085-02-10) is before from (2085-03-10)',
    ],
    [{ measures: [{ what: 'Kurs', responsible: 'school', from: '10.01.2085', to: '2085-02-10' }] }, 'measure 1: from must be a date (2085-01-10)'],
    [{ measures: [{ what: '', responsible: 'school', from: '2085-01-10', to: '2085-02-10' }] }, 'measure 1: what: must not be empty'],
    [{ reviewDates: [] }, 'review dates: a plan needs at least one review date'],
    [{ reviewDates: ['2085-02-01', 'snart'] }, 'review date 2: must be a date (2085-03-01) or a date and time (2085-03-01T10:00)'],
    [{ reviewDates: ['2085-01-05'] }, 'review date 1: 2085-01-05 has passed; a review date must be ahead'],
    [{ reviewDates: ['2085-09-01'] }, 'review date 1: 2085-09-01 is not before the school year ends'],
    [{ reviewDates: ['2085-02-01', '2085-02-01T00:00'] }, 'review dates: the same date is given twice'],
    [{ reviewDates: Array.from({ length: 13 }, (_, i) => `2085-02-${String(i + 1).padStart(2, '0')}`) }, 'review dates: at most 12'],
  ] as [Partial<PlanContent>, string][])('refuses %j: %s', (over, problem) => {
    expect(planProblem(plan(over), NOW, instantOf('2085-08-01'))).toBe(problem);
  });

  it('reads a measure from the command line, and says how to write one that is not', () => {
    expect(parseMeasure(' Arbeidstrening ; NAV;2085-01-10; 2085-03-31')).toEqual({
      what: 'Arbeidstrening',
      responsible: 'NAV',
      from: '2085-01-10',
      to: '2085-03-31',
    });
    expect(parseMeasure('Arbeidstrening NAV 2085-01-10')).toMatch(/^write a measure as "what;responsible;from;to"/);
  });
});

describe('the case and its plan', () => {
  const input: CaseInput = {
    caseId: 'c1',
    schoolYear: 2084,
    unit: '12250',
    osCode: 'OSON',
    washedStatus: 'OTOV',
    caseworker: by,
    facts: { fictitiousId: false, hasAddress: true, hasMobile: true, under18: false },
  };
  const send = (events: CaseEvent[]) => events.reduce((s, e) => transition(youthCaseMachine, s, e)[0], initialTransition(youthCaseMachine, input)[0]);
  const planId = '0b9c1c1e-6a1f-4c53-9d0e-3f1e2a4b5c6d';
  const calendar = { ...defaultCalendar(2084), reviewOverdueAfter: 'P14D' };

  it('refuses a plan unless the youth is under follow-up (OTOV), and a review without a plan or a word of what happened', () => {
    const claimed = send([]);
    expect(claimed.value).toBe('caseworkerFollowUp');
    expect(refusalOf(claimed, { type: 'PLAN', planId, reviewDates: ['2099-02-01'], by })).toBeUndefined();
    const resolved = send([{ type: 'OUTCOME', status: 'OTAR', channel: 'phone', by }]);
    expect(refusalOf(resolved, { type: 'PLAN', planId, reviewDates: ['2099-02-01'], by })).toMatch(
      /^a follow-up plan is for a youth under follow-up \(OTOV\); the case is OTAR/,
    );
    expect(refusalOf(claimed, { type: 'PLAN', planId: 'not an id', reviewDates: ['2099-02-01'], by })).toBe('planId must be the id of a stored plan');
    expect(refusalOf(claimed, { type: 'REVIEW', note: 'møttest', by })).toBe('the case has no follow-up plan: make one first');
    const planned = send([{ type: 'PLAN', planId, reviewDates: ['2099-02-01'], by }]);
    expect(refusalOf(planned, { type: 'REVIEW', by })).toBe('say what happened at the review (--note)');
    expect(refusalOf(planned, { type: 'REVIEW', note: 'møttest', by })).toMatch(/^no review date is left in the plan/);
    expect(refusalOf(planned, { type: 'REVIEW', note: 'møttest', nextReview: '2099-03-01', by })).toBeUndefined();
    expect(refusalOf(planned, { type: 'REVIEW', note: 'fekk jobb', outcome: 'OTAR', by })).toBeUndefined();
    expect(refusalOf(planned, { type: 'REVIEW', note: 'x', outcome: 'OTUK', by })).toMatch(/^OTUK means nobody knows/);
  });

  it('makes each review date a timer: due on its date, overdue after reviewOverdueAfter, settled by a review', () => {
    let s = send([{ type: 'PLAN', planId, reviewDates: ['2085-04-01', '2085-02-01'], by }]);
    expect(s.context.plan).toEqual({ planId, reviews: ['2085-02-01', '2085-04-01'] });
    // Without the workflow's patch turned on, the plan makes nothing due (histories from before plans).
    expect(nextDeadline('caseworkerFollowUp', s.context, calendar, NOW).event.type).toBe('SCHOOL_YEAR_ENDED');
    expect(nextDeadline('caseworkerFollowUp', s.context, calendar, NOW, { reviews: true })).toEqual({
      event: { type: 'REVIEW_DUE', review: '2085-02-01' },
      at: instantOf('2085-02-01'),
    });
    s = transition(youthCaseMachine, s, { type: 'REVIEW_DUE', review: '2085-02-01' })[0];
    expect(caseViewOf('caseworkerFollowUp', s.context).review).toEqual({
      on: '2085-02-01',
      at: new Date(instantOf('2085-02-01')).toISOString(),
      state: 'due',
    });
    expect(planDeadline('caseworkerFollowUp', s.context.plan, calendar)).toEqual({
      event: { type: 'REVIEW_OVERDUE', review: '2085-02-01' },
      at: instantOf('2085-02-15'),
    });
    s = transition(youthCaseMachine, s, { type: 'REVIEW_OVERDUE', review: '2085-02-01' })[0];
    expect(caseViewOf('caseworkerFollowUp', s.context).review?.state).toBe('overdue');
    expect(planDeadline('caseworkerFollowUp', s.context.plan, calendar)).toBeUndefined();
    s = transition(youthCaseMachine, s, { type: 'REVIEW', note: 'møttest', nextReview: '2085-03-01', by })[0];
    expect(s.context.plan).toEqual({ planId, reviews: ['2085-03-01', '2085-04-01'] });
    // A review with an outcome ends the follow-up: no more timers, no review on the lists.
    s = transition(youthCaseMachine, s, { type: 'REVIEW', note: 'fekk læreplass', outcome: 'OTLL', by })[0];
    expect([s.value, s.context.otStatus, caseViewOf('resolved', s.context).review]).toEqual(['resolved', 'OTLL', undefined]);
    expect(planDeadline('resolved', s.context.plan, calendar)).toBeUndefined();
  });

  it('counts a review registered early in place of the next one planned', () => {
    const p: PlanState = { planId, reviews: ['2085-02-01', '2085-04-01'] };
    expect(reviewRegistered(p)).toEqual({ planId, reviews: ['2085-04-01'] });
    expect(reviewRegistered({ ...p, due: '2085-01-15', overdue: true }, '2085-03-01')).toEqual({
      planId,
      reviews: ['2085-02-01', '2085-03-01', '2085-04-01'],
    });
    expect(planRefusal({ stage: 'underFollowUp', otStatus: 'OTOV', plan: p }, { type: 'REVIEW', note: 'x', nextReview: '2085-01-01' }, NOW)).toBe(
      'the next review: 2085-01-01 has passed; a review date must be ahead',
    );
  });
});
