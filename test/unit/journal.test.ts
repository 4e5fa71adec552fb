import { initialTransition, transition } from 'xstate';
import { journalEntryOf } from '../../workflows/youth-case/journal';
import { youthCaseMachine, type CaseEvent } from '../../workflows/youth-case/machine';

const at = '2026-09-10T08:00:00.000Z';
const start = initialTransition(youthCaseMachine, {
  caseId: '0123456789abcdef01234567',
  schoolYear: 2026,
  unit: '12250',
  osCode: 'OSON',
  facts: { fictitiousId: false, hasAddress: true, hasMobile: true, under18: false },
})[0];
const step = (s: typeof start, e: CaseEvent) => [s, transition(youthCaseMachine, s, e)[0]] as const;
const letterDue = transition(youthCaseMachine, start, { type: 'LETTER_DUE' })[0];

describe('journalEntryOf', () => {
  it('records a mass operation with the operator who ran it and its facts, not who as a detail', () => {
    const event: CaseEvent = { type: 'LETTERS_SENT', sentOn: '2026-09-10', batchId: 'b-1', operator: 'Siri' };
    expect(journalEntryOf(event, at, ...step(letterDue, event))).toEqual({
      at,
      event: 'LETTERS_SENT',
      by: 'Siri',
      detail: { sentOn: '2026-09-10', batchId: 'b-1' },
      from: { stage: 'letterDue', status: 'OSON' },
      to: { stage: 'letterSent', status: 'OTUK' },
    });
  });

  it('records a deadline that changed the case, with nobody as who', () => {
    expect(journalEntryOf({ type: 'LETTER_DUE' }, at, ...step(start, { type: 'LETTER_DUE' }))).toEqual({
      at,
      event: 'LETTER_DUE',
      from: { stage: 'awaitingLetter', status: 'OSON' },
      to: { stage: 'letterDue', status: 'OSON' },
    });
  });

  it('leaves out a system event that changed nothing', () => {
    const event: CaseEvent = { type: 'SMS_SENT', sentOn: '2026-09-24', operator: 'Siri' };
    expect(journalEntryOf(event, at, ...step(start, event))).toBeUndefined();
  });

  it('records every request a person made, with channel and note, even when the stage stays', () => {
    const event: CaseEvent = { type: 'CONTACT', kind: 'mobile', source: 'youth', by: 'Kari', note: 'ringde sjølv' };
    expect(journalEntryOf(event, at, ...step(start, event))).toEqual({
      at,
      event: 'CONTACT',
      by: 'Kari',
      note: 'ringde sjølv',
      detail: { kind: 'mobile', source: 'youth' },
      from: { stage: 'awaitingLetter', status: 'OSON' },
      to: { stage: 'awaitingLetter', status: 'OSON' },
    });
    // A note stored in PostgreSQL comes as its id: the entry carries the id, never a text, and not as a detail.
    const call: CaseEvent = { type: 'CALL', result: 'notReached', by: 'Kari', noteId: '0b5c3f0e-8d1a-4c55-9a51-3f1f0d3c9e77' };
    expect(journalEntryOf(call, at, ...step(start, call))).toEqual({
      at,
      event: 'CALL',
      by: 'Kari',
      noteId: '0b5c3f0e-8d1a-4c55-9a51-3f1f0d3c9e77',
      detail: { result: 'notReached' },
      from: { stage: 'awaitingLetter', status: 'OSON' },
      to: { stage: 'awaitingLetter', status: 'OSON' },
    });
    const reply: CaseEvent = { type: 'REPLY', channel: 'drop-in', by: 'Kari' };
    expect(journalEntryOf(reply, at, ...step(start, reply))).toMatchObject({ by: 'Kari', channel: 'drop-in', to: { stage: 'contactEstablished' } });
  });
});
