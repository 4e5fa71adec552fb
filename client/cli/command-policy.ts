import type { Action } from '../../domain/access-policy';

/**
 * The policy action of every CLI command, by its path. A command missing here cannot run (the CLI
 * refuses it), and a test checks that every command of the program has its entry.
 */
export const COMMAND_POLICY: Record<string, Action> = {
  status: 'status.read',
  'cohort import': 'cohort.import',
  cases: 'cases.search',
  'case find': 'cases.lookup',
  'case show': 'case.read',
  'case outcome': 'case.outcome',
  'case reply': 'case.reply',
  'case claim': 'case.claim',
  'case returned': 'case.returnedLetter',
  'case contact': 'case.contact',
  'letters batch': 'letters.print',
  'letters preview': 'letters.preview',
  'letters confirm': 'letters.confirm',
  'sms campaign': 'sms.campaign',
  'sms export': 'sms.export',
  'sms confirm': 'sms.confirm',
  'sms inbox': 'sms.inbox.read',
  'sms assign': 'sms.inbox.assign',
  crosscheck: 'crosscheck.run',
  'calls list': 'calls.read',
  'calls register': 'case.call',
  report: 'reports.read',
  counters: 'counters.read',
  evaluation: 'evaluation.read',
  'calendar show': 'calendar.read',
  'calendar set': 'calendar.write',
  'demo generate': 'demo.generate',
  'users add': 'users.manage',
  'users list': 'users.manage',
  'users disable': 'users.manage',
  'users reset-password': 'users.manage',
  'users token': 'users.manage',
  'users tokens': 'users.manage',
  'users revoke': 'users.manage',
  audit: 'audit.read',
  'person export': 'person.export',
};
