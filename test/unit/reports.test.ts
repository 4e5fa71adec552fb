import { pickStaff } from '../../domain/call-sharing';
import { countStatuses, groupOf, REPORT_GROUPS } from '../../domain/report-counts';
import { sumCounters, type FlowCounters } from '../../domain/flow-counters';
import { reportScheduleSpec } from '../../activities/report-schedules';
import { defaultCalendar, reportDate } from '../../workflows/calendar';
import { REPORTS } from '../../schemas/calendar';

describe('sharing a call list', () => {
  it('gives each youth to whoever holds fewest, the first named on a tie, so shares stay within one of each other', () => {
    const staff = ['Kari', 'Ola', 'Per'];
    const holdings = new Map<string, number>([['Kari', 2]]);
    const given: string[] = [];
    for (let i = 0; i < 10; i++) {
      const name = pickStaff(staff, holdings)!;
      given.push(name);
      holdings.set(name, (holdings.get(name) ?? 0) + 1);
    }
    expect(given.slice(0, 4)).toEqual(['Ola', 'Per', 'Ola', 'Per']);
    const counts = staff.map((s) => holdings.get(s)!);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(counts.reduce((a, b) => a + b)).toBe(12);
  });

  it('gives nobody a youth when the unit has no staff', () => {
    expect(pickStaff([], new Map())).toBeUndefined();
  });
});

describe('counting a snapshot', () => {
  const rows = [
    { unit: '12250', status: 'OTUK' },
    { unit: '12250', status: 'OTUK' },
    { unit: '12250', status: 'OTAP' },
    { unit: '12250', status: 'OSON' },
    { unit: '12275', status: 'OTOV' },
    { unit: '12275', status: 'OTFU_IM' },
    { unit: '99999', status: 'Feil' },
  ];

  it('counts per unit, per code and per UDIR group, with the OS codes apart, and adds the units up to the county', () => {
    const counts = countStatuses(rows, ['12250', '12275', '12280']);
    expect(counts.units['12250']).toEqual({ total: 4, byGroup: { 1: 2, 2: 0, 3: 1, 4: 0, 5: 0, OS: 1 }, byCode: { OTUK: 2, OTAP: 1, OSON: 1 } });
    expect(counts.units['12280']).toEqual({ total: 0, byGroup: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, OS: 0 }, byCode: {} });
    expect(counts.units['99999'].byCode).toEqual({ Feil: 1 });
    expect(counts.county.total).toBe(rows.length);
    for (const g of REPORT_GROUPS) expect(counts.county.byGroup[g]).toBe(Object.values(counts.units).reduce((a, u) => a + u.byGroup[g], 0));
    expect(counts.county.byGroup).toEqual({ 1: 2, 2: 1, 3: 1, 4: 0, 5: 2, OS: 1 });
  });

  it('puts every code in its UDIR group and refuses a code that is none', () => {
    expect(['OTUK', 'OTOV', 'OTLL', 'OTIF', 'Feil', 'OSVE'].map(groupOf)).toEqual(['1', '2', '3', '4', '5', 'OS']);
    // The age limit's own code is out of the target group too.
    expect(groupOf('ALDER_IM')).toBe('5');
    expect(() => groupOf('OTXX')).toThrow(/not an OT status code/);
  });
});

describe('the county counters', () => {
  const unit = (over: Partial<FlowCounters>): FlowCounters => ({
    osBefore: 10,
    osAfterWashing: 8,
    lettersToYouth: 8,
    lettersToGuardians: 2,
    otukAfterLetters: 6,
    smsSent: 5,
    secondSmsSent: 3,
    noMobile: 1,
    otukAfterSms: null,
    otukCounted: null,
    otukAfterAutumnCampaign: null,
    otukAfterWinterCampaign: null,
    otukNow: 4,
    unreachedNow: 3,
    awaitingOutcomeNow: 1,
    agedOut: 1,
    twoYearsRunning: 2,
    repliesOverdue: 1,
    reviewsOverdue: 0,
    ...over,
  });
  it('add the units up, and keep a moment no unit has reached as null', () => {
    const total = sumCounters([unit({ otukAfterSms: 3 }), unit({ otukAfterSms: 0 })]);
    expect(total).toMatchObject({ osBefore: 20, lettersToGuardians: 4, otukAfterSms: 3, otukAfterAutumnCampaign: null, otukNow: 8 });
  });
});

describe('the report schedules', () => {
  it('fire once, at the start of each report day in Europe/Oslo, in the year of the date', () => {
    const calendar = defaultCalendar(2026);
    expect(REPORTS.map((r) => reportDate(calendar, r))).toEqual(['2026-10-31', '2026-11-15', '2027-02-15', '2027-06-15']);
    expect(reportScheduleSpec('2026-11-15')).toEqual({
      calendars: [{ year: 2026, month: 'NOVEMBER', dayOfMonth: 15, hour: 0, minute: 0, second: 0, comment: '2026-11-15' }],
      timezone: 'Europe/Oslo',
    });
  });

  it('take the Oslo clock time of a moment on a compressed calendar, whatever offset it is written with', () => {
    expect(reportScheduleSpec('2026-06-15T07:30:05Z').calendars).toEqual([
      { year: 2026, month: 'JUNE', dayOfMonth: 15, hour: 9, minute: 30, second: 5, comment: '2026-06-15T07:30:05Z' },
    ]);
    expect(reportScheduleSpec('2027-02-15T23:30:00+00:00').calendars![0]).toMatchObject({ month: 'FEBRUARY', dayOfMonth: 16, hour: 0, minute: 30 });
  });
});
