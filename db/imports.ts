import type { Pool, PoolClient } from 'pg';
import type { ImportSummary } from '../workflows/contracts/cohort-import';
import type { CaseInput } from '../workflows/youth-case/machine';

/** Keeps an uploaded transfer file until its import has read it (it holds personal data, so it never enters a Temporal payload). */
export async function storeUpload(
  pool: Pool,
  upload: { importId: string; schoolYear: number; fileName: string; content: string; strict: boolean },
): Promise<void> {
  await pool.query('INSERT INTO imports (import_id, school_year, file_name, content, strict) VALUES ($1, $2, $3, $4, $5)', [
    upload.importId,
    upload.schoolYear,
    upload.fileName,
    upload.content,
    upload.strict,
  ]);
}

export interface Upload {
  school_year: number;
  file_name: string;
  content: string | null;
  strict: boolean;
  /** Set once the import has read the file: its summary, or why the file could not be read. */
  summary: ImportSummary | { error: string } | null;
}

export async function readUpload(pool: Pool, importId: string): Promise<Upload | undefined> {
  const r = await pool.query<Upload>('SELECT school_year, file_name, content, strict, summary FROM imports WHERE import_id = $1', [importId]);
  return r.rows[0];
}

/** What the import came to; the file's personal data is not kept once it is read. */
export async function storeImportOutcome(db: Pool | PoolClient, importId: string, outcome: unknown): Promise<void> {
  await db.query('UPDATE imports SET content = NULL, summary = $2 WHERE import_id = $1', [importId, outcome]);
}

/** The accepted rows of an import, each with the case it starts. */
export async function insertImportRows(
  db: PoolClient,
  rows: { import_id: string; line: number; case_id: string; is_new: boolean; case_input: CaseInput }[],
): Promise<void> {
  await db.query(
    `INSERT INTO import_rows (import_id, line, case_id, is_new, case_input)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(import_id text, line integer, case_id text, is_new boolean, case_input jsonb)`,
    [JSON.stringify(rows)],
  );
}

export async function importSchoolYear(pool: Pool, importId: string): Promise<number> {
  const r = await pool.query<{ school_year: number }>('SELECT school_year FROM imports WHERE import_id = $1', [importId]);
  return r.rows[0].school_year;
}

/** The next rows of an import whose case is not started yet, in line order. */
export async function unstartedRows(pool: Pool, importId: string, pageSize: number): Promise<{ line: number; case_input: CaseInput }[]> {
  const r = await pool.query<{ line: number; case_input: CaseInput }>(
    'SELECT line, case_input FROM import_rows WHERE import_id = $1 AND NOT started ORDER BY line LIMIT $2',
    [importId, pageSize],
  );
  return r.rows;
}

/** Marks these rows' cases started; returns how many rows are left to start. */
export async function markStarted(pool: Pool, importId: string, lines: number[]): Promise<number> {
  await pool.query('UPDATE import_rows SET started = true WHERE import_id = $1 AND line = ANY($2)', [importId, lines]);
  const left = await pool.query<{ n: string }>('SELECT count(*) AS n FROM import_rows WHERE import_id = $1 AND NOT started', [importId]);
  return Number(left.rows[0].n);
}
