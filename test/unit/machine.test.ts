import { getPathsFromEvents, getShortestPaths, getSimplePaths, type StatePath } from '@xstate/graph';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { OT_STATUS_CODES, otGroupOf, type OtStatusCode } from '../../schemas/ot-codes';
import { youthCaseMachine, type CaseEvent, type CaseFacts, type CaseInput, type CaseStage } from '../../workflows/youth-case/machine';
import { caseViewOf, searchAttributesOf } from '../../workflows/youth-case/view';

/**
 * The youth-case machine, driven only through XState's pure initialTransition/transition as the
 * workflow drives it. Paths come from the machine's own definition through @xstate/graph.
 */

type Snapshot = SnapshotFrom<typeof youthCaseMachine>;
type InitialStage = Exclude<CaseStage, 'closed'>;

// Everything below is read from the definition, not written out by hand.
const STATE_NODES = youthCaseMachine.root.states;
const STATES = Object.keys(STATE_NODES);
/** States left at once by an eventless transition: never where a case rests. */
const TRANSIENT = STATES.filter((s) => (STATE_NODES[s].always ?? []).length > 0);
const RESTING = STATES.filter((s) => !TRANSIENT.includes(s));
const FINAL = STATES.filter((s) => STATE_NODES[s].type === 'final');
const EVENTS = youthCaseMachine.root.events.map((type) => ({ type })) as CaseEvent[];

function facts(over: Partial<CaseFacts> = {}): CaseFacts {
  return { fictitiousId: false, hasAddress: true, hasMobile: true, under18: false, ...over };
}

function input(over: Partial<CaseInput> = {}, factsOver: Partial<CaseFacts> = {}): CaseInput {
  return { caseId: '0123456789abcdef01234567', schoolYear: 2026, unit: '12250', osCode: 'OSON', caseworker: 'Nils Rådgjevar', ...over, facts: facts(factsOver) };
}

/** One classification input per stage a case can start in. */
const INPUTS: Record<InitialStage, CaseInput> = {
  feil: input({ washedStatus: 'OTOV' }, { fictitiousId: true, hasAddress: false }),
  notInTargetGroup: input({ washedStatus: 'OTFU_IM', osCode: 'OSNP' }, { hasAddress: false }),
  caseworkerFollowUp: input({ washedStatus: 'OTOV', osCode: 'OSUT' }, { hasMobile: false }),
  needsAddress: input({ washedStatus: 'OTUK', osCode: 'OSVE' }, { hasAddress: false, under18: true }),
  awaitingLetter: input({}, { fictitiousId: true }),
};

function start(caseInput: CaseInput): Snapshot {
  return initialTransition(youthCaseMachine, caseInput)[0];
}

function send(snapshot: Snapshot, event: CaseEvent): Snapshot {
  return transition(youthCaseMachine, snapshot, event)[0];
}

const stageOf = (s: Snapshot) => s.value as CaseStage;

/** What a resting snapshot must satisfy, given the input it started from and the stage it was classified into. */
function expectConsistent(s: Snapshot, from: CaseInput, classified: InitialStage) {
  const stage = stageOf(s);
  expect(RESTING).toContain(stage);
  expect(s.status).toBe(FINAL.includes(stage) ? 'done' : 'active');
  expect(s.error).toBeUndefined();
  const { context } = s;
  // What the import knew never changes; only the address may become known.
  expect([context.caseId, context.schoolYear, context.unit, context.osCode, context.washedStatus]).toEqual([from.caseId, from.schoolYear, from.unit, from.osCode, from.washedStatus]);
  expect(context.facts).toEqual({ ...from.facts, hasAddress: context.facts.hasAddress });
  if (from.facts.hasAddress) expect(context.facts.hasAddress).toBe(true);
  // Only a case its caseworker follows up keeps the caseworker, closed or not.
  expect(context.caseworker).toBe(classified === 'caseworkerFollowUp' ? from.caseworker : undefined);

  switch (stage) {
    case 'feil':
      expect(context.otStatus).toBe('Feil');
      expect(context.facts.fictitiousId && !context.facts.hasAddress).toBe(true);
      break;
    case 'notInTargetGroup':
      expect(context.otStatus).toBe(from.washedStatus);
      expect(otGroupOf(context.otStatus as OtStatusCode)).toBe(5);
      break;
    case 'caseworkerFollowUp':
      expect(context.otStatus).toBe(from.washedStatus);
      expect(context.otStatus).not.toBe('OTUK');
      expect(otGroupOf(context.otStatus as OtStatusCode)).not.toBe(5);
      break;
    case 'needsAddress':
      expect(context.otStatus).toBe(from.osCode);
      expect(context.facts.hasAddress).toBe(false);
      break;
    case 'awaitingLetter':
      expect(context.otStatus).toBe(from.osCode);
      expect(context.facts.hasAddress).toBe(true);
      break;
    case 'closed':
      expect(context.otStatus).toBe(classified === 'feil' ? 'Feil' : ['notInTargetGroup', 'caseworkerFollowUp'].includes(classified) ? from.washedStatus : from.osCode);
      break;
    default:
      throw new Error(`a stage the test does not know: ${stage as string}`);
  }
}

/** What one event must do to a resting snapshot. */
function expectStep(before: Snapshot, event: CaseEvent, after: Snapshot) {
  if (before.status === 'done') {
    expect(after.status).toBe('done');
    expect(after.value).toEqual(before.value);
    expect(after.context).toEqual(before.context);
  } else if (event.type === 'SCHOOL_YEAR_ENDED') {
    expect(stageOf(after)).toBe('closed');
    expect(after.context).toEqual(before.context);
  } else if (event.type === 'ADDRESS_REGISTERED' && stageOf(before) === 'needsAddress') {
    expect(stageOf(after)).toBe('awaitingLetter');
    expect(after.context).toEqual({ ...before.context, facts: { ...before.context.facts, hasAddress: true } });
  } else {
    // Any other event is ignored.
    expect(stageOf(after)).toBe(stageOf(before));
    expect(after.context).toEqual(before.context);
  }
}

/** Replays a generated path through initialTransition/transition and checks every snapshot and step. */
function replay(path: StatePath<Snapshot, CaseEvent>, from: CaseInput, classified: InitialStage): Snapshot {
  const [first, ...rest] = path.steps;
  expect(first.event.type).toBe('xstate.init');
  let s = start(from);
  expect(stageOf(s)).toBe(classified);
  expect(s.context).toEqual(first.state.context);
  expectConsistent(s, from, classified);
  for (const step of rest) {
    const next = send(s, step.event);
    expectStep(s, step.event, next);
    expect(next.value).toEqual(step.state.value);
    expect(next.context).toEqual(step.state.context);
    expectConsistent(next, from, classified);
    s = next;
  }
  expect(s.value).toEqual(path.state.value);
  expect(s.context).toEqual(path.state.context);
  return s;
}

describe('the machine definition', () => {
  it('has one transient classifying state, one final state and the stages of CaseStage', () => {
    expect(youthCaseMachine.root.initial.target.map((t) => t.key)).toEqual(['classifying']);
    expect(TRANSIENT).toEqual(['classifying']);
    expect(FINAL).toEqual(['closed']);
    const stages: Record<CaseStage, true> = { feil: true, notInTargetGroup: true, caseworkerFollowUp: true, needsAddress: true, awaitingLetter: true, closed: true };
    expect([...RESTING].sort()).toEqual(Object.keys(stages).sort());
    expect([...EVENTS.map((e) => e.type)].sort()).toEqual(['ADDRESS_REGISTERED', 'SCHOOL_YEAR_ENDED']);
  });
});

describe('paths generated by @xstate/graph', () => {
  const stages = Object.keys(INPUTS) as InitialStage[];

  it.each(stages)('classifies its input for %s into that stage', (stage) => {
    expect(stageOf(start(INPUTS[stage]))).toBe(stage);
  });

  it.each(stages)('from %s: every simple and shortest path replays through transition() and ends consistent', (stage) => {
    const from = INPUTS[stage];
    const options = { input: from, events: EVENTS };
    const paths = [...getSimplePaths(youthCaseMachine, options), ...getShortestPaths(youthCaseMachine, options)];
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const end = replay(path, from, stage);
      // Every event tried from where the path ends is either a known step or ignored.
      for (const event of EVENTS) expectStep(end, event, send(end, event));
    }
    // The generated paths reach the final state, and it is done.
    expect(paths.some((p) => p.state.value === 'closed' && p.state.status === 'done')).toBe(true);
  });

  it('reaches every state of the machine from the five inputs, and only through them', () => {
    const reached = new Map<string, Set<string>>();
    for (const stage of Object.keys(INPUTS) as InitialStage[]) {
      for (const path of getSimplePaths(youthCaseMachine, { input: INPUTS[stage], events: EVENTS })) {
        for (const { state } of path.steps) {
          const value = state.value as string;
          if (!reached.has(value)) reached.set(value, new Set());
          reached.get(value)!.add(stage);
        }
      }
    }
    // The transient state is passed through by every path, never rested in.
    expect([...reached.keys()].sort()).toEqual([...RESTING].sort());
    for (const stage of Object.keys(INPUTS) as InitialStage[]) expect(reached.get(stage)!.has(stage)).toBe(true);
    // Only a case without an address can move between stages before the year ends.
    expect([...reached.get('awaitingLetter')!].sort()).toEqual(['awaitingLetter', 'needsAddress']);
    expect(reached.get('closed')!.size).toBe(5);
  });

  it('moves needsAddress to awaitingLetter on ADDRESS_REGISTERED, with hasAddress true', () => {
    const paths = getShortestPaths(youthCaseMachine, { input: INPUTS.needsAddress, events: EVENTS, toState: (s) => s.value === 'awaitingLetter' });
    expect(paths).toHaveLength(1);
    expect(paths[0].steps.map((s) => s.event.type)).toEqual(['xstate.init', 'ADDRESS_REGISTERED']);
    expect(paths[0].state.context.facts).toEqual({ ...INPUTS.needsAddress.facts, hasAddress: true });
    const closed = replay(getPathsFromEvents(youthCaseMachine, [{ type: 'ADDRESS_REGISTERED' }, { type: 'ADDRESS_REGISTERED' }, { type: 'SCHOOL_YEAR_ENDED' }], {
      // @xstate/graph 3.0.4 ignores `input` in getPathsFromEvents (it builds its default start without it), so the start is given.
      fromState: start(INPUTS.needsAddress),
    })[0], INPUTS.needsAddress, 'needsAddress');
    expect(closed.status).toBe('done');
    expect(closed.context.facts.hasAddress).toBe(true);
  });

  it('resumes from a stored stage and context (continue-as-new) exactly where it stood', () => {
    for (const stage of Object.keys(INPUTS) as InitialStage[]) {
      for (const path of getSimplePaths(youthCaseMachine, { input: INPUTS[stage], events: EVENTS })) {
        if (path.state.status === 'done') continue;
        const stored = JSON.parse(JSON.stringify({ stage: path.state.value, context: path.state.context }));
        const resumed = youthCaseMachine.resolveState({ value: stored.stage, context: stored.context });
        expect(resumed.value).toEqual(path.state.value);
        expect(resumed.status).toBe('active');
        for (const event of EVENTS) {
          const a = send(path.state, event);
          const b = send(resumed, event);
          expect(b.value).toEqual(a.value);
          expect(JSON.parse(JSON.stringify(b.context))).toEqual(JSON.parse(JSON.stringify(a.context)));
        }
      }
    }
  });
});

describe('classification', () => {
  const cases: [string, Partial<CaseInput>, Partial<CaseFacts>, CaseStage, string][] = [
    ['fictitious without address wins over a washed follow-up status', { washedStatus: 'OTOV' }, { fictitiousId: true, hasAddress: false }, 'feil', 'Feil'],
    ['fictitious without address wins over a washed *_IM status', { washedStatus: 'OTFU_IM' }, { fictitiousId: true, hasAddress: false }, 'feil', 'Feil'],
    ['fictitious without address and washed OTUK', { washedStatus: 'OTUK' }, { fictitiousId: true, hasAddress: false }, 'feil', 'Feil'],
    ['fictitious without address, not washed', {}, { fictitiousId: true, hasAddress: false }, 'feil', 'Feil'],
    ['fictitious with an address gets the letter', { osCode: 'OSUT' }, { fictitiousId: true }, 'awaitingLetter', 'OSUT'],
    ['fictitious with an address, washed out of the group', { washedStatus: 'OTEV_IM' }, { fictitiousId: true }, 'notInTargetGroup', 'OTEV_IM'],
    ['fictitious with an address, kept by its caseworker', { washedStatus: 'OTAR' }, { fictitiousId: true }, 'caseworkerFollowUp', 'OTAR'],
    ['washed *_IM wins over a missing address', { washedStatus: 'OTFA_IM' }, { hasAddress: false }, 'notInTargetGroup', 'OTFA_IM'],
    ['washed Feil on a real id is out of the target group', { washedStatus: 'Feil' }, {}, 'notInTargetGroup', 'Feil'],
    ['a caseworker’s status wins over a missing address', { washedStatus: 'OTOV' }, { hasAddress: false }, 'caseworkerFollowUp', 'OTOV'],
    ['washed OTUK without address waits for one, keeping its OS code', { washedStatus: 'OTUK', osCode: 'OSNP' }, { hasAddress: false }, 'needsAddress', 'OSNP'],
    ['washed OTUK with an address gets the letter, keeping its OS code', { washedStatus: 'OTUK', osCode: 'OSVE' }, {}, 'awaitingLetter', 'OSVE'],
    ['not washed, no address', {}, { hasAddress: false }, 'needsAddress', 'OSON'],
    ['not washed, with an address', {}, {}, 'awaitingLetter', 'OSON'],
  ];
  it.each(cases)('%s', (_, over, factsOver, stage, otStatus) => {
    const s = start(input(over, factsOver));
    expect(stageOf(s)).toBe(stage);
    expect(s.context.otStatus).toBe(otStatus);
  });

  it('sends every group 5 code out of the target group and keeps every group 2–4 code with the caseworker', () => {
    for (const code of OT_STATUS_CODES) {
      const s = start(input({ washedStatus: code }));
      const group = otGroupOf(code);
      const expected: CaseStage = group === 5 ? 'notInTargetGroup' : group === 1 ? 'awaitingLetter' : 'caseworkerFollowUp';
      expect([code, stageOf(s)]).toEqual([code, expected]);
    }
  });

  it('is consistent for every combination of facts, washed status and caseworker', () => {
    const bools = [false, true];
    for (const washedStatus of [undefined, ...OT_STATUS_CODES])
      for (const fictitiousId of bools)
        for (const hasAddress of bools)
          for (const hasMobile of bools)
            for (const under18 of bools)
              for (const caseworker of [undefined, 'Nils Rådgjevar']) {
                const from = input({ washedStatus, caseworker }, { fictitiousId, hasAddress, hasMobile, under18 });
                const s = start(from);
                const stage = stageOf(s) as InitialStage;
                expectConsistent(s, from, stage);
                // The order of the rules in formats/vigo-transfer.md.
                const expected: InitialStage =
                  fictitiousId && !hasAddress ? 'feil'
                  : washedStatus && otGroupOf(washedStatus) === 5 ? 'notInTargetGroup'
                  : washedStatus && washedStatus !== 'OTUK' ? 'caseworkerFollowUp'
                  : !hasAddress ? 'needsAddress'
                  : 'awaitingLetter';
                expect(stage).toBe(expected);
                for (const event of EVENTS) {
                  const next = send(s, event);
                  expectStep(s, event, next);
                  expectConsistent(next, from, stage);
                }
              }
  });
});

describe('the caseworker', () => {
  it('is kept for a case the caseworker follows up, also once it is closed', () => {
    const s = start(input({ washedStatus: 'OTOV', caseworker: 'Nils Rådgjevar' }));
    expect(stageOf(s)).toBe('caseworkerFollowUp');
    expect(s.context.caseworker).toBe('Nils Rådgjevar');
    expect(send(s, { type: 'SCHOOL_YEAR_ENDED' }).context.caseworker).toBe('Nils Rådgjevar');
  });

  it.each([
    ['a case that gets the letter', {}, {}],
    ['a case washed to OTUK', { washedStatus: 'OTUK' as const }, {}],
    ['a case waiting for an address', {}, { hasAddress: false }],
    ['a case washed out of the target group', { washedStatus: 'OTFU_IM' as const }, {}],
    ['a case coded Feil although washed to a follow-up status', { washedStatus: 'OTOV' as const }, { fictitiousId: true, hasAddress: false }],
  ])('is dropped for %s', (_, over: Partial<CaseInput>, factsOver: Partial<CaseFacts>) => {
    const s = start(input({ ...over, caseworker: 'Nils Rådgjevar' }, factsOver));
    expect(stageOf(s)).not.toBe('caseworkerFollowUp');
    expect(s.context.caseworker).toBeUndefined();
    expect(caseViewOf(stageOf(s), s.context).caseworker).toBeUndefined();
    for (const event of EVENTS) expect(send(s, event).context.caseworker).toBeUndefined();
  });

  it('is absent when none was given, even for a followed-up case', () => {
    const s = start(input({ washedStatus: 'OTOV', caseworker: undefined }));
    expect(stageOf(s)).toBe('caseworkerFollowUp');
    expect(s.context.caseworker).toBeUndefined();
  });
});

describe('caseViewOf', () => {
  it('shows the case without its person, with no flags when nothing is missing', () => {
    const s = start(input({ osCode: 'OSUT' }));
    expect(caseViewOf(stageOf(s), s.context)).toEqual({
      caseId: '0123456789abcdef01234567',
      schoolYear: 2026,
      unit: '12250',
      osCode: 'OSUT',
      otStatus: 'OSUT',
      stage: 'awaitingLetter',
      caseworker: undefined,
      flags: [],
    });
  });

  it.each([
    [{ fictitiousId: true }, ['fictitiousId']],
    [{ hasAddress: false }, ['needsAddress']],
    [{ hasMobile: false }, ['noMobile']],
    [{ under18: true }, ['under18']],
    [{ fictitiousId: true, hasAddress: false, hasMobile: false, under18: true }, ['fictitiousId', 'needsAddress', 'noMobile', 'under18']],
    [{ hasMobile: false, under18: true }, ['noMobile', 'under18']],
  ] as [Partial<CaseFacts>, string[]][])('flags %j as %j', (factsOver, flags) => {
    const s = start(input({}, factsOver));
    expect(caseViewOf(stageOf(s), s.context).flags).toEqual(flags);
  });

  it('drops the needsAddress flag once an address is registered', () => {
    const s = start(input({}, { hasAddress: false, hasMobile: false }));
    expect(caseViewOf(stageOf(s), s.context)).toMatchObject({ stage: 'needsAddress', flags: ['needsAddress', 'noMobile'] });
    const next = send(s, { type: 'ADDRESS_REGISTERED' });
    expect(caseViewOf(stageOf(next), next.context)).toMatchObject({ stage: 'awaitingLetter', flags: ['noMobile'] });
  });

  it('shows the caseworker and status of a followed-up case, and its search attributes name the caseworker', () => {
    const s = start(input({ washedStatus: 'OTOV' }));
    const view = caseViewOf(stageOf(s), s.context);
    expect(view).toMatchObject({ stage: 'caseworkerFollowUp', otStatus: 'OTOV', caseworker: 'Nils Rådgjevar' });
    expect(searchAttributesOf(view).map((p) => [p.key.name, p.value])).toEqual([
      ['OtUnit', '12250'],
      ['OtStatus', 'OTOV'],
      ['OtStage', 'caseworkerFollowUp'],
      ['SchoolYear', 2026],
      ['Caseworker', 'Nils Rådgjevar'],
    ]);
    const plain = start(input());
    expect(searchAttributesOf(caseViewOf(stageOf(plain), plain.context)).map((p) => p.key.name)).not.toContain('Caseworker');
  });
});
