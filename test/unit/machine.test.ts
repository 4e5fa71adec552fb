import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import { isDeepStrictEqual } from 'node:util';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { AGED_OUT_STATUS, OT_STATUS_CODES, otGroupOf, type OtStatusCode } from '../../schemas/ot-codes';
import {
  BEFORE_LETTER_STAGES,
  CASE_STAGES,
  CASEWORKER_STAGES,
  inTargetGroup,
  NEVER_REACHED_STAGES,
  OUT_OF_TARGET_GROUP_STAGES,
  REACHED_NO_OUTCOME_STAGES,
  reachOf,
  stagesTagged,
  stagesTaking,
  UNREACHED_AFTER_LETTER_STAGES,
  youthCaseMachine,
  type CaseEvent,
  type CaseFacts,
  type CaseInput,
  type CaseStage,
} from '../../workflows/youth-case/machine';
import { refusalOf, type CaseRequest } from '../../workflows/youth-case/refusals';
import { caseViewOf, searchAttributesOf } from '../../workflows/youth-case/view';

/**
 * The youth-case machine, driven only through XState's pure initialTransition/transition as the
 * workflow drives it. The states, edges and paths come from the machine's own definition through
 * @xstate/graph; the events a person could send are only those the Update validators would accept.
 */

type Snapshot = SnapshotFrom<typeof youthCaseMachine>;

const STATE_NODES = youthCaseMachine.root.states;
const STATES = Object.keys(STATE_NODES);
const TRANSIENT = STATES.filter((s) => (STATE_NODES[s].always ?? []).length > 0);
const RESTING = STATES.filter((s) => !TRANSIENT.includes(s));
const FINAL = STATES.filter((s) => STATE_NODES[s].type === 'final');

function facts(over: Partial<CaseFacts> = {}): CaseFacts {
  return { fictitiousId: false, hasAddress: true, hasSecondAddress: false, hasMobile: true, under18: false, ...over };
}

function input(over: Partial<CaseInput> = {}, factsOver: Partial<CaseFacts> = {}): CaseInput {
  return {
    caseId: '0123456789abcdef01234567',
    schoolYear: 2026,
    unit: '12250',
    osCode: 'OSON',
    caseworker: 'Nils Rådgjevar',
    ...over,
    facts: facts(factsOver),
  };
}

/** Where cases start: every classification, and the facts that change the letter, SMS and returned-letter branches. */
const INPUTS: Record<string, CaseInput> = {
  letterWithMobileAndSecondAddress: input({}, { hasSecondAddress: true }),
  letterWithoutMobile: input({ osCode: 'OSUT' }, { hasMobile: false, hasSecondAddress: true }),
  needsAddress: input({ washedStatus: 'OTUK', osCode: 'OSVE' }, { hasAddress: false, hasMobile: false, under18: true }),
  caseworkerFollowUp: input({ washedStatus: 'OTOV', osCode: 'OSNP' }),
  notInTargetGroup: input({ washedStatus: 'OTFU_IM' }, { hasAddress: false }),
  feil: input({ washedStatus: 'OTOV' }, { fictitiousId: true, hasAddress: false }),
  // Born in the year the age limit names: leaves the target group on 1 January, whatever stage it is in then.
  agesOut: input({ osCode: 'OSUT' }, { agesOutOn: '2027-01-01' }),
};

const by = 'Kari Kontor';
/** One or two samples of every event; codes chosen to reach each guarded branch. */
const SAMPLES: CaseEvent[] = [
  { type: 'LETTER_DUE' },
  { type: 'LETTERS_SENT', sentOn: '2026-09-10', batchId: 'batch-1' },
  // As the workflow passes it on to a case past the letter stages (the mailing chose it from a read model behind).
  { type: 'LETTERS_SENT', sentOn: '2026-09-10', batchId: 'batch-1', late: true },
  { type: 'SMS_DUE' },
  { type: 'SMS_SENT', sentOn: '2026-09-24' },
  { type: 'SECOND_SMS_SENT', sentOn: '2026-10-01' },
  { type: 'PHONE_CAMPAIGN_STARTED', campaign: 'autumn' },
  { type: 'PHONE_CAMPAIGN_STARTED', campaign: 'winter' },
  { type: 'PHONE_CAMPAIGN_ENDED' },
  { type: 'LETTER_RETURNED', by },
  { type: 'CROSSCHECK_MATCHED', list: 'private-school', status: 'OTVF_IM' },
  { type: 'AGED_OUT' },
  { type: 'CLAIM', status: 'OTOV', caseworker: 'Nils Rådgjevar', by: 'Nils Rådgjevar' },
  { type: 'REPLY', channel: 'reply-sheet', forwardTo: 'Nils Rådgjevar', by },
  { type: 'OUTCOME', status: 'OTOV', channel: 'phone', by },
  { type: 'OUTCOME', status: 'OTAR', channel: 'phone', by },
  { type: 'OUTCOME', status: 'OTFA_IM', channel: 'email', by },
  { type: 'CONTACT', kind: 'address', source: 'admissions-office', by },
  { type: 'CONTACT', kind: 'mobile', source: 'youth', by },
  { type: 'CALL', result: 'notReached', by },
  { type: 'CALL', result: 'wrongNumber', by },
  { type: 'RETURNED_TO_VIGO', operator: by },
  { type: 'SCHOOL_YEAR_ENDED' },
  // One review date for both: a plan's dates only order its timers, and more of them would multiply the graph's states.
  { type: 'PLAN', planId: '0b9c1c1e-6a1f-4c53-9d0e-3f1e2a4b5c6d', reviewDates: ['2099-01-10'], by },
  { type: 'REVIEW', nextReview: '2099-01-10', note: 'møtte opp, trivst', by },
  { type: 'REVIEW', outcome: 'OTAR', note: 'har fått jobb', by },
  { type: 'REVIEW_DUE', review: '2099-01-10' },
  { type: 'REVIEW_OVERDUE', review: '2099-01-10' },
];
const isRequest = (e: CaseEvent): e is CaseRequest => 'by' in e;

/**
 * A follow-up plan's events are walked where no letter went (a claimed case, a reply before the letters): the plan
 * touches nothing of the letter and SMS track, and walking it on every letter state as well multiplies the graph.
 */
const PLAN_EVENTS = new Set<CaseEvent['type']>(['PLAN', 'REVIEW', 'REVIEW_DUE', 'REVIEW_OVERDUE']);
const walked = (s: Snapshot, e: CaseEvent) => !PLAN_EVENTS.has(e.type) || s.context.letter === undefined;

/**
 * What the workflow would let through: every system event, and each request its validator accepts. The age limit's
 * timer runs only in an open case that ages out (deadlines.ts; a closed case waits for nothing), so only such a case meets AGED_OUT.
 */
const allowed = (s: Snapshot) =>
  SAMPLES.filter(
    (e) =>
      walked(s, e) &&
      // The workflow marks a mailing's letter late past the letter stages; a late letter is walked where no plan was made
      // (the plan touches nothing of the letter, and walking both multiplies the graph), and never in a closed case.
      (e.type !== 'LETTERS_SENT' ||
        (e.late
          ? !BEFORE_LETTER_STAGES.includes(s.value as CaseStage) && s.status !== 'done' && s.context.plan === undefined
          : BEFORE_LETTER_STAGES.includes(s.value as CaseStage))) &&
      (e.type === 'AGED_OUT' ? s.status !== 'done' && Boolean(s.context.facts.agesOutOn) : !isRequest(e) || refusalOf(s, e) === undefined),
  );

/** Returned letters only count up; two returns are enough to tell the branches apart, so the graph stays finite. */
function serialize(s: Snapshot): string {
  const { letter, ...rest } = s.context;
  return JSON.stringify([s.value, rest, letter && { ...letter, returns: Math.min(letter.returns, 2) }]);
}

const start = (i: CaseInput): Snapshot => initialTransition(youthCaseMachine, i)[0];
const send = (s: Snapshot, e: CaseEvent): Snapshot => transition(youthCaseMachine, s, e)[0];
const stageOf = (s: Snapshot) => s.value as CaseStage;

type Edge = { state: Snapshot; event: CaseEvent; nextState: Snapshot };
/** The graph is walked once, here, and shared by every test below: each input's edges, every state explored once (by its serialized key). */
const EDGES: Record<string, Edge[]> = Object.fromEntries(
  Object.entries(INPUTS).map(([name, i]) => [
    name,
    adjacencyMapToArray(getAdjacencyMap(youthCaseMachine, { input: i, events: allowed, serializeState: serialize })) as Edge[],
  ]),
);
const ALL_EDGES = Object.values(EDGES).flat();
/** Each input's explored states with the edges that leave them (the walk gives every edge of a state the same state object). */
const OUT: Record<string, Map<Snapshot, Edge[]>> = Object.fromEntries(
  Object.entries(EDGES).map(([name, edges]) => {
    const out = new Map<Snapshot, Edge[]>();
    for (const e of edges) out.set(e.state, [...(out.get(e.state) ?? []), e]);
    return [name, out];
  }),
);
/** Every distinct state the graph reaches, once. */
const REACHED = [...new Map(ALL_EDGES.flatMap((e) => [e.state, e.nextState]).map((s) => [serialize(s), s])).values()];
/** Each input's distinct states, the ends of its edges included, once. */
const DISTINCT: Record<string, Snapshot[]> = Object.fromEntries(
  Object.entries(EDGES).map(([name, edges]) => [
    name,
    [...new Map(edges.flatMap((e) => [e.state, e.nextState]).map((x) => [serialize(x), x])).values()],
  ]),
);

/**
 * expect() for the walks over the graph, which assert millions of times: each matcher first makes a plain check
 * that passes only where Jest's own matcher would pass, and otherwise hands over to Jest's, which then fails with
 * its usual message. (Building Jest's matchers for every assertion took most of the minutes this file once ran.)
 */
function check(actual: unknown) {
  const orJest = (ok: boolean, jestMatcher: (e: jest.JestMatchers<unknown>) => void) => {
    if (!ok) jestMatcher(expect(actual));
  };
  return {
    toBe: (x: unknown) => orJest(Object.is(actual, x), (e) => e.toBe(x)),
    // Deep strict equality implies toEqual (which also ignores undefined properties: those few fall to Jest).
    toEqual: (x: unknown) => orJest(isDeepStrictEqual(actual, x), (e) => e.toEqual(x)),
    toMatchObject: (x: object) => orJest(isSubset(actual, x), (e) => e.toMatchObject(x)),
    toContain: (x: unknown) => orJest(Array.isArray(actual) && actual.indexOf(x) !== -1, (e) => e.toContain(x)),
    toBeDefined: () => orJest(actual !== undefined, (e) => e.toBeDefined()),
    toBeUndefined: () => orJest(actual === undefined, (e) => e.toBeUndefined()),
    toBeGreaterThanOrEqual: (x: number) => orJest(typeof actual === 'number' && actual >= x, (e) => e.toBeGreaterThanOrEqual(x)),
    not: {
      toBe: (x: unknown) => orJest(!Object.is(actual, x), (e) => e.not.toBe(x)),
      toContain: (x: unknown) => orJest(Array.isArray(actual) && actual.indexOf(x) === -1, (e) => e.not.toContain(x)),
    },
  };
}

/** Every property of the expected object, recursively, is in the actual one: what toMatchObject asks, or stricter. */
function isSubset(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) return isDeepStrictEqual(actual, expected);
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(expected).every(([k, v]) => k in actual && isSubset((actual as Record<string, unknown>)[k], v));
}

/** What holds in every state a case can rest in. */
function expectConsistent(s: Snapshot, from: CaseInput) {
  const stage = stageOf(s);
  const c = s.context;
  check(RESTING).toContain(stage);
  check(s.status).toBe(FINAL.includes(stage) ? 'done' : 'active');
  // What the import knew never changes.
  check([c.caseId, c.schoolYear, c.unit, c.osCode, c.washedStatus]).toEqual([
    from.caseId,
    from.schoolYear,
    from.unit,
    from.osCode,
    from.washedStatus,
  ]);
  check([c.facts.fictitiousId, c.facts.under18, c.facts.hasSecondAddress]).toEqual([
    from.facts.fictitiousId,
    from.facts.under18,
    from.facts.hasSecondAddress,
  ]);
  // A closed case keeps everything as it stood when the year ended.
  if (stage !== 'closed') check(c.phoneCampaign !== undefined).toBe(stage === 'phoneCampaign');
  // A mobile a call found wrong is never the one an SMS goes to.
  if (c.facts.wrongNumber) {
    check(c.facts.hasMobile).toBe(false);
    check(c.sms).not.toBe('due');
  }
  if (UNREACHED_AFTER_LETTER_STAGES.includes(stage)) {
    check(c.otStatus).toBe('OTUK');
    check(c.letter).toBeDefined();
  }
  if (OUT_OF_TARGET_GROUP_STAGES.includes(stage)) check(otGroupOf(c.otStatus as OtStatusCode)).toBe(5);
  if (BEFORE_LETTER_STAGES.includes(stage)) {
    check(c.otStatus).toBe(from.osCode);
    check(c.letter).toBeUndefined();
  }
  switch (stage) {
    case 'feil':
      check(c.otStatus).toBe('Feil');
      break;
    case 'notInTargetGroup':
      check(otGroupOf(c.otStatus as OtStatusCode)).toBe(5);
      break;
    case 'caseworkerFollowUp':
      check([2, 3, 4]).toContain(otGroupOf(c.otStatus as OtStatusCode));
      // No standard letter, unless one went out after the claim (the mailing chose the case before it knew).
      check(c.letter?.late ?? true).toBe(true);
      break;
    case 'needsAddress':
      check(c.facts.hasAddress).toBe(false);
      break;
    case 'awaitingLetter':
    case 'letterDue':
      check(c.facts.hasAddress).toBe(true);
      break;
    case 'letterSent':
      check(c.sms).toBe('notYet');
      break;
    case 'smsDue':
      check(c.sms).toBe('due');
      check(c.facts.hasMobile).toBe(true);
      break;
    case 'noMobile':
      check(c.sms).toBe('noMobile');
      check(c.facts.hasMobile).toBe(false);
      break;
    case 'smsSent':
      check(c.sms).toBe('sent');
      check(c.smsSentOn).toBeDefined();
      break;
    case 'contactEstablished':
      check(c.otStatus).toBe(c.letter && !c.letter.late ? 'OTUK' : from.osCode);
      break;
    case 'underFollowUp':
      check(c.otStatus).toBe('OTOV');
      break;
    case 'resolved':
      check([3, 4, 5]).toContain(otGroupOf(c.otStatus as OtStatusCode));
      break;
    case 'agedOut':
      check([c.otStatus, c.phoneCampaign]).toEqual([AGED_OUT_STATUS, undefined]);
      check(Boolean(c.facts.agesOutOn)).toBe(true);
      break;
  }
}

/** What each event must do, whatever the state it meets. */
function expectStep({ state: a, event, nextState: b }: Edge) {
  const from = stageOf(a);
  const to = stageOf(b);
  // Nothing is ever lost: a letter once sent stays sent, returns and finished campaigns only grow.
  if (a.context.letter) check(b.context.letter).toMatchObject({ sentOn: a.context.letter.sentOn, batchId: a.context.letter.batchId });
  if (a.context.letter && b.context.letter) check(b.context.letter.returns).toBeGreaterThanOrEqual(a.context.letter.returns);
  if (!a.context.phoneCampaignsDone.every((c) => b.context.phoneCampaignsDone.includes(c))) {
    expect(b.context.phoneCampaignsDone).toEqual(expect.arrayContaining(a.context.phoneCampaignsDone));
  }
  if (a.context.letter) check(BEFORE_LETTER_STAGES).not.toContain(to);

  switch (event.type) {
    case 'SCHOOL_YEAR_ENDED':
      check(to).toBe('closed');
      check(b.context).toEqual(a.context);
      break;
    case 'LETTER_DUE':
      check(to).toBe(from === 'awaitingLetter' ? 'letterDue' : from);
      break;
    case 'LETTERS_SENT':
      if (from === 'letterDue') {
        check(to).toBe('letterSent');
        check(b.context).toMatchObject({ otStatus: 'OTUK', letter: { sentOn: event.sentOn, batchId: event.batchId, returns: 0 } });
      } else if (event.late && a.context.letter === undefined && from !== 'closed') {
        // The letter that went after the case moved on: recorded, nothing else changes.
        check(to).toBe(from);
        check(b.context).toEqual({
          ...a.context,
          letter: { sentOn: event.sentOn, batchId: event.batchId, returns: 0, resentToSecondAddress: false, awaitingAddress: false, late: true },
        });
      } else check(b).toEqual(a);
      break;
    case 'SMS_DUE':
      if (from === 'letterSent') check(to).toBe(a.context.facts.hasMobile ? 'smsDue' : 'noMobile');
      else if (from === 'phoneCampaign') check([to, b.context.sms]).toEqual(['phoneCampaign', a.context.facts.hasMobile ? 'due' : 'noMobile']);
      else check(b).toEqual(a);
      break;
    case 'SMS_SENT':
      if (from === 'smsDue' || (from === 'phoneCampaign' && a.context.sms === 'due')) {
        check(b.context).toMatchObject({ sms: 'sent', smsSentOn: event.sentOn });
        check(to).toBe(from === 'smsDue' ? 'smsSent' : 'phoneCampaign');
      } else check(b).toEqual(a);
      break;
    case 'SECOND_SMS_SENT':
      // Once, to a youth still unknown whose first SMS went; the stage stays.
      if (['smsSent', 'phoneCampaign'].includes(from) && a.context.sms === 'sent' && a.context.secondSmsSentOn === undefined) {
        check([to, b.context.secondSmsSentOn]).toEqual([from, event.sentOn]);
      } else check(b).toEqual(a);
      break;
    case 'PHONE_CAMPAIGN_STARTED':
      // Each campaign calls a case once.
      if (UNREACHED_AFTER_LETTER_STAGES.includes(from) && from !== 'phoneCampaign' && !a.context.phoneCampaignsDone.includes(event.campaign)) {
        check([to, b.context.phoneCampaign]).toEqual(['phoneCampaign', event.campaign]);
      } else check(b).toEqual(a);
      break;
    case 'PHONE_CAMPAIGN_ENDED':
      if (from === 'phoneCampaign') {
        const back = { notYet: 'letterSent', due: 'smsDue', noMobile: 'noMobile', sent: 'smsSent' } as const;
        check(to).toBe(back[a.context.sms]);
        check(b.context.phoneCampaignsDone).toEqual([...a.context.phoneCampaignsDone, a.context.phoneCampaign]);
      } else check(b).toEqual(a);
      break;
    case 'LETTER_RETURNED':
      // The validator lets it through only while the youth is unknown after the letter.
      check(UNREACHED_AFTER_LETTER_STAGES).toContain(from);
      check(to).toBe(from);
      check(b.context.letter!.returns).toBe(a.context.letter!.returns + 1);
      if (a.context.facts.hasSecondAddress && !a.context.letter!.resentToSecondAddress) {
        check(b.context.letter!.resentToSecondAddress).toBe(true);
        check(b.context.facts.hasAddress).toBe(a.context.facts.hasAddress);
      } else {
        check(b.context.letter!.awaitingAddress).toBe(true);
        check(b.context.facts.hasAddress).toBe(false);
      }
      break;
    case 'AGED_OUT':
      // Out of the target group and off any call list; a case already coded out of it (group 5) stays as it was.
      if (inTargetGroup(a.context)) {
        check([to, b.context.otStatus, b.context.phoneCampaign]).toEqual(['agedOut', AGED_OUT_STATUS, undefined]);
        check(b.context.caseworker).toBe(a.context.caseworker);
      } else check(b).toEqual(a);
      break;
    case 'CROSSCHECK_MATCHED':
      if (stagesTaking('CROSSCHECK_MATCHED').includes(from)) check([to, b.context.otStatus]).toEqual(['notInTargetGroup', event.status]);
      else check(b).toEqual(a);
      break;
    case 'CLAIM':
      check(BEFORE_LETTER_STAGES).toContain(from);
      check(b.context).toMatchObject({ otStatus: event.status, caseworker: event.caseworker });
      check(to).toBe('caseworkerFollowUp');
      break;
    case 'REPLY':
      check(to).toBe([...BEFORE_LETTER_STAGES, ...UNREACHED_AFTER_LETTER_STAGES].includes(from) ? 'contactEstablished' : from);
      check(b.context.caseworker).toBe(event.forwardTo);
      check(b.context.otStatus).toBe(a.context.otStatus);
      break;
    case 'OUTCOME':
      check(b.context.otStatus).toBe(event.status);
      check(to).toBe(event.status === 'OTOV' ? 'underFollowUp' : 'resolved');
      check(b.context.phoneCampaign).toBeUndefined();
      break;
    case 'CONTACT':
      // A new mobile replaces one a call found wrong.
      check(b.context.facts).toEqual(
        event.kind === 'address' ? { ...a.context.facts, hasAddress: true } : { ...a.context.facts, hasMobile: true, wrongNumber: undefined },
      );
      if (event.kind === 'address' && a.context.letter) check(b.context.letter!.awaitingAddress).toBe(false);
      if (from === 'needsAddress' && event.kind === 'address') check(to).toBe('awaitingLetter');
      else if (from === 'noMobile' && event.kind === 'mobile') check([to, b.context.sms]).toEqual(['smsDue', 'due']);
      else check(to).toBe(from);
      break;
    case 'CALL':
      if (event.result === 'notReached') check([to, b.context]).toEqual([from, a.context]);
      else {
        check(b.context.facts).toEqual({ ...a.context.facts, hasMobile: false, wrongNumber: true });
        check(b.context.sms).toBe(a.context.sms === 'due' ? 'noMobile' : a.context.sms);
        check(to).toBe(from === 'smsDue' ? 'noMobile' : from);
      }
      break;
  }
}

describe('the machine definition', () => {
  it('has one transient classifying state, one final state, and exactly the stages of CaseStage', () => {
    expect(youthCaseMachine.root.initial.target.map((t) => t.key)).toEqual(['classifying']);
    expect(TRANSIENT).toEqual(['classifying']);
    expect(FINAL).toEqual(['closed']);
    expect([...RESTING].sort()).toEqual([...CASE_STAGES].sort());
  });

  it('lists the stages of each kind from their tags, in the order of CASE_STAGES', () => {
    expect(CASEWORKER_STAGES).toEqual(['caseworkerFollowUp', 'contactEstablished', 'underFollowUp']);
    expect(UNREACHED_AFTER_LETTER_STAGES).toEqual(['letterSent', 'smsDue', 'noMobile', 'smsSent', 'phoneCampaign']);
    expect(BEFORE_LETTER_STAGES).toEqual(['needsAddress', 'awaitingLetter', 'letterDue']);
    expect(OUT_OF_TARGET_GROUP_STAGES).toEqual(['feil', 'notInTargetGroup']);
    expect(stagesTagged('caseworker')).toEqual(CASEWORKER_STAGES);
    // No stage is of two kinds.
    const tagged = [CASEWORKER_STAGES, UNREACHED_AFTER_LETTER_STAGES, BEFORE_LETTER_STAGES, OUT_OF_TARGET_GROUP_STAGES].flat();
    expect(new Set(tagged).size).toBe(tagged.length);
  });

  it('keeps youth nobody reached apart from youth reached with no outcome set, and every other open stage settled', () => {
    expect(NEVER_REACHED_STAGES).toEqual([
      'needsAddress',
      'awaitingLetter',
      'letterDue',
      'letterSent',
      'smsDue',
      'noMobile',
      'smsSent',
      'phoneCampaign',
    ]);
    expect(REACHED_NO_OUTCOME_STAGES).toEqual(['contactEstablished']);
    const open = CASE_STAGES.filter((s): s is Exclude<CaseStage, 'closed'> => s !== 'closed');
    expect(Object.fromEntries(open.map((s) => [s, reachOf(s)]))).toEqual({
      feil: 'settled',
      notInTargetGroup: 'settled',
      caseworkerFollowUp: 'settled',
      needsAddress: 'neverReached',
      awaitingLetter: 'neverReached',
      letterDue: 'neverReached',
      letterSent: 'neverReached',
      smsDue: 'neverReached',
      noMobile: 'neverReached',
      smsSent: 'neverReached',
      phoneCampaign: 'neverReached',
      contactEstablished: 'reachedNoOutcome',
      underFollowUp: 'settled',
      resolved: 'settled',
      // Out of the target group at the age limit: on no list, carried to no next year.
      agedOut: 'settled',
    });
  });

  it('says in each stage’s description which events of the root `on` it takes', () => {
    const rootEvents = youthCaseMachine.root.ownEvents;
    expect([...rootEvents].sort()).toEqual(['AGED_OUT', 'CALL', 'CONTACT', 'LETTERS_SENT', 'OUTCOME', 'REPLY', 'SCHOOL_YEAR_ENDED']);
    for (const stage of CASE_STAGES) {
      const node = STATE_NODES[stage];
      // A root transition is taken where none of the stage's own is: an unguarded one of its own shadows the root's.
      const fromRoot = node.type === 'final' ? [] : rootEvents.filter((e) => !(node.transitions.get(e) ?? []).some((t) => !t.guard));
      expect(node.description).toBeDefined();
      const said = node.description!.match(/ Root events: ([A-Z_, ]+)\.$/)?.[1].split(', ') ?? [];
      expect([stage, said]).toEqual([stage, fromRoot]);
    }
  });

  it('has a sample of every event the machine knows', () => {
    expect([...new Set(SAMPLES.map((e) => e.type))].sort()).toEqual([...youthCaseMachine.root.events].sort());
  });
});

describe('the graph of reachable states, generated from the definition', () => {
  it('reaches every stage of the machine from the starting inputs', () => {
    expect(REACHED.length).toBeGreaterThan(100);
    const reached = new Set(ALL_EDGES.flatMap((e) => [stageOf(e.state), stageOf(e.nextState)]));
    expect([...reached].sort()).toEqual([...RESTING].sort());
  });

  it('takes every transition of the definition on some edge', () => {
    const defined = new Set([youthCaseMachine.root, ...Object.values(STATE_NODES)].flatMap((node) => [...node.transitions.values()].flat()));
    // Looked up edge by edge until every defined transition has been seen taken: finding one is enough.
    const untakenSet = new Set(defined);
    for (const e of ALL_EDGES) {
      if (untakenSet.size === 0) break;
      for (const t of youthCaseMachine.getTransitionData(e.state, e.event)) untakenSet.delete(t);
    }
    const untaken = [...untakenSet].map(
      (t) => `${t.source.key} on ${t.eventType}${t.guard ? ` [${String((t.guard as { type?: string }).type ?? t.guard)}]` : ''}`,
    );
    expect(untaken).toEqual([]);
    expect(defined.size).toBeGreaterThan(30);
  });

  it.each(Object.keys(INPUTS))('from %s: every state is consistent and every edge does what its event means', (name) => {
    const edges = EDGES[name];
    expect(edges.length).toBeGreaterThan(0);
    expect(DISTINCT[name].length).toBeGreaterThan(0);
    for (const state of DISTINCT[name]) expectConsistent(state, INPUTS[name]);
    for (const edge of edges) expectStep(edge);
  });

  it('closes from every stage, and nothing moves a closed case', () => {
    const stages = new Set<CaseStage>();
    for (const e of ALL_EDGES.filter((x) => x.event.type === 'SCHOOL_YEAR_ENDED' && x.state.status !== 'done')) stages.add(stageOf(e.state));
    expect([...stages].sort()).toEqual(RESTING.filter((s) => s !== 'closed').sort());
    const closedEdges = ALL_EDGES.filter((x) => x.state.status === 'done');
    expect(closedEdges.length).toBeGreaterThan(0);
    for (const e of closedEdges) check(e.nextState).toEqual(e.state);
  });

  it('carries OTUK to the year end through both phone campaigns when nobody answers', () => {
    const paths = getShortestPaths(youthCaseMachine, {
      input: INPUTS.letterWithoutMobile,
      events: allowed,
      serializeState: serialize,
      toState: (s) => s.status === 'done' && s.context.otStatus === 'OTUK' && s.context.phoneCampaignsDone.length === 2,
    });
    expect(paths.length).toBeGreaterThan(0);
    const types = paths[0].steps.map((s) => s.event.type);
    expect(types).toEqual([
      'xstate.init',
      'LETTER_DUE',
      'LETTERS_SENT',
      'PHONE_CAMPAIGN_STARTED',
      'PHONE_CAMPAIGN_ENDED',
      'PHONE_CAMPAIGN_STARTED',
      'PHONE_CAMPAIGN_ENDED',
      'SCHOOL_YEAR_ENDED',
    ]);
  });

  it('takes a wrong number off the SMS list until a new mobile comes, and keeps a call that reached nobody without moving the case', () => {
    let s = start(INPUTS.letterWithMobileAndSecondAddress);
    for (const e of [{ type: 'LETTER_DUE' }, { type: 'LETTERS_SENT', sentOn: '2026-09-10', batchId: 'b' }, { type: 'SMS_DUE' }] as CaseEvent[])
      s = send(s, e);
    expect([stageOf(s), s.context.sms]).toEqual(['smsDue', 'due']);
    const notReached = send(s, { type: 'CALL', result: 'notReached', by });
    expect([stageOf(notReached), notReached.context]).toEqual([stageOf(s), s.context]);
    s = send(s, { type: 'CALL', result: 'wrongNumber', by });
    expect([stageOf(s), s.context.sms, s.context.facts.hasMobile, caseViewOf(stageOf(s), s.context).flags]).toEqual([
      'noMobile',
      'noMobile',
      false,
      ['noMobile', 'wrongNumber'],
    ]);
    expect(refusalOf(s, { type: 'CALL', result: 'wrongNumber', by })).toMatch(/already flagged as wrong/);
    s = send(s, { type: 'CONTACT', kind: 'mobile', source: 'nav', by });
    expect([stageOf(s), s.context.sms, s.context.facts.wrongNumber]).toEqual(['smsDue', 'due', undefined]);
  });

  it('on a call list, a wrong number found before the SMS went sends the case to the no-mobile list when the campaign ends', () => {
    let s = start(INPUTS.letterWithMobileAndSecondAddress);
    const steps: CaseEvent[] = [
      { type: 'LETTER_DUE' },
      { type: 'LETTERS_SENT', sentOn: '2026-09-10', batchId: 'b' },
      { type: 'PHONE_CAMPAIGN_STARTED', campaign: 'autumn' },
      { type: 'SMS_DUE' },
      { type: 'CALL', result: 'wrongNumber', by },
      { type: 'PHONE_CAMPAIGN_ENDED' },
    ];
    for (const e of steps) s = send(s, e);
    expect([stageOf(s), s.context.sms, s.context.otStatus]).toEqual(['noMobile', 'noMobile', 'OTUK']);
  });

  it('resumes from a stored state value and context (continue-as-new) exactly where it stood', () => {
    const stored = (x: Snapshot) => JSON.stringify({ value: x.value, context: x.context });
    let resumedStates = 0;
    for (const out of Object.values(OUT)) {
      for (const [state, edges] of out) {
        if (state.status === 'done') continue;
        const resumed = youthCaseMachine.resolveState(JSON.parse(stored(state)));
        resumedStates++;
        // What the state itself does with an event: the graph holds it for those the workflow lets through.
        const taken = new Map(edges.map((e) => [e.event, e.nextState]));
        for (const event of SAMPLES) {
          const a = taken.get(event) ?? send(state, event);
          const b = send(resumed, event);
          check(b.status).toBe(a.status);
          // The same JSON, or (keys in another order) the same data.
          const [sa, sb] = [stored(a), stored(b)];
          if (sa !== sb) expect(JSON.parse(sb)).toEqual(JSON.parse(sa));
        }
      }
    }
    expect(resumedStates).toBeGreaterThan(100);
  });
});

describe('the refusals a caseworker sees', () => {
  const reachable = REACHED;

  it('agree with the machine: a claim is refused exactly where the machine cannot take it', () => {
    const claim = SAMPLES.find((e) => e.type === 'CLAIM') as CaseRequest;
    for (const s of reachable) check([stageOf(s), refusalOf(s, claim) === undefined]).toEqual([stageOf(s), s.status !== 'done' && s.can(claim)]);
  });

  it('refuse a returned letter before any letter went, and once the youth is reached', () => {
    const returned: CaseRequest = { type: 'LETTER_RETURNED', by };
    for (const s of reachable) {
      const ok = s.status !== 'done' && s.context.letter !== undefined && UNREACHED_AFTER_LETTER_STAGES.includes(stageOf(s));
      check([stageOf(s), refusalOf(s, returned) === undefined]).toEqual([stageOf(s), ok]);
    }
  });

  const letterSent = send(send(start(INPUTS.letterWithMobileAndSecondAddress), { type: 'LETTER_DUE' }), {
    type: 'LETTERS_SENT',
    sentOn: '2026-09-10',
    batchId: 'b',
  });
  it.each([
    [
      'an OS code as an outcome',
      { type: 'OUTCOME', status: 'OSON', channel: 'phone', by },
      /^OSON is an OS code: it says why VIGO sent the youth to OT and cannot be an outcome/,
    ],
    ['OTUK as an outcome', { type: 'OUTCOME', status: 'OTUK', channel: 'phone', by }, /^OTUK means nobody knows what the youth does yet/],
    ['a code that does not exist', { type: 'OUTCOME', status: 'OTXX', channel: 'phone', by }, /^OTXX is not a UDIR OT status code/],
    [
      'a claim after the letter went',
      { type: 'CLAIM', status: 'OTOV', caseworker: 'Nils', by },
      /^the letter went on 2026-09-10: a claim must come before the letters/,
    ],
    [
      'a claim with a code out of the target group',
      { type: 'CLAIM', status: 'OTFA_IM', caseworker: 'Nils', by },
      /takes the youth out of the target group: register it as an outcome/,
    ],
    ['an unknown channel', { type: 'REPLY', channel: 'pigeon', by }, /^the channel must be one of reply-sheet, phone, email, sms, drop-in/],
    ['a request nobody signs', { type: 'REPLY', channel: 'phone', by: '  ' }, /^say who registers this/],
    [
      'a note holding a national id number',
      { type: 'REPLY', channel: 'phone', by, note: 'fnr 150105 12345' },
      /note looks like it holds a national id number/,
    ],
    [
      'a note id that is no id (text sent in its place)',
      { type: 'REPLY', channel: 'phone', by, noteId: 'vil ha rettleiing' },
      /^noteId must be the id of a stored note/,
    ],
    [
      'an unknown contact source',
      { type: 'CONTACT', kind: 'mobile', source: 'rumour', by },
      /^the source must be one of nav, admissions-office, youth/,
    ],
  ])('refuses %s', (_, request, message) => {
    expect(refusalOf(letterSent, request as CaseRequest)).toMatch(message);
  });

  it('refuses anything on a closed case, and a claim on a case already followed up', () => {
    const closed = send(letterSent, { type: 'SCHOOL_YEAR_ENDED' });
    expect(refusalOf(closed, { type: 'OUTCOME', status: 'OTAR', channel: 'phone', by })).toBe('the case is closed: its school year has ended');
    const kept = start(INPUTS.caseworkerFollowUp);
    expect(refusalOf(kept, { type: 'CLAIM', status: 'OTOV', caseworker: 'Åse', by })).toBe('the case is already followed up by Nils Rådgjevar');
  });

  it('accepts every outcome code of groups 2–5 and refuses the rest', () => {
    for (const code of OT_STATUS_CODES) {
      const refusal = refusalOf(letterSent, { type: 'OUTCOME', status: code, channel: 'phone', by });
      expect([code, refusal === undefined]).toEqual([code, otGroupOf(code) >= 2]);
    }
  });
});

describe('classification', () => {
  const cases: [string, Partial<CaseInput>, Partial<CaseFacts>, CaseStage, string][] = [
    [
      'fictitious without address wins over a washed follow-up status',
      { washedStatus: 'OTOV' },
      { fictitiousId: true, hasAddress: false },
      'feil',
      'Feil',
    ],
    [
      'fictitious without address wins over a washed *_IM status',
      { washedStatus: 'OTFU_IM' },
      { fictitiousId: true, hasAddress: false },
      'feil',
      'Feil',
    ],
    ['fictitious without address, not washed', {}, { fictitiousId: true, hasAddress: false }, 'feil', 'Feil'],
    ['fictitious with an address gets the letter', { osCode: 'OSUT' }, { fictitiousId: true }, 'awaitingLetter', 'OSUT'],
    ['washed *_IM wins over a missing address', { washedStatus: 'OTFA_IM' }, { hasAddress: false }, 'notInTargetGroup', 'OTFA_IM'],
    ['washed Feil on a real id is out of the target group', { washedStatus: 'Feil' }, {}, 'notInTargetGroup', 'Feil'],
    ['a caseworker’s status wins over a missing address', { washedStatus: 'OTOV' }, { hasAddress: false }, 'caseworkerFollowUp', 'OTOV'],
    [
      'washed OTUK without address waits for one, keeping its OS code',
      { washedStatus: 'OTUK', osCode: 'OSNP' },
      { hasAddress: false },
      'needsAddress',
      'OSNP',
    ],
    ['washed OTUK with an address gets the letter, keeping its OS code', { washedStatus: 'OTUK', osCode: 'OSVE' }, {}, 'awaitingLetter', 'OSVE'],
    ['not washed, with an address', {}, {}, 'awaitingLetter', 'OSON'],
  ];
  it.each(cases)('%s', (_, over, factsOver, stage, otStatus) => {
    const s = start(input(over, factsOver));
    expect([stageOf(s), s.context.otStatus]).toEqual([stage, otStatus]);
  });

  it('is consistent for every combination of facts, washed status and caseworker, in the order of formats/vigo-transfer.md', () => {
    const bools = [false, true];
    for (const washedStatus of [undefined, ...OT_STATUS_CODES])
      for (const fictitiousId of bools)
        for (const hasAddress of bools)
          for (const hasMobile of bools)
            for (const caseworker of [undefined, 'Nils Rådgjevar']) {
              const from = input({ washedStatus, caseworker }, { fictitiousId, hasAddress, hasMobile });
              const s = start(from);
              expectConsistent(s, from);
              const expected: CaseStage =
                fictitiousId && !hasAddress
                  ? 'feil'
                  : washedStatus && otGroupOf(washedStatus) === 5
                    ? 'notInTargetGroup'
                    : washedStatus && washedStatus !== 'OTUK'
                      ? 'caseworkerFollowUp'
                      : !hasAddress
                        ? 'needsAddress'
                        : 'awaitingLetter';
              expect(stageOf(s)).toBe(expected);
              // Caseworkers keep only the cases they follow up themselves (seed 000).
              expect(s.context.caseworker).toBe(expected === 'caseworkerFollowUp' ? caseworker : undefined);
            }
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
      sms: 'notYet',
    });
  });

  it.each([
    [{ fictitiousId: true }, ['fictitiousId']],
    [{ hasAddress: false }, ['needsAddress']],
    [{ hasMobile: false }, ['noMobile']],
    [{ under18: true }, ['under18']],
    [{ fictitiousId: true, hasAddress: false, hasMobile: false, under18: true }, ['fictitiousId', 'needsAddress', 'noMobile', 'under18']],
  ] as [Partial<CaseFacts>, string[]][])('flags %j as %j', (factsOver, flags) => {
    const s = start(input({}, factsOver));
    expect(caseViewOf(stageOf(s), s.context).flags).toEqual(flags);
  });

  it('flags a returned letter, and needsAddress until a new one is registered', () => {
    const sent = send(send(start(input()), { type: 'LETTER_DUE' }), { type: 'LETTERS_SENT', sentOn: '2026-09-10', batchId: 'b' });
    const returned = send(sent, { type: 'LETTER_RETURNED', by });
    expect(caseViewOf(stageOf(returned), returned.context).flags).toEqual(['needsAddress', 'letterReturned']);
    const fixed = send(returned, { type: 'CONTACT', kind: 'address', source: 'nav', by });
    expect(caseViewOf(stageOf(fixed), fixed.context).flags).toEqual(['letterReturned']);
  });

  it('names the caseworker in the search attributes only when there is one', () => {
    const s = start(input({ washedStatus: 'OTOV' }));
    expect(searchAttributesOf(caseViewOf(stageOf(s), s.context)).map((p) => [p.key.name, p.value])).toEqual([
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
