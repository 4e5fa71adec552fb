import { initialTransition } from 'xstate';
import { classifyNationalId, makeNationalId } from '../../schemas/national-id';
import { ageOutDateOf, defaultCohortPolicy, inTargetGroupAt, isBornTooEarly, type CohortPolicy } from '../../schemas/cohort-policy';
import { ageOutOf, compressCalendar, defaultCalendar, instantOf } from '../../workflows/calendar';
import { nextDeadline } from '../../workflows/youth-case/deadlines';
import { youthCaseMachine, type CaseInput } from '../../workflows/youth-case/machine';

/**
 * The target group as Opplæringslova § 9-4 words it: "fram til utgangen av det året ein fyller 24 år". For school year
 * 2081 (limit 24) one born in 2057 is in the group in the autumn and out of it from the first moment of 1 January 2082 in
 * Europe/Oslo, which is 23:00 on 31 December in UTC (Oslo is UTC+1 in winter).
 */

const Y = 2081;
const POLICY = defaultCohortPolicy(Y);
const SCHOOL_YEAR_POLICY: CohortPolicy = { ...POLICY, targetGroupEnd: 'schoolYear' };
const NEW_YEAR_IN_OSLO = Date.parse('2081-12-31T23:00:00Z');
const utc = (iso: string) => Date.parse(iso);

/** The birth date a national id carries, as the import reads it (fødselsnummer or D-number). */
const birthOf = (id: string) => classifyNationalId(id).birthDate!;
const idBornOn = (date: string, dNumber = false) => {
  for (let serial = 0; serial < 500; serial++) {
    const id = makeNationalId(date, serial, dNumber);
    if (id) return id;
  }
  throw new Error(`no id for ${date}`);
};

describe('the default policy', () => {
  it('is the end of the calendar year from school year 2024, the whole school year before', () => {
    expect(defaultCohortPolicy(2023).targetGroupEnd).toBe('schoolYear');
    expect(defaultCohortPolicy(2024).targetGroupEnd).toBe('calendarYear');
    expect(POLICY).toEqual({ schoolYear: Y, ageLimit: 24, targetGroupEnd: 'calendarYear' });
  });
});

describe('the year boundary in Oslo time', () => {
  it('lets one born 31 December and one born 1 January of the limit year go at the same first moment of 1 January', () => {
    for (const born of ['2057-01-01', '2057-12-31']) {
      expect([born, ageOutDateOf(born, POLICY)]).toEqual([born, '2082-01-01']);
      expect([born, inTargetGroupAt(born, POLICY, utc('2081-11-15T00:00:00Z'))]).toEqual([born, true]);
      expect([born, inTargetGroupAt(born, POLICY, NEW_YEAR_IN_OSLO - 1)]).toEqual([born, true]);
      expect([born, inTargetGroupAt(born, POLICY, NEW_YEAR_IN_OSLO)]).toEqual([born, false]);
      // Midnight in UTC is already an hour into the new year in Oslo.
      expect([born, inTargetGroupAt(born, POLICY, utc('2082-01-01T00:00:00Z'))]).toEqual([born, false]);
    }
  });

  it('keeps one born 1 January of the next year in the group all school year, and one born 31 December the year before out of it', () => {
    expect(ageOutDateOf('2058-01-01', POLICY)).toBeUndefined();
    expect(inTargetGroupAt('2058-01-01', POLICY, utc('2082-07-31T12:00:00Z'))).toBe(true);
    expect(isBornTooEarly('2056-12-31', POLICY)).toBe(true);
    expect(ageOutDateOf('2056-12-31', POLICY)).toBeUndefined();
    expect(inTargetGroupAt('2056-12-31', POLICY, utc('2081-08-01T00:00:00Z'))).toBe(false);
  });

  it('reads D-numbers (day + 40) by the same birth year', () => {
    // Ids can be made for births up to 2039 (the individual numbers of 2000–2039): school year 2062 names 2038.
    const policy = defaultCohortPolicy(2062);
    const dLast = idBornOn('2038-12-31', true);
    const dFirst = idBornOn('2039-01-01', true);
    expect([Number(dLast.slice(0, 2)), Number(dFirst.slice(0, 2))]).toEqual([71, 41]);
    expect([classifyNationalId(dLast).kind, classifyNationalId(dFirst).kind]).toEqual(['d-number', 'd-number']);
    expect(ageOutDateOf(birthOf(dLast), policy)).toBe('2063-01-01');
    expect(ageOutDateOf(birthOf(dFirst), policy)).toBeUndefined();
    expect(ageOutDateOf(birthOf(idBornOn('2038-12-31')), policy)).toBe('2063-01-01');
    expect(inTargetGroupAt(birthOf(dLast), policy, utc('2062-12-31T22:59:59Z'))).toBe(true);
    expect(inTargetGroupAt(birthOf(dLast), policy, utc('2062-12-31T23:00:00Z'))).toBe(false);
  });

  it('keeps the youth of the limit year in the group until the year ends under the whole-school-year policy', () => {
    expect(ageOutDateOf('2057-12-31', SCHOOL_YEAR_POLICY)).toBeUndefined();
    expect(inTargetGroupAt('2057-12-31', SCHOOL_YEAR_POLICY, utc('2082-07-31T12:00:00Z'))).toBe(true);
    expect(isBornTooEarly('2056-12-31', SCHOOL_YEAR_POLICY)).toBe(true);
  });
});

describe("the case's own timer", () => {
  const caseOf = (agesOutOn?: string): CaseInput => ({
    caseId: '0123456789abcdef01234567',
    schoolYear: Y,
    unit: '12250',
    osCode: 'OSON',
    // Kept by a caseworker: no letter falls due before 1 January.
    washedStatus: 'OTOV',
    caseworker: 'Nils Rådgjevar',
    facts: { fictitiousId: false, hasAddress: true, hasMobile: true, under18: false, ...(agesOutOn ? { agesOutOn } : {}) },
  });
  const snapshotOf = (i: CaseInput) => initialTransition(youthCaseMachine, i)[0];
  const after = utc('2081-11-20T12:00:00Z');

  it('falls at the first moment of 1 January in Oslo on the real calendar', () => {
    const cal = defaultCalendar(Y);
    expect(cal.ageOut).toBe('2082-01-01');
    const s = snapshotOf(caseOf('2082-01-01'));
    expect(nextDeadline('caseworkerFollowUp', s.context, cal, after, { ageOut: true })).toEqual({
      event: { type: 'AGED_OUT' },
      at: NEW_YEAR_IN_OSLO,
    });
    // Without the patch (a history made before the timer) or the fact, the case waits for what it waited for before.
    expect(nextDeadline('caseworkerFollowUp', s.context, cal, after).event.type).not.toBe('AGED_OUT');
    expect(nextDeadline('caseworkerFollowUp', snapshotOf(caseOf()).context, cal, after, { ageOut: true }).event.type).not.toBe('AGED_OUT');
  });

  it('follows 1 January where a compressed calendar puts it: after the autumn evaluation, before the winter campaign', () => {
    const cal = compressCalendar(defaultCalendar(Y), utc('2081-03-01T10:00:00Z'), 5);
    const at = ageOutOf(cal, Y);
    expect(at).toBeGreaterThan(instantOf(cal.evaluations.autumn));
    expect(at).toBeLessThan(instantOf(cal.phoneCampaigns.winter.from));
    expect(at).toBeLessThan(instantOf(cal.reports.february));
    const s = snapshotOf(caseOf('2082-01-01'));
    expect(nextDeadline('caseworkerFollowUp', s.context, cal, instantOf(cal.evaluations.autumn), { ageOut: true })).toEqual({
      event: { type: 'AGED_OUT' },
      at,
    });
  });

  it('is the school year’s own 1 January in a calendar stored before it had the date, and never at or after the year end', () => {
    const { ageOut: _, ...older } = defaultCalendar(Y);
    expect(ageOutOf(older, Y)).toBe(NEW_YEAR_IN_OSLO);
    const s = snapshotOf(caseOf('2082-01-01'));
    const atYearEnd = { ...defaultCalendar(Y), ageOut: '2082-08-01' };
    expect(nextDeadline('caseworkerFollowUp', s.context, atYearEnd, after, { ageOut: true }).event.type).not.toBe('AGED_OUT');
  });
});
