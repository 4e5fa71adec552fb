import { DateTime } from 'luxon';
import { applyCalendarSettings, CalendarError, calendarSchema, parseCalendar } from '../../domain/calendar-settings';
import { CAMPAIGN_ZONE, type CampaignCalendar } from '../../schemas/calendar';
import { calendarShape } from '../../schemas/calendar-shape';
import { OS_CODE_TABLE, OS_CODES, type OsCodeRow } from '../../schemas/ot-codes';
import {
  calendarDates,
  calendarIssues,
  compressCalendar,
  defaultCalendar,
  instantAfter,
  endInstantOf,
  instantOf,
  letterDates,
  withCalendarValue,
  withDefaults,
} from '../../workflows/calendar';

/**
 * The campaign calendar (seeds 000 and 001) and its schema. Expected instants are written out in UTC
 * by hand, so the tests do not lean on the same luxon calls as the code under test.
 */

const utc = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A deep, mutable copy to break in one place. */
function copyOf(calendar: CampaignCalendar): any {
  return JSON.parse(JSON.stringify(calendar));
}

/** The value at a dotted key, read independently of withCalendarValue. */
function valueAt(calendar: CampaignCalendar, key: string): unknown {
  return key.split('.').reduce<any>((node, part) => node?.[part], calendar);
}

/** A refusal as `CalendarError: message`, so a failing test shows both what was thrown and what it said. */
function described(e: unknown): string {
  const kind = e instanceof CalendarError ? 'CalendarError' : (e as Error).constructor.name;
  return `${kind}: ${(e as Error).message}`;
}

/** A CalendarError whose message starts with the dotted key. */
const namingKey = (key: string) => new RegExp(`^CalendarError: ${key.replace(/\./g, '\\.')}\\b`);

/** What parseCalendar refuses with, or a marker when it accepts. */
function refusal(raw: unknown): string {
  try {
    parseCalendar(raw);
  } catch (e) {
    return described(e);
  }
  return '(accepted)';
}

const ALL_KEYS = [
  'ageOut',
  'washing.OSON',
  'washing.OSUT',
  'washing.OSNP',
  'washing.OSVE',
  'crosscheck.from',
  'crosscheck.until',
  'letters.OSON',
  'letters.OSUT',
  'letters.OSNP',
  'letters.OSVE',
  'otukCountDue',
  'phoneCampaigns.autumn.from',
  'phoneCampaigns.autumn.until',
  'phoneCampaigns.winter.from',
  'phoneCampaigns.winter.until',
  'reports.november',
  'reports.february',
  'reports.june',
  'evaluations.autumn',
  'evaluations.spring',
  'schoolYearEnd',
];

describe('defaultCalendar', () => {
  const cal = defaultCalendar(2026);

  it('washes OSON by 25 Aug and the other OS codes by 29 Sep', () => {
    expect(cal.washing).toEqual({ OSON: '2026-08-25', OSUT: '2026-09-29', OSNP: '2026-09-29', OSVE: '2026-09-29' });
  });

  it('sends letters for OSON on 10 Sep and for the other OS codes on 25 Sep', () => {
    expect(cal.letters).toEqual({ OSON: '2026-09-10', OSUT: '2026-09-25', OSNP: '2026-09-25', OSVE: '2026-09-25' });
  });

  it('has the SMS two weeks after the letters and the OTUK count on 31 Oct', () => {
    expect(cal.smsAfterLetters).toBe('P14D');
    expect(cal.otukCountDue).toBe('2026-10-31');
  });

  it('cross-checks from 20 to 30 Sep', () => {
    expect(cal.crosscheck).toEqual({ from: '2026-09-20', until: '2026-09-30' });
  });

  it('runs the phone campaigns over the 14 days before the November and February reports', () => {
    expect(cal.phoneCampaigns).toEqual({
      autumn: { from: '2026-11-01', until: '2026-11-14' },
      winter: { from: '2027-02-01', until: '2027-02-14' },
    });
    expect(cal.reports).toEqual({ november: '2026-11-15', february: '2027-02-15', june: '2027-06-15' });
  });

  it('holds the evaluations on the Mondays of ISO week 50 (autumn) and week 22 (spring)', () => {
    // Worked out with `date -d 2026-12-07 +%G-W%V-%u` → 2026-W50-1 and `date -d 2027-05-31 ...` → 2027-W22-1.
    expect(cal.evaluations).toEqual({ autumn: '2026-12-07', spring: '2027-05-31' });
  });

  it('ends the school year on 31 Jul of the following year', () => {
    expect(cal.schoolYearEnd).toBe('2027-07-31');
  });

  it.each([2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030])('is a valid calendar for %i, with evaluations on Mondays of weeks 50 and 22', (year) => {
    const c = defaultCalendar(year);
    expect(parseCalendar(c)).toEqual(c);
    expect(calendarSchema.safeParse(c).success).toBe(true);
    const autumn = DateTime.fromISO(c.evaluations.autumn, { zone: CAMPAIGN_ZONE });
    const spring = DateTime.fromISO(c.evaluations.spring, { zone: CAMPAIGN_ZONE });
    expect([autumn.weekday, autumn.weekNumber, autumn.weekYear]).toEqual([1, 50, year]);
    expect([spring.weekday, spring.weekNumber, spring.weekYear]).toEqual([1, 22, year + 1]);
    expect(c.schoolYearEnd).toBe(`${year + 1}-07-31`);
  });
});

describe('instantOf and endInstantOf', () => {
  it('reads a winter date as the start of that day in Oslo (UTC+1)', () => {
    expect(instantOf('2026-01-15')).toBe(utc('2026-01-14T23:00:00Z'));
  });

  it('reads a summer date as the start of that day in Oslo (UTC+2)', () => {
    expect(instantOf('2026-07-15')).toBe(utc('2026-07-14T22:00:00Z'));
  });

  it('ends a date at the start of the next day in Oslo', () => {
    expect(endInstantOf('2026-01-15')).toBe(utc('2026-01-15T23:00:00Z'));
    expect(endInstantOf('2026-07-15')).toBe(utc('2026-07-15T22:00:00Z'));
  });

  it('gives the day summer time ends (25 Oct 2026) 25 hours', () => {
    expect(endInstantOf('2026-10-24')).toBe(utc('2026-10-24T22:00:00Z'));
    expect(instantOf('2026-10-25')).toBe(utc('2026-10-24T22:00:00Z'));
    expect(endInstantOf('2026-10-25')).toBe(utc('2026-10-25T23:00:00Z'));
    expect(endInstantOf('2026-10-25') - instantOf('2026-10-25')).toBe(25 * HOUR);
  });

  it('gives the day summer time starts (28 Mar 2027) 23 hours', () => {
    expect(instantOf('2027-03-28')).toBe(utc('2027-03-27T23:00:00Z'));
    expect(endInstantOf('2027-03-28')).toBe(utc('2027-03-28T22:00:00Z'));
    expect(endInstantOf('2027-03-28') - instantOf('2027-03-28')).toBe(23 * HOUR);
  });

  it('takes a date-time without offset as Oslo wall-clock time, and ends it at that very moment', () => {
    expect(instantOf('2026-09-10T08:00:00')).toBe(utc('2026-09-10T06:00:00Z'));
    expect(endInstantOf('2026-09-10T08:00:00')).toBe(utc('2026-09-10T06:00:00Z'));
    expect(endInstantOf('2026-12-10T08:00:00')).toBe(utc('2026-12-10T07:00:00Z'));
  });

  it('honours an explicit offset', () => {
    expect(instantOf('2026-09-10T08:00:00Z')).toBe(utc('2026-09-10T08:00:00Z'));
    expect(instantOf('2026-09-10T08:00:00+00:00')).toBe(utc('2026-09-10T08:00:00Z'));
    expect(instantOf('2026-09-10T08:00:00-05:00')).toBe(utc('2026-09-10T13:00:00Z'));
    expect(endInstantOf('2026-12-10T08:00:00+09:00')).toBe(utc('2026-12-09T23:00:00Z'));
  });

  it.each(['2026-13-40', '2026-02-30', 'nope', ''])('refuses %j', (bad) => {
    expect(() => instantOf(bad)).toThrow(/not a date/);
    expect(() => endInstantOf(bad)).toThrow(/not a date/);
  });
});

describe('instantAfter', () => {
  it('adds ISO durations to a date or a moment', () => {
    expect(instantAfter('2026-09-10', 'P14D')).toBe(instantOf('2026-09-10') + 14 * DAY);
    expect(instantAfter('2026-09-10T08:00:00', 'PT5S')).toBe(instantOf('2026-09-10T08:00:00') + 5000);
    expect(instantAfter('2026-09-10T08:00:00', 'PT30M')).toBe(instantOf('2026-09-10T08:00:00') + 30 * 60_000);
  });

  it('counts days as calendar days in Oslo across the end of summer time', () => {
    // 25 Oct 2026 has 25 hours: 14 days after 20 Oct is still the start of 3 Nov, not 23:00 on 2 Nov.
    expect(instantAfter('2026-10-20', 'P14D')).toBe(instantOf('2026-11-03'));
    expect(instantAfter('2026-10-20', 'P14D') - instantOf('2026-10-20')).toBe(14 * DAY + 3_600_000);
  });

  it.each(['14 days', 'P14', 'T5S', ''])('refuses %j', (bad) => {
    expect(() => instantAfter('2026-09-10', bad)).toThrow(/not a duration/);
  });
});

describe('calendarDates and withCalendarValue', () => {
  const cal = defaultCalendar(2026);

  it('lists every date by its dotted key, and not the SMS delay', () => {
    const dates = calendarDates(cal);
    expect(dates.map(([k]) => k).sort()).toEqual([...ALL_KEYS].sort());
    expect(dates.map(([k]) => k)).not.toContain('smsAfterLetters');
    for (const [key, date] of dates) expect(date).toBe(valueAt(cal, key));
  });

  it('replaces exactly one value and leaves its input alone', () => {
    const before = copyOf(cal);
    const changed = withCalendarValue(cal, 'phoneCampaigns.winter.until', '2027-02-13')!;
    expect(changed.phoneCampaigns.winter.until).toBe('2027-02-13');
    expect(changed).toEqual({ ...before, phoneCampaigns: { ...before.phoneCampaigns, winter: { from: '2027-02-01', until: '2027-02-13' } } });
    expect(cal).toEqual(before);
    expect(withCalendarValue(cal, 'smsAfterLetters', 'P7D')!.smsAfterLetters).toBe('P7D');
    expect(withCalendarValue(cal, 'schoolYearEnd', '2027-06-30')!.schoolYearEnd).toBe('2027-06-30');
  });

  it.each(['letters', 'letters.XX', 'nope', 'phoneCampaigns.autumn', 'letters.OSON.day', '', 'toString', 'constructor.name'])(
    'has no value at %j',
    (key) => {
      const before = copyOf(cal);
      expect(withCalendarValue(cal, key, '2026-09-12')).toBeUndefined();
      expect(cal).toEqual(before);
    },
  );
});

describe('compressCalendar', () => {
  const cal = defaultCalendar(2026);
  const start = utc('2026-08-20T08:00:00Z');
  const compressed = compressCalendar(cal, start, 5);
  const originalDates = calendarDates(cal);

  /** Where a date sits in time: a span's last day and the school year's last day count from their end. */
  const momentOf = (key: string, date: string) => (key.endsWith('.until') || key === 'schoolYearEnd' ? endInstantOf(date) : instantOf(date));

  it('turns every date into a date-time with an offset', () => {
    const dates = calendarDates(compressed);
    expect(dates.map(([k]) => k)).toEqual(originalDates.map(([k]) => k));
    for (const [, date] of dates) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
  });

  it('keeps the order of every pair of dates, ties included', () => {
    const after = new Map(calendarDates(compressed));
    for (const [a, dateA] of originalDates) {
      for (const [b, dateB] of originalDates) {
        const was = Math.sign(momentOf(a, dateA) - momentOf(b, dateB));
        const is = Math.sign(instantOf(after.get(a)!) - instantOf(after.get(b)!));
        if (is !== was) throw new Error(`${a} vs ${b}: was ${was}, now ${is}`);
      }
    }
  });

  it('keeps equal dates equal', () => {
    expect(compressed.letters.OSUT).toBe(compressed.letters.OSNP);
    expect(compressed.letters.OSUT).toBe(compressed.letters.OSVE);
    expect(compressed.washing.OSUT).toBe(compressed.washing.OSVE);
    expect(compressed.letters.OSON).not.toBe(compressed.letters.OSUT);
    // The autumn campaign ends as the November report starts.
    expect(endInstantOf(compressed.phoneCampaigns.autumn.until)).toBe(instantOf(compressed.reports.november));
  });

  it('puts the distinct dates 5 seconds apart, the first at the start', () => {
    const slots = [...new Set(calendarDates(compressed).map(([, d]) => instantOf(d)))].sort((a, b) => a - b);
    const distinctBefore = new Set(originalDates.map(([k, d]) => momentOf(k, d))).size;
    expect(slots).toHaveLength(distinctBefore);
    expect(slots[0]).toBe(start);
    expect(instantOf(compressed.washing.OSON)).toBe(start);
    expect(slots.slice(1).map((s, i) => s - slots[i])).toEqual(Array(slots.length - 1).fill(5000));
    expect(endInstantOf(compressed.schoolYearEnd)).toBe(slots[slots.length - 1]);
  });

  it('makes the SMS delay one step', () => {
    expect(compressed.smsAfterLetters).toBe('PT5S');
    expect(instantAfter('2026-09-10T08:00:00Z', compressed.smsAfterLetters) - instantOf('2026-09-10T08:00:00Z')).toBe(5000);
  });

  it('is still a valid calendar whose phone campaigns end after they start', () => {
    expect(parseCalendar(compressed)).toEqual(compressed);
    for (const span of Object.values(compressed.phoneCampaigns)) {
      expect(endInstantOf(span.until)).toBeGreaterThan(instantOf(span.from));
    }
    expect(endInstantOf(compressed.crosscheck.until)).toBeGreaterThan(instantOf(compressed.crosscheck.from));
  });

  it('leaves its input alone', () => {
    const before = copyOf(cal);
    compressCalendar(cal, start, 5);
    expect(cal).toEqual(before);
  });

  it('gives a one-day span a step of its own', () => {
    const oneDay = withCalendarValue(cal, 'phoneCampaigns.autumn.until', '2026-11-01')!;
    const c = compressCalendar(oneDay, start, 5);
    expect(endInstantOf(c.phoneCampaigns.autumn.until) - instantOf(c.phoneCampaigns.autumn.from)).toBe(5000);
  });
});

describe('parseCalendar and calendarSchema refusals', () => {
  const cal = defaultCalendar(2026);

  function broken(change: (c: any) => void): unknown {
    const c = copyOf(cal);
    change(c);
    return c;
  }

  // A date that is no date must be refused like any other bad value: a CalendarError naming the key.
  it.each([
    ['letters.OSON', '2026-13-40'],
    ['crosscheck.until', 'nope'],
    ['schoolYearEnd', '2027-02-30'],
  ])('refuses a bad date at %s, naming the key', (key, bad) => {
    const raw = withCalendarValue(cal, key, bad);
    expect(refusal(raw)).toMatch(namingKey(key));
  });

  it('reports a bad date through calendarSchema as an issue at its key, without throwing', () => {
    const result = calendarSchema.safeParse(withCalendarValue(cal, 'letters.OSON', '2026-13-40'));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['letters', 'OSON']);
  });

  it('refuses a date that is not a string, naming the key', () => {
    expect(refusal(broken((c) => (c.letters.OSON = 20260910)))).toMatch(/^CalendarError: letters\.OSON: /);
  });

  it('refuses a missing key, naming it', () => {
    expect(refusal(broken((c) => delete c.letters.OSON))).toMatch(/^CalendarError: letters\.OSON: /);
    expect(refusal(broken((c) => delete c.schoolYearEnd))).toMatch(/^CalendarError: schoolYearEnd: /);
    expect(refusal(broken((c) => delete c.phoneCampaigns.winter))).toMatch(/^CalendarError: phoneCampaigns\.winter: /);
  });

  it('refuses an extra key, naming it', () => {
    expect(refusal(broken((c) => (c.extra = '2026-10-01')))).toMatch(/^CalendarError: .*"extra"/);
    const nested = refusal(broken((c) => (c.letters.OSXX = '2026-10-01')));
    expect(nested).toMatch(/^CalendarError: letters: /);
    expect(nested).toMatch(/"OSXX"/);
  });

  it('refuses a span that ends before it starts, naming it', () => {
    expect(refusal(broken((c) => (c.phoneCampaigns.autumn.until = '2026-10-31')))).toMatch(
      /^CalendarError: phoneCampaigns\.autumn must end after it starts/,
    );
    expect(refusal(broken((c) => (c.crosscheck.from = '2026-10-01')))).toMatch(/^CalendarError: crosscheck must end after it starts/);
    // Moments rather than days: a span that ends the moment it starts is empty.
    expect(refusal(broken((c) => (c.phoneCampaigns.winter = { from: '2027-02-01T10:00:00', until: '2027-02-01T10:00:00' })))).toMatch(
      /^CalendarError: phoneCampaigns\.winter must end after it starts/,
    );
  });

  it('accepts a span of a single day', () => {
    expect(refusal(broken((c) => (c.phoneCampaigns.autumn = { from: '2026-11-01', until: '2026-11-01' })))).toBe('(accepted)');
  });

  it('refuses a date after the school year ends, naming it', () => {
    expect(refusal(broken((c) => (c.reports.june = '2027-08-01')))).toMatch(
      /^CalendarError: reports\.june \(2027-08-01\) is not before the school year ends/,
    );
    expect(refusal(broken((c) => (c.schoolYearEnd = '2027-06-01')))).toMatch(
      /^CalendarError: reports\.june \(2027-06-15\) is not before the school year ends/,
    );
  });

  it('accepts a date on the last day of the school year', () => {
    expect(refusal(broken((c) => (c.reports.june = '2027-07-31')))).toBe('(accepted)');
  });

  it.each(['P0D', 'PT0S', 'P', 'P-1D', '14 days', ''])('refuses smsAfterLetters %j, naming it', (bad) => {
    expect(refusal(broken((c) => (c.smsAfterLetters = bad)))).toMatch(/^CalendarError: smsAfterLetters: must be an ISO duration above zero/);
  });

  it('refuses what is not a calendar at all', () => {
    expect(() => parseCalendar(null)).toThrow(CalendarError);
    expect(() => parseCalendar('2026')).toThrow(CalendarError);
  });
});

describe('applyCalendarSettings', () => {
  const cal = defaultCalendar(2026);

  it('changes exactly the keys it is given', () => {
    const before = copyOf(cal);
    const changed = applyCalendarSettings(cal, ['letters.OSON=2026-09-12', 'smsAfterLetters=P10D']);
    expect(changed).toEqual({ ...before, letters: { ...before.letters, OSON: '2026-09-12' }, smsAfterLetters: 'P10D' });
    expect(cal).toEqual(before);
  });

  it('trims spaces around key and value and takes date-times', () => {
    const changed = applyCalendarSettings(cal, [' phoneCampaigns.autumn.from = 2026-11-02T08:00:00 ']);
    expect(changed.phoneCampaigns.autumn.from).toBe('2026-11-02T08:00:00');
  });

  it('lets a later setting override an earlier one', () => {
    expect(applyCalendarSettings(cal, ['letters.OSUT=2026-09-26', 'letters.OSUT=2026-09-27']).letters.OSUT).toBe('2026-09-27');
  });

  function settingRefusal(settings: string[]): string {
    const before = copyOf(cal);
    try {
      applyCalendarSettings(cal, settings);
    } catch (e) {
      expect(cal).toEqual(before);
      return described(e);
    }
    return '(accepted)';
  }

  it.each(['letters.XX=2026-09-12', 'letters=2026-09-12', 'nope=2026-09-12'])('refuses the unknown key in %j, naming it', (setting) => {
    const key = setting.split('=')[0];
    expect(settingRefusal([setting])).toMatch(new RegExp(`${namingKey(key).source} is not a calendar key`));
  });

  it('lists the real keys when refusing an unknown one', () => {
    const message = settingRefusal(['nope=2026-09-12']);
    for (const key of [...ALL_KEYS, 'smsAfterLetters']) expect(message).toContain(key);
  });

  it.each(['letters.OSON', 'letters.OSON 2026-09-12', '=2026-09-12'])('refuses %j for lacking KEY=', (setting) => {
    expect(settingRefusal([setting])).toBe(`CalendarError: "${setting}" is not KEY=DATE`);
  });

  it.each([
    ['smsAfterLetters=P0D', 'smsAfterLetters'],
    ['phoneCampaigns.autumn.until=2026-10-01', 'phoneCampaigns.autumn'],
    ['reports.june=2027-09-01', 'reports.june'],
    ['letters.OSON=2026-13-40', 'letters.OSON'],
  ])('refuses the bad value in %j, naming %s', (setting, key) => {
    expect(settingRefusal([setting])).toMatch(namingKey(key));
  });
});

describe('OS_CODE_TABLE', () => {
  it('is where OS_CODES and the default washing and letter dates come from', () => {
    expect([...OS_CODES]).toEqual(OS_CODE_TABLE.map((row) => row.code));
    expect(OS_CODE_TABLE.map((r) => [r.code, r.washing, r.letters])).toEqual([
      ['OSON', '08-25', '09-10'],
      ['OSUT', '09-29', '09-25'],
      ['OSNP', '09-29', '09-25'],
      ['OSVE', '09-29', '09-25'],
    ]);
    const cal = defaultCalendar(2031);
    for (const row of OS_CODE_TABLE) {
      expect(cal.washing[row.code]).toBe(`2031-${row.washing}`);
      expect(cal.letters[row.code]).toBe(`2031-${row.letters}`);
      expect(row.meaning).toMatch(/\w/);
      expect(row.demoWeight).toBeGreaterThan(0);
    }
  });

  /** The modules loaded again with one more row in the table, as a later release would have them. */
  function withExtraCode(row: OsCodeRow): {
    calendar: typeof import('../../workflows/calendar');
    settings: typeof import('../../domain/calendar-settings');
  } {
    let loaded!: ReturnType<typeof withExtraCode>;
    jest.isolateModules(() => {
      jest.doMock('../../schemas/ot-codes', () => {
        const actual = jest.requireActual('../../schemas/ot-codes');
        return { ...actual, OS_CODE_TABLE: [...actual.OS_CODE_TABLE, row], OS_CODES: [...actual.OS_CODES, row.code] };
      });
      loaded = { calendar: require('../../workflows/calendar'), settings: require('../../domain/calendar-settings') };
      jest.dontMock('../../schemas/ot-codes');
    });
    return loaded;
  }
  const OSNY: OsCodeRow = { code: 'OSNY', meaning: 'a code added later', washing: '09-15', letters: '10-05', demoWeight: 1 };

  it('gives a code added to it its dates in the default calendar and a place in the calendar schema', () => {
    const later = withExtraCode(OSNY);
    const cal = later.calendar.defaultCalendar(2031);
    expect((cal.washing as Record<string, string>).OSNY).toBe('2031-09-15');
    expect((cal.letters as Record<string, string>).OSNY).toBe('2031-10-05');
    expect(later.settings.parseCalendar(cal)).toEqual(cal);
    // This module's table is not changed by another load.
    expect(Object.keys(defaultCalendar(2031).letters)).toEqual([...OS_CODES]);
  });

  it('fills a calendar stored before the code was added from its year (withDefaults)', () => {
    const later = withExtraCode(OSNY);
    const stored = compressCalendar(defaultCalendar(2031), Date.parse('2031-08-20T08:00:00Z'), 5);
    const filled = later.calendar.withDefaults(stored, 2031) as CampaignCalendar & {
      letters: Record<string, string>;
      washing: Record<string, string>;
    };
    expect(filled.letters).toEqual({ ...stored.letters, OSNY: '2031-10-05' });
    expect(filled.washing).toEqual({ ...stored.washing, OSNY: '2031-09-15' });
    expect({ ...filled, letters: stored.letters, washing: stored.washing }).toEqual(stored);
  });
});

describe('withDefaults', () => {
  const stored = compressCalendar(defaultCalendar(2031), Date.parse('2031-08-20T08:00:00Z'), 5);

  it('returns a calendar with every code as it is', () => {
    expect(withDefaults(stored, 2031)).toBe(stored);
  });

  it("fills a missing code's washing and letter date from the year's defaults and keeps the others", () => {
    const lacking = copyOf(stored);
    delete lacking.letters.OSVE;
    delete lacking.washing.OSNP;
    const before = copyOf(lacking);
    const filled = withDefaults(lacking, 2031);
    expect(filled.letters).toEqual({ ...stored.letters, OSVE: '2031-09-25' });
    expect(filled.washing).toEqual({ ...stored.washing, OSNP: '2031-09-29' });
    expect(Object.keys(filled.letters)).toEqual([...OS_CODES]);
    expect(lacking).toEqual(before);
    expect(filled.schoolYearEnd).toBe(stored.schoolYearEnd);
  });

  it('keeps the key of a code that is no longer in the table', () => {
    const extra = copyOf(stored);
    extra.letters.OSOLD = '2031-09-01';
    expect(withDefaults(extra, 2031)).toBe(extra);
  });
});

describe('letterDates', () => {
  it('gives the distinct letter dates, earliest first, with the codes on each', () => {
    expect(letterDates(defaultCalendar(2026))).toEqual([
      { date: '2026-09-10', at: Date.parse('2026-09-09T22:00:00Z'), codes: ['OSON'] },
      { date: '2026-09-25', at: Date.parse('2026-09-24T22:00:00Z'), codes: ['OSUT', 'OSNP', 'OSVE'] },
    ]);
  });

  it('takes the same moment written two ways as one date, and sorts by moment', () => {
    const cal = copyOf(defaultCalendar(2026));
    cal.letters = { OSON: '2026-10-01', OSUT: '2026-09-25T00:00:00', OSNP: '2026-09-25', OSVE: '2026-09-30T12:00:00+02:00' };
    expect(letterDates(cal).map((d) => [d.date, d.codes])).toEqual([
      ['2026-09-25T00:00:00', ['OSUT', 'OSNP']],
      ['2026-09-30T12:00:00+02:00', ['OSVE']],
      ['2026-10-01', ['OSON']],
    ]);
  });
});

describe('calendarShape and calendarIssues', () => {
  const cal = defaultCalendar(2026);

  it('checks values one by one in calendarShape, and across them in calendarIssues', () => {
    const backwards = withCalendarValue(cal, 'phoneCampaigns.autumn.until', '2026-10-31')!;
    expect(calendarShape.safeParse(backwards).success).toBe(true);
    expect(calendarIssues(backwards)).toEqual([{ path: ['phoneCampaigns', 'autumn'], message: 'phoneCampaigns.autumn must end after it starts' }]);
    expect(calendarSchema.safeParse(backwards).success).toBe(false);
    expect(calendarIssues(cal)).toEqual([]);
  });

  it('has nothing to say across a calendar whose dates are not all dates', () => {
    expect(calendarIssues(withCalendarValue(cal, 'letters.OSON', 'nope')!)).toEqual([]);
  });
});
