import { z } from 'zod';

/**
 * The roles of DOMAIN.md. A user holds one role; the roles marked county-wide see every unit, the others
 * only the units given with the role.
 */
export const ROLES = ['operator', 'superUser', 'caseworker', 'officeStaff', 'leader', 'smsGateway'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** What each role is called where people read it (the CLI's lists, the console, refusals). */
export const ROLE_LABELS: Record<Role, string> = {
  operator: 'operator (system owner)',
  superUser: 'super user',
  caseworker: 'caseworker (OT-rådgjevar)',
  officeStaff: 'office staff (kontortilsett)',
  leader: 'leader',
  smsGateway: 'SMS gateway',
};

/** Roles whose work spans the county; a unit-scoped role needs at least one unit. */
export const COUNTY_WIDE_ROLES: readonly Role[] = ['operator', 'superUser', 'leader', 'smsGateway'];

/** Who is asking: the signed-in user, the operator behind the CLI, or the holder of an API token. */
export interface Principal {
  /** The user's id (users.id), recorded in the journal and the audit. */
  userId: string;
  /** The user's sign-in name. */
  username: string;
  /** How people know them: shown in the journal beside what they did. */
  displayName: string;
  role: Role;
  /** The units the role covers; empty for a county-wide role. */
  units: string[];
  /** Set when the request came with an API token rather than a session. */
  tokenId?: string;
}
