import { claimBody, contactBody, outcomeBody, replyBody, returnedLetterBody } from '../../client/api/bodies';
import type { z } from 'zod';
import { CalendarError, parseCalendar } from '../../domain/calendar-settings';
import { ADDRESS_LINE_MAX, CALENDAR_VALUE_MAX, EMAIL_MAX, IDENTIFIER_MAX, NAME_MAX, NOTE_MAX, PHONE_MAX } from '../../schemas/limits';
import { mobileSchema } from '../../schemas/mobile';
import { makeNationalId } from '../../schemas/national-id';
import { callRegistrationSchema, requestProblems, smsAssignmentSchema } from '../../schemas/requests';
import { parseInboundSms, SmsPayloadError } from '../../schemas/sms-gateway';
import { unitSchema } from '../../schemas/units';
import { guardianSchema, postalAddressSchema, vigoRowSchema } from '../../schemas/vigo-row';
import { defaultCalendar, withCalendarValue } from '../../workflows/calendar';
import { oversizeOf, refusalOf, type CaseRequest } from '../../workflows/youth-case/refusals';
import { initialTransition } from 'xstate';
import { youthCaseMachine, type CaseInput } from '../../workflows/youth-case/machine';

/** A text of exactly `n` characters, with letters that take two bytes in UTF-8 as Norwegian names do. */
const text = (n: number) => 'Æøå '.repeat(Math.ceil(n / 4)).slice(0, n - 1) + 'x';

/** The one line a front end would show for a refused request, or undefined when it is accepted. */
function problems(schema: z.ZodType, body: unknown): string | undefined {
  const parsed = schema.safeParse(body);
  return parsed.success ? undefined : requestProblems(parsed.error);
}

/** Every field of a request schema a person writes, with its limit and a body that is valid but for it. */
const REQUEST_FIELDS: [string, z.ZodType, string, number, (value: string) => unknown][] = [
  ['call', callRegistrationSchema, 'note', NOTE_MAX, (note) => ({ result: 'notReached', note })],
  ['call', callRegistrationSchema, 'forwardTo', NAME_MAX, (forwardTo) => ({ result: 'reached', forwardTo })],
  ['outcome', outcomeBody, 'note', NOTE_MAX, (note) => ({ status: 'OTOV', channel: 'phone', note })],
  ['reply', replyBody, 'forwardTo', NAME_MAX, (forwardTo) => ({ channel: 'phone', forwardTo })],
  ['reply', replyBody, 'note', NOTE_MAX, (note) => ({ channel: 'phone', note })],
  ['claim', claimBody, 'caseworker', NAME_MAX, (caseworker) => ({ caseworker })],
  ['returned letter', returnedLetterBody, 'note', NOTE_MAX, (note) => ({ note })],
  ['contact', contactBody, 'note', NOTE_MAX, (note) => ({ mobile: '+4791234567', source: 'nav', note })],
];

describe('the request schemas', () => {
  it.each(REQUEST_FIELDS)('%s: refuses %s one character over its limit (%i), naming the field', (_, schema, field, max, body) => {
    expect(problems(schema, body(text(max + 1)))).toBe(`${field}: at most ${max} characters`);
  });

  it.each(REQUEST_FIELDS)('%s: accepts %s of exactly its limit (%i)', (_, schema, _field, max, body) => {
    expect(problems(schema, body(text(max)))).toBeUndefined();
  });

  it('counts a name after trimming it, as it is recorded', () => {
    expect(problems(callRegistrationSchema, { result: 'reached', forwardTo: `  ${text(NAME_MAX)}  ` })).toBeUndefined();
  });

  it('still names the field once for its other refusals', () => {
    expect(problems(smsAssignmentSchema, { caseId: 'nope' })).toMatch(/^caseId: /);
  });
});

describe('the VIGO transfer row', () => {
  const row = {
    fodselsnummer: makeNationalId('2009-01-10', 1)!,
    fornavn: 'Kari',
    etternavn: 'Nordmann',
    ot_eining: '12250',
    os_kode: 'OSON',
  };
  const COLUMNS: [string, number][] = [
    ['fornavn', NAME_MAX],
    ['etternavn', NAME_MAX],
    ['adresse', ADDRESS_LINE_MAX],
    ['poststad', ADDRESS_LINE_MAX],
    ['adresse2', ADDRESS_LINE_MAX],
    ['poststad2', ADDRESS_LINE_MAX],
    ['epost', EMAIL_MAX],
    ['saksbehandlar', NAME_MAX],
    ['foresatt1_namn', NAME_MAX],
    ['foresatt1_adresse', ADDRESS_LINE_MAX],
    ['foresatt1_poststad', ADDRESS_LINE_MAX],
    ['foresatt2_namn', NAME_MAX],
    ['foresatt2_adresse', ADDRESS_LINE_MAX],
    ['foresatt2_poststad', ADDRESS_LINE_MAX],
  ];
  // The import shows a rejected row's first message alone, so the message itself names the column.
  it.each(COLUMNS)('refuses %s one character over its limit (%i), naming the column', (column, max) => {
    const parsed = vigoRowSchema.safeParse({ ...row, [column]: text(max + 1) });
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([`${column}: at most ${max} characters`]);
  });

  it.each(COLUMNS)('accepts %s of exactly its limit (%i), padded as Excel pads', (column, max) => {
    expect(vigoRowSchema.safeParse({ ...row, [column]: ` ${text(max)} ` }).success).toBe(true);
  });

  it('refuses a mobile cell longer than any way of writing a number', () => {
    expect(vigoRowSchema.safeParse({ ...row, mobil: '9'.repeat(PHONE_MAX + 1) }).error?.issues[0].message).toBe(
      `mobil: at most ${PHONE_MAX} characters`,
    );
    expect(mobileSchema.safeParse(`+47 912 34 567${' '.repeat(PHONE_MAX - 14)}`).data).toBe('+4791234567');
  });
});

describe('addresses, guardians and units', () => {
  it.each([
    ['street', ADDRESS_LINE_MAX],
    ['city', ADDRESS_LINE_MAX],
  ])('a postal address refuses a %s over %i characters and takes one of exactly that', (field, max) => {
    const address = { street: 'Storgata 1', postcode: '5003', city: 'Bergen' };
    expect(postalAddressSchema.safeParse({ ...address, [field]: text(max + 1) }).error?.issues[0].message).toBe(
      `${field}: at most ${max} characters`,
    );
    expect(postalAddressSchema.safeParse({ ...address, [field]: text(max) }).success).toBe(true);
  });

  it('a guardian refuses a name over NAME_MAX', () => {
    expect(guardianSchema.safeParse({ name: text(NAME_MAX + 1) }).error?.issues[0].message).toBe(`name: at most ${NAME_MAX} characters`);
    expect(guardianSchema.safeParse({ name: text(NAME_MAX) }).success).toBe(true);
  });

  const unit = { code: '12250', name: 'Bergen Sentrum', contact: { name: 'Oppfølgingstenesta' }, staff: ['Kari Ringjar'] };
  it.each([
    ['unit name', NAME_MAX, (v: string) => ({ ...unit, name: v })],
    ['contact name', NAME_MAX, (v: string) => ({ ...unit, contact: { name: v } })],
    ['contact phone', PHONE_MAX, (v: string) => ({ ...unit, contact: { name: 'OT', phone: v } })],
    ['contact email', EMAIL_MAX, (v: string) => ({ ...unit, contact: { name: 'OT', email: v } })],
    ['staff name', NAME_MAX, (v: string) => ({ ...unit, staff: ['Kari Ringjar', v] })],
  ])('a unit refuses a %s over %i characters and takes one of exactly that', (field, max, withValue) => {
    expect(unitSchema.safeParse(withValue(text(max + 1))).error?.issues[0].message).toBe(`${field}: at most ${max} characters`);
    expect(unitSchema.safeParse(withValue(text(max))).success).toBe(true);
  });
});

describe('an inbound SMS', () => {
  const mo = { source: '+4791234567', destination: '2027', userData: 'Eg jobbar no', messageId: 'm1' };
  const refusal = (body: unknown) => {
    try {
      parseInboundSms(body);
      return undefined;
    } catch (err) {
      expect(err).toBeInstanceOf(SmsPayloadError);
      return (err as Error).message;
    }
  };
  it.each([
    ['source', PHONE_MAX, (n: number) => `+4791234567${' '.repeat(n - 11)}`],
    ['destination', PHONE_MAX, (n: number) => '2'.repeat(n)],
    ['messageId', IDENTIFIER_MAX, (n: number) => 'm'.repeat(n)],
  ])('refuses a %s over %i characters, naming it once, and takes one of exactly that', (field, max, value) => {
    expect(refusal({ ...mo, [field]: value(max + 1) })).toBe(`inbound SMS: ${field}: at most ${max} characters`);
    expect(refusal({ ...mo, [field]: value(max) })).toBeUndefined();
  });
});

describe('a calendar as a person sets it', () => {
  const cal = defaultCalendar(2026);
  const refusal = (raw: unknown) => {
    try {
      parseCalendar(raw);
      return undefined;
    } catch (err) {
      expect(err).toBeInstanceOf(CalendarError);
      return (err as Error).message;
    }
  };
  // A moment with as many digits of a second as luxon reads, up to the limit.
  const moment = (n: number) => `2026-09-10T08:00:00.${'1'.repeat(n - 26)}+02:00`;

  it('refuses a value over CALENDAR_VALUE_MAX, naming its key, and takes one of exactly that', () => {
    expect(moment(CALENDAR_VALUE_MAX)).toHaveLength(CALENDAR_VALUE_MAX);
    expect(refusal(withCalendarValue(cal, 'letters.OSON', moment(CALENDAR_VALUE_MAX + 1)))).toBe(
      `letters.OSON: at most ${CALENDAR_VALUE_MAX} characters`,
    );
    expect(refusal(withCalendarValue(cal, 'letters.OSON', moment(CALENDAR_VALUE_MAX)))).toBeUndefined();
  });

  it('refuses an SMS delay over a year: added to a date it may give no moment at all', () => {
    expect(refusal({ ...cal, smsAfterLetters: 'P99999999D' })).toMatch(/^smsAfterLetters: must be an ISO duration above zero and at most a year/);
    expect(refusal({ ...cal, smsAfterLetters: 'P1Y1D' })).toMatch(/^smsAfterLetters: /);
    expect(refusal({ ...cal, smsAfterLetters: 'P1Y' })).toBeUndefined();
    expect(refusal({ ...cal, smsAfterLetters: 'P365D' })).toBeUndefined();
  });
});

describe('the Update validators: oversizeOf, asked before refusalOf', () => {
  const input: CaseInput = {
    caseId: 'a'.repeat(24),
    schoolYear: 2026,
    unit: '12250',
    osCode: 'OSON',
    facts: { fictitiousId: false, hasAddress: true, hasMobile: true, under18: false },
  };
  const [awaitingLetter] = initialTransition(youthCaseMachine, input);
  /** Each action with every text it carries, of the given length. */
  const REQUESTS: [string, string, number, (v: string) => CaseRequest][] = [
    ['CLAIM', 'caseworker', NAME_MAX, (v) => ({ type: 'CLAIM', status: 'OTOV', caseworker: v, by: 'nils' })],
    ['CLAIM', 'by', NAME_MAX, (v) => ({ type: 'CLAIM', status: 'OTOV', caseworker: 'Nils', by: v })],
    ['REPLY', 'forwardTo', NAME_MAX, (v) => ({ type: 'REPLY', channel: 'phone', forwardTo: v, by: 'kari' })],
    ['REPLY', 'note', NOTE_MAX, (v) => ({ type: 'REPLY', channel: 'phone', by: 'kari', note: v })],
    ['OUTCOME', 'note', NOTE_MAX, (v) => ({ type: 'OUTCOME', status: 'OTAR', channel: 'phone', by: 'kari', note: v })],
    ['CONTACT', 'by', NAME_MAX, (v) => ({ type: 'CONTACT', kind: 'mobile', source: 'nav', by: v })],
    ['CALL', 'note', NOTE_MAX, (v) => ({ type: 'CALL', result: 'notReached', by: 'kari', note: v })],
    ['LETTER_RETURNED', 'by', NAME_MAX, (v) => ({ type: 'LETTER_RETURNED', by: v })],
    ['LETTER_RETURNED', 'note', NOTE_MAX, (v) => ({ type: 'LETTER_RETURNED', by: 'kari', note: v })],
  ];

  it.each(REQUESTS)('%s: refuses a %s one character over its limit (%i), naming the field', (_, field, max, request) => {
    expect(oversizeOf(request(text(max + 1)))).toBe(`${field}: at most ${max} characters`);
  });

  it.each(REQUESTS)('%s: lets a %s of exactly its limit (%i) through to refusalOf', (_, _field, max, request) => {
    expect(oversizeOf(request(text(max)))).toBeUndefined();
  });

  it('holds a code, and a field no action has, to NAME_MAX: the journal records every field of the event', () => {
    expect(oversizeOf({ type: 'OUTCOME', status: 'X'.repeat(NAME_MAX + 1), channel: 'phone', by: 'kari' })).toBe(
      `status: at most ${NAME_MAX} characters`,
    );
    expect(oversizeOf({ type: 'REPLY', channel: 'phone', by: 'kari', extra: text(NAME_MAX + 1) })).toBe(`extra: at most ${NAME_MAX} characters`);
    expect(oversizeOf({ type: 'REPLY', channel: 'phone', by: 'kari', [`k${'e'.repeat(100)}`]: text(NAME_MAX + 1) })).toBe(
      `a field: at most ${NAME_MAX} characters`,
    );
  });

  it('refuses a value that is not text, which JSON from a direct client may carry', () => {
    expect(oversizeOf({ type: 'REPLY', channel: 'phone', by: 'kari', note: ['x'.repeat(10)] })).toBe('note must be text');
    expect(oversizeOf({ type: 'REPLY', channel: 'phone', by: 42 })).toBe('by must be text');
    expect(oversizeOf({ type: 'REPLY', channel: 'phone', by: 'kari', extra: { deep: 'x' } })).toBe('extra must be text');
    expect(oversizeOf({ type: 'REPLY', channel: 'phone', by: 'kari', note: undefined, count: 2, flag: true, toString: 3 })).toBeUndefined();
  });

  it('leaves whether the request makes sense to refusalOf, which knows nothing of lengths', () => {
    const long = { type: 'REPLY', channel: 'phone', by: 'kari', note: text(NOTE_MAX + 1) } as const;
    expect(refusalOf(awaitingLetter, long)).toBeUndefined();
    expect(oversizeOf({ type: 'CLAIM', status: 'OTUK', caseworker: 'Nils', by: 'nils' })).toBeUndefined();
    expect(refusalOf(awaitingLetter, { type: 'CLAIM', status: 'OTUK', caseworker: 'Nils', by: 'nils' })).toMatch(/^OTUK means nobody knows/);
  });
});
