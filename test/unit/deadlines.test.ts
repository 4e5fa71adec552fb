import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import type { CampaignCalendar } from '../../schemas/calendar';
import { compressCalendar, defaultCalendar, withCalendarValue } from '../../workflows/calendar';
import { nextDeadline, type Deadline } from '../../workflows/youth-case/deadlines';
import {
  youthCaseMachine,
  type CaseEvent,
  type CaseFacts,
  type CaseInput,
  type CaseStage,
  type SystemEvent,
} from '../../workflows/youth-case/machine';

/**
 * What the calendar makes due next for a case, for contexts reached by driving the real machine.
 * Expected instants are written out in UTC by hand (Oslo is UTC+2 in summer, UTC+1 in winter).
 */

type Snapshot = SnapshotFrom<typeof youthCaseMachine>;

const utc = (iso: string) => Date.parse(iso);
const cal = defaultCalendar(2026);

function input(over: Partial<CaseInput> = {}, facts: Partial<CaseFacts> = {}): CaseInput {
  return {
    caseId: '0123456789abcdef01234567',
    schoolYear: 2026,
    unit: '12250',
    osCode: 'OSON',
    ...over,
    facts: { fictitiousId: false, hasAddress: true, hasMobile: true, under18: false, ...facts },
  };
}

function start(caseInput: CaseInput = input()): Snapshot {
  return initialTransition(youthCaseMachine, caseInput)[0];
}

function send(snapshot: Snapshot, ...events: CaseEvent[]): Snapshot {
  return events.reduce((s, e) => transition(youthCaseMachine, s, e)[0], snapshot);
}

const stageOf = (s: Snapshot) => s.value as CaseStage;

function deadline(s: Snapshot, now: number, calendar: CampaignCalendar = cal): Deadline {
  return nextDeadline(stageOf(s), s.context, calendar, now);
}

const LETTER_DUE: CaseEvent = { type: 'LETTER_DUE' };
const lettersSent = (sentOn: string): CaseEvent => ({ type: 'LETTERS_SENT', sentOn, batchId: 'b1' });
const SMS_DUE: CaseEvent = { type: 'SMS_DUE' };
const smsSent = (sentOn: string): CaseEvent => ({ type: 'SMS_SENT', sentOn });
const campaignStarted = (campaign: 'autumn' | 'winter'): CaseEvent => ({ type: 'PHONE_CAMPAIGN_STARTED', campaign });
const CAMPAIGN_ENDED: CaseEvent = { type: 'PHONE_CAMPAIGN_ENDED' };

/** Moments of the default 2026 calendar, in UTC. */
const AUG_1 = utc('2026-07-31T22:00:00Z');
const OSON_LETTERS = utc('2026-09-09T22:00:00Z');
const OSUT_LETTERS = utc('2026-09-24T22:00:00Z');
const AUTUMN_FROM = utc('2026-10-31T23:00:00Z');
const AUTUMN_END = utc('2026-11-14T23:00:00Z');
const WINTER_FROM = utc('2027-01-31T23:00:00Z');
const WINTER_END = utc('2027-02-14T23:00:00Z');
const YEAR_END = utc('2027-07-31T22:00:00Z');

const YEAR_ENDED: Deadline = { event: { type: 'SCHOOL_YEAR_ENDED' }, at: YEAR_END };

/** Cases with their letters sent on 10 Sep, in each stage that still waits for SMS or phone. */
const afterLetters = () => send(start(), LETTER_DUE, lettersSent('2026-09-10'));
const WAITING_FOR_PHONE: [string, () => Snapshot][] = [
  ['smsDue', () => send(afterLetters(), SMS_DUE)],
  ['smsSent', () => send(afterLetters(), SMS_DUE, smsSent('2026-09-25'))],
  ['noMobile', () => send(start(input({}, { hasMobile: false })), LETTER_DUE, lettersSent('2026-09-10'), SMS_DUE)],
];

describe('awaitingLetter', () => {
  it('is due a letter on the letter date of its OS code', () => {
    const oson = start(input({ osCode: 'OSON' }));
    const osut = start(input({ osCode: 'OSUT' }));
    expect(stageOf(oson)).toBe('awaitingLetter');
    expect(deadline(oson, AUG_1)).toEqual({ event: { type: 'LETTER_DUE' }, at: OSON_LETTERS });
    expect(deadline(osut, AUG_1)).toEqual({ event: { type: 'LETTER_DUE' }, at: OSUT_LETTERS });
  });

  it('has no letter due, and waits for the year end, on a calendar without its OS code', () => {
    const lacking = JSON.parse(JSON.stringify(cal));
    delete lacking.letters.OSUT;
    const osut = start(input({ osCode: 'OSUT' }));
    expect(deadline(osut, AUG_1, lacking)).toEqual(YEAR_ENDED);
    // The other codes keep their letter dates.
    expect(deadline(start(input({ osCode: 'OSON' })), AUG_1, lacking)).toEqual({ event: { type: 'LETTER_DUE' }, at: OSON_LETTERS });
    // A calendar with the date (the calendarChanged signal) makes the letter due again.
    expect(deadline(osut, AUG_1, cal)).toEqual({ event: { type: 'LETTER_DUE' }, at: OSUT_LETTERS });
  });

  it('is still due the letter, at once, once the date has passed', () => {
    const late = utc('2026-10-20T12:00:00Z');
    const due = deadline(start(), late);
    expect(due).toEqual({ event: { type: 'LETTER_DUE' }, at: OSON_LETTERS });
    expect(due.at).toBeLessThan(late);
  });

  it('is not called in a phone campaign before its letter has gone', () => {
    expect(deadline(start(), utc('2026-11-05T12:00:00Z')).event.type).toBe('LETTER_DUE');
  });
});

describe('letterSent', () => {
  it('is due the SMS two weeks after the letters went', () => {
    const s = afterLetters();
    expect(stageOf(s)).toBe('letterSent');
    expect(deadline(s, OSON_LETTERS)).toEqual({ event: { type: 'SMS_DUE' }, at: utc('2026-09-23T22:00:00Z') });
  });

  it('counts the two weeks from the moment the letters went when that is a date-time', () => {
    const s = send(start(), LETTER_DUE, lettersSent('2026-09-10T14:30:00+02:00'));
    expect(deadline(s, OSON_LETTERS)).toEqual({ event: { type: 'SMS_DUE' }, at: utc('2026-09-24T12:30:00Z') });
  });

  it('joins the phone campaign first when it starts before the SMS is due', () => {
    // Letters on 30 Oct put the SMS two weeks on, into the campaign that starts on 1 Nov.
    const s = send(start(), LETTER_DUE, lettersSent('2026-10-30'));
    expect(deadline(s, utc('2026-10-30T12:00:00Z'))).toEqual({ event: { type: 'PHONE_CAMPAIGN_STARTED', campaign: 'autumn' }, at: AUTUMN_FROM });
  });

  it('is due the SMS at once when it is overdue', () => {
    const now = utc('2026-10-10T12:00:00Z');
    const due = deadline(afterLetters(), now);
    expect(due.event.type).toBe('SMS_DUE');
    expect(due.at).toBeLessThan(now);
  });
});

describe.each(WAITING_FOR_PHONE)('%s', (stage, reach) => {
  it('is in the stage the test means', () => {
    expect(stageOf(reach())).toBe(stage);
  });

  it('is next called in the autumn campaign', () => {
    expect(deadline(reach(), utc('2026-10-01T12:00:00Z'))).toEqual({
      event: { type: 'PHONE_CAMPAIGN_STARTED', campaign: 'autumn' },
      at: AUTUMN_FROM,
    });
  });

  it('joins the autumn campaign at once while it is under way', () => {
    for (const now of [AUTUMN_FROM, utc('2026-11-07T12:00:00Z'), AUTUMN_END - 1]) {
      const due = deadline(reach(), now);
      expect(due.event).toEqual({ type: 'PHONE_CAMPAIGN_STARTED', campaign: 'autumn' });
      expect(due.at).toBeLessThanOrEqual(now);
    }
  });

  it('does not join the autumn campaign late once it is over, but waits for winter', () => {
    for (const now of [AUTUMN_END, utc('2026-12-01T12:00:00Z')]) {
      expect(deadline(reach(), now)).toEqual({ event: { type: 'PHONE_CAMPAIGN_STARTED', campaign: 'winter' }, at: WINTER_FROM });
    }
  });

  it('waits for the end of the school year once both campaigns are over', () => {
    expect(deadline(reach(), WINTER_END)).toEqual(YEAR_ENDED);
    expect(deadline(reach(), utc('2027-05-01T12:00:00Z'))).toEqual(YEAR_ENDED);
  });
});

describe('phoneCampaign', () => {
  const inAutumn = () => send(afterLetters(), SMS_DUE, smsSent('2026-09-25'), campaignStarted('autumn'));

  it('ends the campaign at the end of its last day', () => {
    const s = inAutumn();
    expect(stageOf(s)).toBe('phoneCampaign');
    expect(deadline(s, AUTUMN_FROM)).toEqual({ event: { type: 'PHONE_CAMPAIGN_ENDED' }, at: AUTUMN_END });
    const winter = send(s, CAMPAIGN_ENDED, campaignStarted('winter'));
    expect(deadline(winter, WINTER_FROM)).toEqual({ event: { type: 'PHONE_CAMPAIGN_ENDED' }, at: WINTER_END });
  });

  it('does not join a campaign again once it has been through it', () => {
    const s = send(inAutumn(), CAMPAIGN_ENDED);
    expect(stageOf(s)).toBe('smsSent');
    expect(s.context.phoneCampaignsDone).toEqual(['autumn']);
    // Even with the clock inside the autumn campaign, the case waits for winter.
    expect(deadline(s, utc('2026-11-07T12:00:00Z'))).toEqual({ event: { type: 'PHONE_CAMPAIGN_STARTED', campaign: 'winter' }, at: WINTER_FROM });
  });

  it('has the SMS fall due during the campaign when it was not yet due on joining', () => {
    const s = send(start(), LETTER_DUE, lettersSent('2026-10-30'), campaignStarted('autumn'));
    expect(stageOf(s)).toBe('phoneCampaign');
    const due = deadline(s, AUTUMN_FROM);
    expect(due.event.type).toBe('SMS_DUE');
    expect(due.at).toBeLessThan(AUTUMN_END);
    const after = send(s, SMS_DUE);
    expect(deadline(after, due.at)).toEqual({ event: { type: 'PHONE_CAMPAIGN_ENDED' }, at: AUTUMN_END });
    expect(stageOf(send(after, CAMPAIGN_ENDED))).toBe('smsDue');
  });

  it('after both campaigns waits only for the end of the school year', () => {
    const s = send(inAutumn(), CAMPAIGN_ENDED, campaignStarted('winter'), CAMPAIGN_ENDED);
    expect(s.context.phoneCampaignsDone).toEqual(['autumn', 'winter']);
    expect(deadline(s, AUTUMN_FROM)).toEqual(YEAR_ENDED);
  });
});

describe('stages with nothing on the calendar', () => {
  const reply: CaseEvent = { type: 'REPLY', channel: 'phone', by: 'Nils Rådgjevar' };
  const outcome = (status: 'OTOV' | 'OTOA'): CaseEvent => ({ type: 'OUTCOME', status, channel: 'phone', by: 'Nils Rådgjevar' });

  const CASES: [CaseStage, () => Snapshot][] = [
    ['letterDue', () => send(start(), LETTER_DUE)],
    ['needsAddress', () => start(input({}, { hasAddress: false }))],
    ['caseworkerFollowUp', () => start(input({ washedStatus: 'OTOV', caseworker: 'Nils Rådgjevar' }))],
    ['feil', () => start(input({}, { fictitiousId: true, hasAddress: false }))],
    ['notInTargetGroup', () => start(input({ washedStatus: 'OTFU_IM' }))],
    // Reached straight after the letter: the SMS would otherwise have been due.
    ['contactEstablished', () => send(afterLetters(), reply)],
    ['underFollowUp', () => send(afterLetters(), outcome('OTOV'))],
    // Reached during a phone campaign: the campaign's end no longer matters.
    ['resolved', () => send(afterLetters(), SMS_DUE, campaignStarted('autumn'), outcome('OTOA'))],
  ];

  it.each(CASES)('%s waits only for the end of the school year', (stage, reach) => {
    const s = reach();
    expect(stageOf(s)).toBe(stage);
    for (const now of [AUG_1, OSON_LETTERS, utc('2026-11-07T12:00:00Z'), utc('2027-02-07T12:00:00Z'), YEAR_END - 1]) {
      expect(deadline(s, now)).toEqual(YEAR_ENDED);
    }
  });
});

describe('ties', () => {
  it('sends the letter before the year ends when both fall on the same moment', () => {
    const calendar = withCalendarValue(cal, 'letters.OSON', '2027-08-01T00:00:00+02:00')!;
    expect(deadline(start(), AUG_1, calendar)).toEqual({ event: { type: 'LETTER_DUE' }, at: YEAR_END });
  });

  it('joins a campaign before the year ends when both fall on the same moment', () => {
    const calendar = withCalendarValue(cal, 'phoneCampaigns.winter.from', '2027-08-01T00:00:00+02:00')!;
    const s = send(afterLetters(), SMS_DUE, smsSent('2026-09-25'), campaignStarted('autumn'), CAMPAIGN_ENDED);
    expect(deadline(s, AUTUMN_END, calendar)).toEqual({ event: { type: 'PHONE_CAMPAIGN_STARTED', campaign: 'winter' }, at: YEAR_END });
  });
});

describe('a whole school year', () => {
  /**
   * Drives a case through the year by always sending the deadline it is given, and playing the
   * mass operations the workflow would (the office confirms the letters, the SMS goes out) at once.
   */
  function walk(caseInput: CaseInput, calendar: CampaignCalendar, startAt: number): string[] {
    let s = start(caseInput);
    let now = startAt;
    const seen: string[] = [];
    const record = (e: SystemEvent) => seen.push(e.type === 'PHONE_CAMPAIGN_STARTED' ? `${e.type}:${e.campaign}` : e.type);
    for (let step = 0; s.status === 'active'; step++) {
      if (step > 20) throw new Error(`no end after ${seen.join(', ')}`);
      const { event, at } = nextDeadline(stageOf(s), s.context, calendar, now);
      now = Math.max(now, at);
      record(event);
      s = send(s, event);
      const followUp: SystemEvent | undefined =
        stageOf(s) === 'letterDue'
          ? { type: 'LETTERS_SENT', sentOn: new Date(now).toISOString(), batchId: 'b1' }
          : stageOf(s) === 'smsDue'
            ? { type: 'SMS_SENT', sentOn: new Date(now).toISOString() }
            : undefined;
      if (followUp) {
        record(followUp);
        s = send(s, followUp);
      }
    }
    expect(stageOf(s)).toBe('closed');
    return seen;
  }

  const STEP_START = utc('2026-08-01T08:00:00Z');
  const compressed = compressCalendar(cal, STEP_START, 5);

  const WITH_MOBILE = [
    'LETTER_DUE',
    'LETTERS_SENT',
    'SMS_DUE',
    'SMS_SENT',
    'PHONE_CAMPAIGN_STARTED:autumn',
    'PHONE_CAMPAIGN_ENDED',
    'PHONE_CAMPAIGN_STARTED:winter',
    'PHONE_CAMPAIGN_ENDED',
    'SCHOOL_YEAR_ENDED',
  ];
  const WITHOUT_MOBILE = WITH_MOBILE.filter((t) => t !== 'SMS_SENT');

  it.each([
    ['OSON with a mobile', input({ osCode: 'OSON' }), WITH_MOBILE],
    ['OSUT with a mobile', input({ osCode: 'OSUT' }), WITH_MOBILE],
    ['OSVE without a mobile', input({ osCode: 'OSVE' }, { hasMobile: false }), WITHOUT_MOBILE],
  ])('goes the same way for %s on the real and the compressed calendar', (_, caseInput, expected) => {
    expect(walk(caseInput, cal, AUG_1)).toEqual(expected);
    expect(walk(caseInput, compressed, STEP_START)).toEqual(expected);
  });

  it('ends a compressed year within seconds of its start', () => {
    // 16 distinct moments 5 s apart (1 January, ageOut, among them): the last, the end of the school year, is 75 s after the first.
    expect(nextDeadline('feil', start(input({}, { fictitiousId: true, hasAddress: false })).context, compressed, STEP_START).at).toBe(
      STEP_START + 75_000,
    );
  });
});
