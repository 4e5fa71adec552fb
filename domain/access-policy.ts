import { COUNTY_WIDE_ROLES, ROLE_LABELS, type Principal, type Role } from '../schemas/roles';

/**
 * Which role may do what: the one table the API, the CLI and the console ask. Each action names the
 * roles that may take it and whether it concerns one unit (a case, a unit's list): then a unit-scoped
 * role may take it only for its own units, and anything of another unit is answered as if it did not
 * exist. The operator (system owner) may do everything, county-wide.
 */
export const POLICY = {
  'status.read': { does: 'see the health of the system', roles: ['operator'], unit: false },
  'cases.search': { does: 'search cases', roles: ['operator', 'superUser', 'caseworker', 'officeStaff'], unit: true },
  'cases.lookup': { does: 'look up a case by national id', roles: ['operator', 'superUser', 'caseworker', 'officeStaff'], unit: true },
  'case.read': { does: 'read a case and its journal', roles: ['operator', 'superUser', 'caseworker', 'officeStaff'], unit: true },
  'case.claim': { does: 'claim a case', roles: ['operator', 'caseworker'], unit: true },
  'case.outcome': { does: 'set an outcome', roles: ['operator', 'caseworker'], unit: true },
  'case.reply': { does: 'register a reply', roles: ['operator', 'caseworker', 'officeStaff'], unit: true },
  'case.contact': { does: 'register contact details', roles: ['operator', 'caseworker'], unit: true },
  'case.returnedLetter': { does: 'register a returned letter', roles: ['operator', 'officeStaff'], unit: true },
  'case.call': { does: 'register a call', roles: ['operator', 'caseworker', 'officeStaff'], unit: true },
  'case.plan': { does: 'make or change a follow-up plan', roles: ['operator', 'caseworker'], unit: true },
  'case.review': { does: 'register a review of a follow-up plan', roles: ['operator', 'caseworker'], unit: true },
  'worklist.read': {
    does: "read a caseworker's deadlines (reviews due, replies overdue)",
    roles: ['operator', 'superUser', 'caseworker', 'officeStaff'],
    unit: true,
  },
  // The leader steers the work and reads no case: their list names case ids and caseworkers, never the youth.
  'overdue.read': { does: 'read the reviews and replies past their deadline', roles: ['operator', 'superUser', 'leader'], unit: true },
  'units.read': {
    does: 'see the units and who phones in them',
    roles: ['operator', 'superUser', 'caseworker', 'officeStaff', 'leader'],
    unit: false,
  },
  'calls.read': { does: 'read call lists', roles: ['operator', 'superUser', 'caseworker', 'officeStaff'], unit: true },
  'calls.reassign': { does: 'move calls to another staff member', roles: ['operator', 'officeStaff'], unit: true },
  'staff.change': { does: "add or remove the staff who share a unit's call lists", roles: ['operator', 'officeStaff'], unit: true },
  'sms.inbox.read': { does: 'read the SMS inbox', roles: ['operator', 'superUser', 'caseworker', 'officeStaff'], unit: false },
  'sms.inbox.assign': { does: 'assign an SMS reply to a case', roles: ['operator', 'caseworker', 'officeStaff'], unit: true },
  'sms.gateway': { does: 'deliver SMS callbacks', roles: ['smsGateway'], unit: false },
  'sms.campaign': { does: 'run an SMS campaign', roles: ['operator'], unit: true },
  'sms.export': { does: 'export SMS for sending', roles: ['operator'], unit: true },
  'sms.confirm': { does: 'confirm SMS sent', roles: ['operator'], unit: true },
  'letters.print': { does: 'print letter batches', roles: ['operator', 'officeStaff'], unit: true },
  'letters.confirm': { does: 'confirm letters sent', roles: ['operator', 'officeStaff'], unit: true },
  'letters.preview': { does: 'preview a case letter', roles: ['operator', 'officeStaff', 'caseworker'], unit: true },
  // The return to VIGO (seed 001): whoever washes the lists sends the cases out of the target group back.
  'vigo.read': { does: 'read the cases to send back to VIGO', roles: ['operator', 'superUser', 'caseworker', 'officeStaff'], unit: true },
  'vigo.return': { does: 'mark cases sent back to VIGO', roles: ['operator', 'caseworker', 'officeStaff'], unit: true },
  // The cooperation meeting with NAV: the counsellors take their OTUK lists and bring back what NAV knows.
  'nav.export': {
    does: 'export the OTUK youth with contact details for the NAV meeting',
    roles: ['operator', 'superUser', 'caseworker'],
    unit: true,
  },
  'nav.import': { does: 'import what the NAV meeting learned', roles: ['operator', 'caseworker'], unit: true },
  'counters.read': { does: 'read the counters', roles: ['operator', 'superUser', 'leader', 'caseworker', 'officeStaff'], unit: true },
  'reports.read': { does: 'read the reports', roles: ['operator', 'superUser', 'leader'], unit: false },
  'evaluation.read': { does: 'read the evaluation', roles: ['operator', 'superUser', 'leader'], unit: false },
  'calendar.read': { does: 'read the calendar', roles: ['operator', 'superUser', 'leader', 'caseworker', 'officeStaff'], unit: false },
  'calendar.write': { does: 'change the calendar', roles: ['operator'], unit: false },
  'cohort.import': { does: 'import a cohort', roles: ['operator'], unit: false },
  'crosscheck.run': { does: 'run a cross-check', roles: ['operator'], unit: false },
  'users.manage': { does: 'manage users and tokens', roles: ['operator'], unit: false },
  'person.export': { does: 'export everything held about a person (an access request)', roles: ['operator'], unit: false },
  'audit.read': { does: 'read the audit', roles: ['operator', 'leader'], unit: false },
  'demo.generate': { does: 'generate a demo file', roles: ['operator'], unit: false },
  // The Temporal UI's codec server: decoding shows every case's payloads (notes, the journal), county-wide.
  'payloads.decode': { does: "decode Temporal's payloads (the Temporal UI's codec server)", roles: ['operator', 'superUser'], unit: false },
  'payloadKeys.manage': { does: 'rotate the payload keys', roles: ['operator'], unit: false },
  // Erasure is the system owner's alone (issue 14): the law decides when data goes, and they answer for it.
  'retention.read': { does: 'see what a cohort holds and when its retention period ends', roles: ['operator'], unit: false },
  'retention.run': { does: 'erase a cohort past its retention period', roles: ['operator'], unit: false },
  'person.erase': { does: "erase one person's data on request", roles: ['operator'], unit: false },
  'self.settings': {
    does: 'change their own settings',
    roles: ['operator', 'superUser', 'caseworker', 'officeStaff', 'leader'],
    unit: false,
  },
} as const satisfies Record<string, { does: string; roles: readonly Role[]; unit: boolean }>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

/** What the table says to one request: go ahead, not for this role (403), or not this user's unit (404). */
export type Decision = { outcome: 'allowed' } | { outcome: 'forbidden'; reason: string } | { outcome: 'notFound' };

export function mayTake(role: Role, action: Action): boolean {
  return (POLICY[action].roles as readonly Role[]).includes(role);
}

export function isCountyWide(role: Role): boolean {
  return COUNTY_WIDE_ROLES.includes(role);
}

/** The units a principal sees: undefined means every unit. */
export function visibleUnits(who: Pick<Principal, 'role' | 'units'>): string[] | undefined {
  return isCountyWide(who.role) ? undefined : who.units;
}

export function coversUnit(who: Pick<Principal, 'role' | 'units'>, unit: string): boolean {
  return isCountyWide(who.role) || who.units.includes(unit);
}

/**
 * Decides one request. `unit` is the unit of the case or list the request is about, when it is about one;
 * a unit-scoped action asked without a unit is decided by the role alone (the caller then limits what it reads
 * to `visibleUnits`).
 */
export function decide(who: Pick<Principal, 'role' | 'units'>, action: Action, unit?: string): Decision {
  if (!mayTake(who.role, action)) return { outcome: 'forbidden', reason: `the role ${ROLE_LABELS[who.role]} may not ${POLICY[action].does}` };
  if (POLICY[action].unit && unit !== undefined && !coversUnit(who, unit)) return { outcome: 'notFound' };
  return { outcome: 'allowed' };
}

/** Actions that only read: their audit rows are reads; every other allowed action is a write. */
const READS = new Set<Action>([
  'status.read',
  'cases.search',
  'cases.lookup',
  'case.read',
  'units.read',
  'calls.read',
  'worklist.read',
  'overdue.read',
  'sms.inbox.read',
  'letters.preview',
  'vigo.read',
  'nav.export',
  'counters.read',
  'reports.read',
  'evaluation.read',
  'calendar.read',
  'audit.read',
  'person.export',
  'demo.generate',
  'payloads.decode',
]);

export const isRead = (action: Action): boolean => READS.has(action);

/** The actions a principal may take, for the console to show only what works. */
export function allowedActions(role: Role): Action[] {
  return ACTIONS.filter((a) => mayTake(role, a));
}
