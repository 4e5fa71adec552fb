import { describeImport } from '../../client/cli/import-command';
import type { ImportSummary } from '../../workflows/contracts/cohort-import';

const summary: ImportSummary = {
  importId: 'imp-1',
  schoolYear: 2026,
  fileName: 'overforing.csv',
  rows: 6,
  created: 4,
  existing: 0,
  rejected: [{ line: 7, reason: 'mobil is not a Norwegian mobile number' }],
  outsideTargetGroup: [3],
  changed: [],
  warnings: [],
  stages: { awaitingLetter: 4 },
  returnToVigo: [],
  forAdmissionsOffice: [],
  refused: false,
  carriedOver: { inOtLastYear: 2, unreachedLastYear: 1 },
  ageLimit: { agesOut: 3, agedOutAtImport: 1 },
};

describe('what `ot cohort import` prints', () => {
  it('says how many were in OT last year, how many nobody reached then, and who is at the age limit or past it', () => {
    const text = describeImport(summary);
    expect(text.split('\n')).toEqual([
      'overforing.csv: 6 rows for school year 2026',
      '  created 4, already there 0, rejected 1, outside the target group 1',
      '  stages: awaitingLetter 4',
      '  in OT last year too: 2 (of them never reached last year: 1)',
      '  at the age limit, leaving the target group on 1 January: 3 (of them already past it, leaving at once: 1)',
      '  outside the target group: lines 3',
      '  line 7: rejected: mobil is not a Norwegian mobile number',
    ]);
  });

  it('leaves the two counts out for a summary of an import finished before they existed', () => {
    const { carriedOver: _c, ageLimit: _a, ...before } = summary;
    const text = describeImport(before);
    expect(text).not.toContain('in OT last year');
    expect(text).not.toContain('age limit');
  });
});
