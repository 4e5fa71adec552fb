import { namespaceRetentionDetail } from '../../client/use-cases/health';

/** `ot status`'s rule: Temporal keeps a closed case no longer than PostgreSQL may keep its data. */
describe('the namespace retention check', () => {
  const DAY = 86_400;
  it('passes a retention within the cohort period', () => {
    expect(namespaceRetentionDetail(365 * DAY, 5)).toMatch(/365 days \(at most 1825\)/);
    expect(namespaceRetentionDetail(DAY, 0)).toMatch(/1 days/);
  });
  it('fails a retention longer than the data may be kept, or none', () => {
    expect(() => namespaceRetentionDetail(2000 * DAY, 5)).toThrow(/longer than the data may be kept/);
    expect(() => namespaceRetentionDetail(2 * DAY, 0)).toThrow(/longer/);
    expect(() => namespaceRetentionDetail(0, 5)).toThrow(/for ever/);
  });
});
