import type { Action } from '../../../domain/access-policy';

/** The pages, each with the action that lets a role see it: the navigation offers only those (domain/access-policy.ts). */
export const PAGES = [
  { path: '/saker', action: 'cases.search', nav: 'cases' },
  { path: '/ringjeliste', action: 'calls.read', nav: 'calls' },
  { path: '/svar', action: 'sms.inbox.read', nav: 'inbox' },
  { path: '/brev', action: 'letters.print', nav: 'letters' },
  { path: '/vigo', action: 'vigo.read', nav: 'vigo' },
  { path: '/frister', action: 'worklist.read', nav: 'worklist' },
  { path: '/over-fristen', action: 'overdue.read', nav: 'overdue' },
  { path: '/oversikt', action: 'counters.read', nav: 'overview' },
  { path: '/operator', action: 'cohort.import', nav: 'operator' },
] as const satisfies readonly { path: string; action: Action; nav: string }[];
