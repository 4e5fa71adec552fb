import { readdir } from 'node:fs/promises';
import type { Pool } from 'pg';
import { admissionsOfficeList, type AdmissionsEntry } from '../../db/letter-batches';
import { heldLetterRows, letterBatchRows, letterCodeStates, letterMailingRows, type HeldLetterRow } from '../../db/letter-overview';
import type { LetterCodeSummary, UnitLetters } from '../../schemas/api/operator';
import type { Config } from '../../schemas/config';
import { OS_CODES } from '../../schemas/ot-codes';
import { findUnit } from '../../schemas/units';
import { defaultLetterFolder } from './letter-batches';

export type { LetterCodeSummary, UnitLetters };

/** A file of the unit's letter folder, as GET /letters/:schoolYear/:unit/files/:fileName serves it. */
const fileUrl = (schoolYear: number, unit: string, name: string) => `/letters/${schoolYear}/${unit}/files/${encodeURIComponent(name)}`;

async function folderFiles(config: Config, schoolYear: number, unit: string): Promise<string[]> {
  return (await readdir(defaultLetterFolder(config, schoolYear, unit)).catch(() => [] as string[])).sort();
}

/**
 * Where each unit's letters stand: per OS code what is due and what waits for confirmation, the printed
 * batches with their files, and the confirmed mailings with their progress. Counts only: no name, no case id.
 */
export async function letterOverview(deps: { pool: Pool; config: Config }, schoolYear: number, units: readonly string[]): Promise<UnitLetters[]> {
  const [states, batches, mailings] = await Promise.all([
    letterCodeStates(deps.pool, schoolYear, units),
    letterBatchRows(deps.pool, schoolYear, units),
    letterMailingRows(deps.pool, schoolYear, units),
  ]);
  return Promise.all(
    units.map(async (unit) => {
      const files = await folderFiles(deps.config, schoolYear, unit);
      const codes = OS_CODES.map((osCode) => {
        const s = states.find((x) => x.unit === unit && x.osCode === osCode);
        return { osCode, due: s?.due ?? 0, returned: s?.returned ?? 0, awaitingConfirmation: s?.awaitingConfirmation ?? 0 };
      });
      return {
        unit,
        unitName: findUnit(deps.config.units, unit)?.name ?? '',
        codes,
        batches: batches
          .filter((b) => b.unit === unit)
          .map((b) => {
            const base = `brev-${schoolYear}-${unit}-${b.osCode}-${b.number}`;
            // The PDF first, then its list, then the letters held back; CSV before XLSX.
            const own = [`${base}.pdf`, `${base}-liste.csv`, `${base}-liste.xlsx`, `${base}-haldne.csv`, `${base}-haldne.xlsx`].filter((f) =>
              files.includes(f),
            );
            return { ...b, files: own.map((f) => fileUrl(schoolYear, unit, f)) };
          }),
        mailings: mailings.filter((m) => m.unit === unit),
        admissionsOfficeFiles: files.filter((f) => f.startsWith(`inntakskontoret-${schoolYear}-${unit}.`)).map((f) => fileUrl(schoolYear, unit, f)),
      };
    }),
  );
}

/** The unit's letters held back that no batch has printed since. */
export function heldLetters(pool: Pool, q: { schoolYear: number; unit: string }): Promise<HeldLetterRow[]> {
  return heldLetterRows(pool, q);
}

/** The admissions office's list of the unit now: youth with no address left to send their letter to. */
export function admissionsOffice(pool: Pool, q: { schoolYear: number; unit: string }): Promise<AdmissionsEntry[]> {
  return admissionsOfficeList(pool, q);
}
