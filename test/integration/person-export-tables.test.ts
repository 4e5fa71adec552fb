import { PERSON_EXPORT_TABLES } from '../../db/person-export';
import { openStack, type TestStack } from '../support/stack';

/**
 * The access export covers every table that holds a row about a person or their case: a new table with a
 * case_id, case_ids or national_id column fails here until db/person-export.ts reads it (PERSON_EXPORT_TABLES).
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await openStack();
});
afterAll(() => stack.close());

it('exports every person-linked table of the migrated schema, and names no table that is not one', async () => {
  const r = await stack.pool.query<{ table_name: string }>(
    `SELECT DISTINCT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' AND c.column_name IN ('case_id', 'case_ids', 'national_id', 'person_id') ORDER BY 1`,
  );
  expect(r.rows.map((x) => x.table_name).sort()).toEqual(Object.keys(PERSON_EXPORT_TABLES).sort());
});
