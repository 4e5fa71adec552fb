import { EVENT_NAMES, journalEventName } from '../../client/console/src/pages/cases/case-words';
import { deadlineWords } from '../../client/console/src/deadline-words';
import type { CaseEvent } from '../../workflows/youth-case/machine';

/**
 * Every event the case journals, by its type. The Record makes the compiler name each one, so an event added to the
 * machine fails here until the console has words for it (the console may not import workflows/, so it cannot check itself).
 */
const JOURNALLED: Record<CaseEvent['type'], true> = {
  CLAIM: true,
  REPLY: true,
  OUTCOME: true,
  CONTACT: true,
  CALL: true,
  PLAN: true,
  REVIEW: true,
  LETTER_DUE: true,
  LETTERS_SENT: true,
  SMS_DUE: true,
  SMS_SENT: true,
  SECOND_SMS_SENT: true,
  PHONE_CAMPAIGN_STARTED: true,
  PHONE_CAMPAIGN_ENDED: true,
  LETTER_RETURNED: true,
  CROSSCHECK_MATCHED: true,
  RETURNED_TO_VIGO: true,
  CALL_MOVED: true,
  AGED_OUT: true,
  SCHOOL_YEAR_ENDED: true,
  REVIEW_DUE: true,
  REVIEW_OVERDUE: true,
};

describe("the console's words for the journal", () => {
  it.each(['nn', 'nb'] as const)('names every event the case journals in %s, not by its code', (lang) => {
    const missing = Object.keys(JOURNALLED).filter((type) => !EVENT_NAMES[lang][type] || EVENT_NAMES[lang][type] === type);
    expect(missing).toEqual([]);
  });

  it('says of a letter that went after the case moved on that it changed no code', () => {
    const late = { event: 'LETTERS_SENT', detail: { sentOn: '2026-09-10', batchId: 'b', late: 'true' } };
    expect(journalEventName('nn', late)).toBe('Brevet sendt etter at saka gjekk vidare (koden står)');
    expect(journalEventName('nb', late)).toBe('Brevet sendt etter at saken gikk videre (koden står)');
    expect(journalEventName('nn', { event: 'LETTERS_SENT', detail: { sentOn: '2026-09-10', batchId: 'b' } })).toBe(EVENT_NAMES.nn.LETTERS_SENT);
  });
});

describe("the console's words for a staff deadline", () => {
  it('says working days in Nynorsk and Bokmål, and leaves an ISO duration as the calendar has it', () => {
    expect(deadlineWords('10 working days', 'nn')).toBe('10 arbeidsdagar');
    expect(deadlineWords('10 working days', 'nb')).toBe('10 arbeidsdager');
    expect(deadlineWords('1 working day', 'nn')).toBe('1 arbeidsdag');
    expect(deadlineWords('PT90S', 'nn')).toBe('PT90S');
  });
});
