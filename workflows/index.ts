export { youthCase } from './youth-case/workflow';
export { cohortImport } from './cohort-import';
