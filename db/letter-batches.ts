import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './pool';
import { printOrder, resentLetter, standardLetters, type HeldLetter, type PersonForLetter, type PlannedLetter } from '../domain/letter-recipients';
import type { LetterLanguage } from '../schemas/units';
import type { AdmissionsEntry } from '../schemas/api/operator';
import type { PostalAddress } from '../schemas/vigo-row';
import { UNREACHED_AFTER_LETTER_STAGES } from '../workflows/youth-case/machine';

export interface BatchRequest {
  schoolYear: number;
  unit: string;
  osCode: string;
  /** The date printed on the letters (yyyy-mm-dd, Oslo). */
  letterDate: string;
  language: LetterLanguage;
  by: string;
}

export interface BatchSummary {
  batchId: string;
  number: number;
  letterDate: string;
  letters: number;
  standard: number;
  resent: number;
  guardianCopies: number;
  held: number;
}

export interface BatchLetter extends PlannedLetter {
  position: number;
}

export interface HeldRow extends HeldLetter {
  name: string;
}

interface PersonRow {
  case_id: string;
  first_name: string;
  last_name: string;
  address: PostalAddress | null;
  address2: PostalAddress | null;
  guardians: PersonForLetter['guardians'];
  flags: string[];
  letter_returns: number;
}

const PERSON_COLUMNS = 'c.case_id, c.flags, c.letter_returns, p.first_name, p.last_name, p.address, p.address2, p.guardians';

function personOf(row: PersonRow): PersonForLetter {
  return {
    caseId: row.case_id,
    firstName: row.first_name,
    lastName: row.last_name,
    address: row.address,
    address2: row.address2,
    guardians: row.guardians ?? [],
    under18: row.flags.includes('under18'),
  };
}

/** One case's person as a letter needs it, with the case's unit and school year; undefined for no such case. */
export async function readPersonForLetter(
  pool: Pool,
  caseId: string,
): Promise<{ person: PersonForLetter; unit: string; schoolYear: number } | undefined> {
  const r = await pool.query<PersonRow & { unit: string; school_year: number }>(
    `SELECT ${PERSON_COLUMNS}, c.unit, c.school_year FROM cases c JOIN persons p USING (case_id) WHERE c.case_id = $1`,
    [caseId],
  );
  const row = r.rows[0];
  return row && { person: personOf(row), unit: row.unit, schoolYear: row.school_year };
}

/** The addresses each case's letter has already been printed for. */
async function triedAddresses(db: PoolClient, caseIds: string[]): Promise<Map<string, PostalAddress[]>> {
  const rows = await db.query<{ case_id: string; address: PostalAddress }>(
    `SELECT case_id, address FROM letters WHERE case_id = ANY($1) AND recipient = 'youth' ORDER BY round`,
    [caseIds],
  );
  const tried = new Map<string, PostalAddress[]>();
  for (const r of rows.rows) tried.set(r.case_id, [...(tried.get(r.case_id) ?? []), r.address]);
  return tried;
}

/**
 * Serialises everything that reads or changes the printed batches of one unit and OS code until the
 * transaction ends: two batch runs (so no letter is printed twice), and a batch run against the letters
 * mailing's confirmation (see closeMailing), so a confirmation marks mailed exactly the batches whose cases it recodes.
 */
export async function lockLetterBatches(db: PoolClient, of: { schoolYear: number; unit: string; osCode: string }): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`letter-batch:${of.schoolYear}:${of.unit}:${of.osCode}`]);
}

/**
 * The next print batch of a unit and OS code: every case due a standard letter that has none printed,
 * and every returned letter that can go again to an address not yet tried. Held letters are recorded
 * with the batch. `print` renders it inside the same transaction: the batch is stored only if its files
 * were written, and two runs never print a letter twice. Returns undefined when there is nothing to print or hold.
 */
export async function prepareLetterBatch<R>(
  pool: Pool,
  req: BatchRequest,
  print: (batch: StoredBatch) => Promise<R>,
): Promise<{ summary: BatchSummary; printed: R } | undefined> {
  return inTransaction(pool, async (db) => {
    await lockLetterBatches(db, req);
    const due = await db.query<PersonRow>(
      `SELECT ${PERSON_COLUMNS} FROM cases c JOIN persons p USING (case_id)
       WHERE c.school_year = $1 AND c.unit = $2 AND c.os_code = $3 AND c.stage = 'letterDue'
         AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.case_id = c.case_id AND l.round = 0 AND l.recipient = 'youth')`,
      [req.schoolYear, req.unit, req.osCode],
    );
    const returned = await db.query<PersonRow>(
      `SELECT ${PERSON_COLUMNS} FROM cases c JOIN persons p USING (case_id)
       WHERE c.school_year = $1 AND c.unit = $2 AND c.os_code = $3 AND c.letter_returns > 0 AND c.stage = ANY($4)
         AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.case_id = c.case_id AND l.round = c.letter_returns AND l.recipient = 'youth')`,
      [req.schoolYear, req.unit, req.osCode, UNREACHED_AFTER_LETTER_STAGES],
    );
    const letters: PlannedLetter[] = [];
    const held: HeldRow[] = [];
    for (const row of due.rows) {
      const planned = standardLetters(personOf(row), req.language);
      letters.push(...planned.letters);
      held.push(...planned.held.map((h) => ({ ...h, name: `${row.first_name} ${row.last_name}`.trim() })));
    }
    const tried = await triedAddresses(
      db,
      returned.rows.map((r) => r.case_id),
    );
    let resent = 0;
    for (const row of returned.rows) {
      const again = resentLetter(personOf(row), row.letter_returns, tried.get(row.case_id) ?? [], req.language);
      if (again) {
        letters.push(again);
        resent++;
      }
    }
    if (letters.length === 0 && held.length === 0) return undefined;

    const batchId = randomUUID();
    const number = (
      await db.query<{ n: number }>(
        'SELECT COALESCE(max(number), 0) + 1 AS n FROM letter_batches WHERE school_year = $1 AND unit = $2 AND os_code = $3',
        [req.schoolYear, req.unit, req.osCode],
      )
    ).rows[0].n;
    await db.query(
      'INSERT INTO letter_batches (batch_id, school_year, unit, os_code, number, letter_date, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [batchId, req.schoolYear, req.unit, req.osCode, number, req.letterDate, req.by],
    );
    letters.sort(printOrder);
    await db.query(
      `INSERT INTO letters (case_id, round, recipient, batch_id, position, addressee, address)
       SELECT x.case_id, x.round, x.recipient, $1, x.position, x.addressee, x.address
       FROM jsonb_to_recordset($2::jsonb) AS x(case_id text, round integer, recipient text, position integer, addressee text, address jsonb)`,
      [
        batchId,
        JSON.stringify(
          letters.map((l, i) => ({
            case_id: l.caseId,
            round: l.round,
            recipient: l.recipient,
            position: i + 1,
            addressee: JSON.stringify(l.addressee),
            address: l.address,
          })),
        ),
      ],
    );
    if (held.length > 0) {
      await db.query(
        `INSERT INTO held_letters (batch_id, case_id, recipient, reason)
         SELECT $1, x.case_id, x.recipient, x.reason FROM jsonb_to_recordset($2::jsonb) AS x(case_id text, recipient text, reason text)`,
        [batchId, JSON.stringify(held.map((h) => ({ case_id: h.caseId, recipient: h.recipient, reason: h.reason })))],
      );
    }
    const summary: BatchSummary = {
      batchId,
      number,
      letterDate: req.letterDate,
      letters: letters.length,
      resent,
      standard: letters.filter((l) => l.round === 0 && l.recipient === 'youth').length,
      guardianCopies: letters.filter((l) => l.kind === 'guardianCopy').length,
      held: held.length,
    };
    const printed = await print({
      batchId,
      schoolYear: req.schoolYear,
      unit: req.unit,
      osCode: req.osCode,
      number,
      letterDate: req.letterDate,
      createdBy: req.by,
      letters: letters.map((l, i) => ({ ...l, position: i + 1 })),
      held: [...held].sort((a, b) => a.name.localeCompare(b.name, 'nb') || a.caseId.localeCompare(b.caseId)),
    });
    return { summary, printed };
  });
}

export interface StoredBatch {
  batchId: string;
  schoolYear: number;
  unit: string;
  osCode: string;
  number: number;
  letterDate: string;
  createdBy: string;
  letters: BatchLetter[];
  held: HeldRow[];
}

/** A youth the admissions office must find an address for: the shape is the API's (schemas/api/operator.ts). */
export type { AdmissionsEntry };

/**
 * Youth the admissions office must find an address for: no address known, or every known address
 * returned the letter. It names them by name and birth date, never by national id.
 */
export async function admissionsOfficeList(pool: Pool, q: { schoolYear: number; unit: string }): Promise<AdmissionsEntry[]> {
  const r = await pool.query(
    `SELECT c.case_id, c.os_code, c.stage, c.letter_returns, p.first_name, p.last_name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
            p.address, p.address2,
            (SELECT l.address FROM letters l WHERE l.case_id = c.case_id AND l.recipient = 'youth' ORDER BY l.round DESC LIMIT 1) AS last_address,
            (SELECT jsonb_agg(l.address) FROM letters l WHERE l.case_id = c.case_id AND l.recipient = 'youth') AS tried
     FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND c.unit = $2
       AND (c.stage = 'needsAddress' OR (c.letter_returns > 0 AND c.stage = ANY($3)
         AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.case_id = c.case_id AND l.round = c.letter_returns AND l.recipient = 'youth')))
     ORDER BY p.last_name, p.first_name, c.case_id`,
    [q.schoolYear, q.unit, UNREACHED_AFTER_LETTER_STAGES],
  );
  const entries: AdmissionsEntry[] = [];
  for (const row of r.rows) {
    const person: PersonForLetter = {
      caseId: row.case_id,
      firstName: row.first_name,
      lastName: row.last_name,
      address: row.address,
      address2: row.address2,
      guardians: [],
      under18: false,
    };
    if (row.stage !== 'needsAddress' && resentLetter(person, row.letter_returns, row.tried ?? [], 'nn')) continue;
    entries.push({
      caseId: row.case_id,
      name: `${row.first_name} ${row.last_name}`.trim(),
      birthDate: row.birth_date ?? undefined,
      osCode: row.os_code,
      reason: row.stage === 'needsAddress' ? 'no address known' : `the letter came back ${row.letter_returns} time(s) and no other address is known`,
      lastAddress: row.last_address ?? undefined,
    });
  }
  return entries;
}
