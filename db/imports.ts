import type { Pool } from 'pg';

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
