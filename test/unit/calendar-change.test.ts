import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { decryptPayload } from '../../runtime/payload-codec';
import { parsePayloadKeys } from '../../runtime/payload-keys';
import type { CampaignCalendar } from '../../schemas/calendar';
import type { PayloadKeyRing } from '../../schemas/config';
import { compressCalendar, defaultCalendar, withCalendarValue } from '../../workflows/calendar';
import { calendarChangeProblem } from '../../workflows/calendar-change';

/** What the case workflow does with a calendarChanged signal: follows it when calendarChangeProblem finds nothing, else keeps its own. */
const cal = defaultCalendar(2026);
const signal = (calendar: unknown, version: unknown = 2) => ({ version, calendar });

describe('calendarChangeProblem', () => {
  it('takes every calendar a cohort can have: the default, a compressed one, one changed by a key', () => {
    expect(calendarChangeProblem(signal(cal))).toBeUndefined();
    expect(calendarChangeProblem(signal(compressCalendar(cal, Date.UTC(2026, 7, 1), 60)))).toBeUndefined();
    expect(calendarChangeProblem(signal(withCalendarValue(cal, 'letters.OSUT', '2026-09-26T10:00:00.000Z')))).toBeUndefined();
  });

  it('takes a calendar with an OS code this release does not know, and one lacking a code it knows (new-os-code.test.ts)', () => {
    expect(
      calendarChangeProblem(signal({ ...cal, letters: { ...cal.letters, OSNY: '2026-10-05' }, washing: { ...cal.washing, OSNY: '2026-09-15' } })),
    ).toBeUndefined();
    const { OSVE: _, ...lacking } = cal.letters;
    expect(calendarChangeProblem(signal({ ...cal, letters: lacking }))).toBeUndefined();
  });

  it.each([
    ['nothing', undefined, 'the signal: '],
    ['null', null, 'the signal: '],
    ['a calendar without a version', { calendar: cal }, 'version: '],
    ['a version that is not a number', signal(cal, '3'), 'version: '],
    ['no calendar', { version: 2 }, 'calendar: '],
    ['a calendar that is a string', signal('2026-09-10'), 'calendar: '],
    ['a calendar without its year end', signal({ ...cal, schoolYearEnd: undefined }), 'calendar.schoolYearEnd: '],
    ['a letter date that is no date', signal(withCalendarValue(cal, 'letters.OSON', '2026-13-40')), 'calendar.letters.OSON: must be a date'],
    [
      'a phone campaign without its end',
      signal({ ...cal, phoneCampaigns: { ...cal.phoneCampaigns, autumn: { from: '2026-11-01' } } }),
      'calendar.phoneCampaigns.autumn.until: ',
    ],
    ['an SMS delay that is no duration', signal({ ...cal, smsAfterLetters: 14 }), 'calendar.smsAfterLetters: '],
    ['an SMS delay past any moment', signal({ ...cal, smsAfterLetters: 'P99999999D' }), 'calendar.smsAfterLetters: must be an ISO duration'],
    ['a key no calendar has', signal({ ...cal, holidays: ['2026-12-24'] }), 'calendar: holds a key that is not a calendar key'],
    [
      'a phone campaign that ends before it starts',
      signal(withCalendarValue(cal, 'phoneCampaigns.winter.until', '2027-01-01')),
      'phoneCampaigns.winter must end after it starts',
    ],
    [
      'a report after the year ends',
      signal(withCalendarValue(cal, 'reports.june', '2027-08-15')),
      'reports.june (2027-08-15) is not before the school year ends',
    ],
  ])('refuses %s, saying where', (_, next, reason) => {
    expect(calendarChangeProblem(next)).toMatch(new RegExp(`^${reason.replace(/[.()]/g, '\\$&')}`));
  });

  it('never repeats what it does not know: the reason may be logged', () => {
    const named = signal({ ...cal, letters: { ...cal.letters, 'Kari Nordmann 01020312345': '2026-09-10' } });
    const reason = calendarChangeProblem(named)!;
    expect(reason).toBe('calendar.letters.(key): not an OS code');
    expect(calendarChangeProblem(signal({ ...cal, 'Kari Nordmann': 1 }))).not.toMatch(/Kari/);
  });
});

describe('the calendars in the recorded histories', () => {
  const DIR = path.join(__dirname, '..', 'replay', 'histories');
  // Recorded since the payload codec, a history's payloads are encrypted under the recordings' committed test key.
  const KEYS_FILE = path.join(__dirname, '..', 'replay', 'payload-keys');
  const ring: PayloadKeyRing = { keys: parsePayloadKeys(readFileSync(KEYS_FILE, 'utf8'), KEYS_FILE), source: { kind: 'file', file: KEYS_FILE } };
  const json = (p: temporal.api.common.v1.IPayload) => JSON.parse(Buffer.from(decryptPayload(p, ring).data!).toString('utf8')) as unknown;

  /** Every calendar a recorded case took: the one it started with, and each it was signalled. */
  const calendars = readdirSync(DIR)
    .filter((f) => f.startsWith('youth-case-') && f.endsWith('.binpb'))
    .flatMap((f) =>
      (temporal.api.history.v1.History.decode(readFileSync(path.join(DIR, f))).events ?? []).flatMap((e): [string, unknown][] => {
        const started = e.workflowExecutionStartedEventAttributes;
        if (started) return [[`${f} start`, (json(started.input!.payloads![0]) as { calendar: CampaignCalendar }).calendar]];
        const signalled = e.workflowExecutionSignaledEventAttributes;
        if (signalled?.signalName === 'calendarChanged') return [[`${f} signal ${String(e.eventId)}`, json(signalled.input!.payloads![0])]];
        return [];
      }),
    );

  it('are there to check: each case started with one, and calendar changes were signalled', () => {
    expect(calendars.filter(([what]) => what.endsWith('start')).length).toBeGreaterThanOrEqual(16);
    expect(calendars.filter(([what]) => what.includes('signal')).length).toBeGreaterThanOrEqual(16);
  });

  it('all pass the check: no case that ran before it would have left one aside', () => {
    expect(calendars.map(([what, next]) => [what, calendarChangeProblem(next) ?? null]).filter(([, problem]) => problem)).toEqual([]);
  });
});
