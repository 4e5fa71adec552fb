import { safeDescription } from '../../activities/sms-gateway';
import {
  SmsPayloadError,
  deliveryOutcome,
  gatewayErrorAnswerSchema,
  parseDeliveryReport,
  parseInboundSms,
  sendAnswerSchema,
} from '../../schemas/sms-gateway';

describe('the send answer', () => {
  it('reads the message id and keeps fields it does not know', () => {
    expect(sendAnswerSchema.parse({ messageId: 'abc123', resultCode: 1005, description: 'Queued', extra: 1 })).toEqual({
      messageId: 'abc123',
      resultCode: 1005,
      description: 'Queued',
      extra: 1,
    });
    expect(sendAnswerSchema.parse({ messageId: 42, resultCode: '1005' }).messageId).toBe('42');
  });

  it.each([[{}], [{ messageId: '', resultCode: 1005 }], [{ messageId: 'x' }], [{ messageId: 'x', resultCode: 'queued' }], ['<html>'], [null]])(
    'refuses %j',
    (body) => expect(sendAnswerSchema.safeParse(body).success).toBe(false),
  );

  it('reads a refusal with or without its fields', () => {
    expect(gatewayErrorAnswerSchema.parse({ resultCode: 2001, description: 'Invalid destination' }).description).toBe('Invalid destination');
    expect(gatewayErrorAnswerSchema.parse({}).description).toBeUndefined();
  });
});

describe('delivery reports', () => {
  it.each([
    [1001, 'delivered'],
    [1007, 'delivered'],
    [1000, 'pending'],
    [1005, 'pending'],
    [1008, 'pending'],
    [1011, 'pending'],
    [1012, 'pending'],
    [1013, 'pending'],
    [1002, 'failed'],
    [1004, 'failed'],
    [1006, 'failed'],
    [1009, 'failed'],
    [1010, 'failed'],
    [0, 'failed'],
    [4, 'failed'],
    [2000, 'failed'],
  ] as const)('result code %i is %s', (code, outcome) => expect(deliveryOutcome(code)).toBe(outcome));

  it('reads the LINK report fields, the part suffix of a multipart id stripped', () => {
    expect(
      parseDeliveryReport({
        id: 'abc123$1',
        refId: 'case1:sms',
        operator: 'no.telenor',
        sentTimestamp: '2025-10-10T10:00:00Z',
        timestamp: '2025-10-10T10:00:02Z',
        resultCode: 1001,
        operatorResultCode: 'DELIVRD',
        segments: 2,
        customParameters: {},
      }),
    ).toEqual({ messageId: 'abc123', refId: 'case1:sms', resultCode: 1001, outcome: 'delivered', description: undefined });
  });

  it('takes messageId for id, form-field strings for numbers, and a null refId', () => {
    expect(parseDeliveryReport({ messageId: 'm1', refId: null, resultCode: '1006', description: 'Not delivered' })).toEqual({
      messageId: 'm1',
      refId: undefined,
      resultCode: 1006,
      outcome: 'failed',
      description: 'Not delivered',
    });
    expect(parseDeliveryReport({ refId: 'k', resultCode: 1005 }).outcome).toBe('pending');
  });

  it.each([
    ['no id of any kind', { resultCode: 1001 }],
    ['no result code', { id: 'x', refId: 'k' }],
    ['a result code that is not a number', { id: 'x', resultCode: 'DELIVRD' }],
    ['not an object', 'id=x&resultCode=1001'],
  ])('refuses %s', (_what, body) => expect(() => parseDeliveryReport(body)).toThrow(SmsPayloadError));
});

describe('inbound SMS', () => {
  const mo = {
    source: '+4791234567',
    destination: '2270',
    userData: 'Ja, eg vil ha hjelp. Hilsen Åse',
    messageId: 'mo-1',
    receivedAt: '2025-10-12T08:30:00+02:00',
  };

  it('reads a reply with the number in E.164', () => {
    expect(parseInboundSms({ ...mo, operator: 'no.telia' })).toEqual({
      inboundId: 'mo-1',
      from: '+4791234567',
      text: mo.userData,
      receivedAt: '2025-10-12T08:30:00+02:00',
    });
  });

  it.each(['4791234567', '91234567', '0047 912 34 567'])('normalises the sender %s', (source) => {
    expect(parseInboundSms({ ...mo, source }).from).toBe('+4791234567');
  });

  it('gives a reply without a gateway id the same id each time it is posted, and another reply another id', () => {
    const { messageId: _m, ...bare } = mo;
    const a = parseInboundSms(bare).inboundId;
    expect(parseInboundSms({ ...bare }).inboundId).toBe(a);
    expect(a).toMatch(/^sha256:[0-9a-f]{40}$/);
    expect(parseInboundSms({ ...bare, userData: 'Nei' }).inboundId).not.toBe(a);
    expect(parseInboundSms({ ...bare, receivedAt: '2025-10-12T08:31:00+02:00' }).inboundId).not.toBe(a);
    expect(parseInboundSms({ ...bare, receivedAt: undefined }).receivedAt).toBeUndefined();
  });

  it.each([
    ['no sender', { ...mo, source: undefined }, /source/],
    ['a sender that is not a Norwegian mobile', { ...mo, source: '+46701234567' }, /source.*Norwegian mobile/],
    ['a landline sender', { ...mo, source: '55123456' }, /source/],
    ['text that is not a string', { ...mo, userData: 12345678 }, /userData/],
    ['no destination', { ...mo, destination: '' }, /destination/],
    ['a time without offset', { ...mo, receivedAt: '2025-10-12 08:30' }, /receivedAt/],
    ['text far too long', { ...mo, userData: 'Åse 91234567 '.repeat(1000) }, /userData/],
    ['not an object', 'source=+4791234567', /body/],
  ])('refuses %s with a message that names the field and echoes neither number nor text', (_what, body, field) => {
    let message = '';
    try {
      parseInboundSms(body);
    } catch (err) {
      expect(err).toBeInstanceOf(SmsPayloadError);
      message = (err as Error).message;
    }
    expect(message).toMatch(field);
    expect(message).toMatch(/^inbound SMS: /);
    for (const secret of ['91234567', '46701234567', '55123456', 'Åse', 'hjelp', '12345678']) expect(message).not.toContain(secret);
  });
});

describe("the gateway's own words in an error", () => {
  const body = 'Hei. Vi sendte deg et brev fra Oppfølgingstenesta for ei veke sidan.';

  it.each([
    'Invalid destination +4791234567',
    'Invalid destination 4791234567',
    'Invalid destination 91234567',
    'Invalid destination 912 34 567',
    'Invalid destination +46 70 123 45 67',
  ])('hides the number in %j', (d) => {
    const safe = safeDescription(d, body)!;
    expect(safe).toMatch(/^Invalid destination \[number\]$/);
  });

  it('withholds a description that quotes the text', () => {
    expect(safeDescription('Rejected: "brev fra Oppfølgingstenesta" is not allowed', body)).not.toMatch(/brev|Oppfølging/);
  });

  it('keeps a harmless one, shortened', () => {
    expect(safeDescription('Invalid source', body)).toBe('Invalid source');
    expect(safeDescription('x'.repeat(500), body)!.length).toBeLessThanOrEqual(201);
    expect(safeDescription(undefined, body)).toBeUndefined();
  });
});
