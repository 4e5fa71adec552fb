import type { Role } from '../../../schemas/roles';
import type { Texts } from './i18n';

/** What the console calls the system's roles, in each language. */
export const ROLE_NAMES: Texts<Record<Role, string>> = {
  nn: {
    operator: 'systemeigar',
    superUser: 'superbrukar',
    caseworker: 'OT-rådgjevar',
    officeStaff: 'kontortilsett',
    leader: 'leiar',
    smsGateway: 'SMS-portal',
  },
  nb: {
    operator: 'systemeier',
    superUser: 'superbruker',
    caseworker: 'OT-rådgiver',
    officeStaff: 'kontoransatt',
    leader: 'leder',
    smsGateway: 'SMS-portal',
  },
};
