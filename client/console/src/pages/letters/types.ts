/**
 * A row of GET /cases, as the returned-letter form reads it. The letter routes' answers are typed in
 * schemas/api/operator.ts; this one belongs to the case routes' answers.
 */
export interface CaseRow {
  caseId: string;
  unit: string;
  osCode: string;
  otStatus: string;
  stage: string;
  name: string;
}
