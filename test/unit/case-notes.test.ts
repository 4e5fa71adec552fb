import { noteIdFor } from '../../db/case-notes';
import { NOTE_MAX } from '../../schemas/limits';
import { noteRefusal, refusalOf } from '../../workflows/youth-case/refusals';
import { initialTransition } from 'xstate';
import { youthCaseMachine } from '../../workflows/youth-case/machine';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const start = initialTransition(youthCaseMachine, {
  caseId: '0123456789abcdef01234567',
  schoolYear: 2075,
  unit: '12250',
  osCode: 'OSON',
  facts: { fictitiousId: false, hasAddress: true, hasMobile: true, under18: false },
})[0];

describe('a note before it is stored', () => {
  it('is refused in the words the case uses: over its limit, or holding a national id', () => {
    expect(noteRefusal(undefined)).toBeUndefined();
    expect(noteRefusal('x'.repeat(NOTE_MAX))).toBeUndefined();
    expect(noteRefusal('x'.repeat(NOTE_MAX + 1))).toBe(`note: at most ${NOTE_MAX} characters`);
    const withId = 'fnr 150105 12345';
    expect(noteRefusal(withId)).toBe(refusalOf(start, { type: 'REPLY', channel: 'phone', by: 'Kari', note: withId }));
  });
});

describe('noteIdFor', () => {
  it('gives a new random id, or the same one for the same repeated request on the same case, each one the case takes', () => {
    const a = noteIdFor('case-a');
    expect(a).toMatch(UUID);
    expect(noteIdFor('case-a')).not.toBe(a);
    const repeated = noteIdFor('case-a', 'sms-reply-m1');
    expect(repeated).toMatch(UUID);
    expect(noteIdFor('case-a', 'sms-reply-m1')).toBe(repeated);
    expect(noteIdFor('case-b', 'sms-reply-m1')).not.toBe(repeated);
    expect(refusalOf(start, { type: 'REPLY', channel: 'sms', by: 'sms-inbound', noteId: repeated })).toBeUndefined();
  });
});
