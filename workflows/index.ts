export { youthCase } from './youth-case/workflow';
export { cohortImport } from './cohort-import';
export { mailingConfirm, calendarBroadcast, crosscheck, vigoReturn } from './mass-operations';
export { smsCampaign } from './sms-campaign';
export { reportSnapshot } from './report-snapshot';
export { retention } from './retention';
