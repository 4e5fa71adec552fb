import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the system writes a cohort's files by default, so retention finds them: the letter batches' PDFs and
 * lists, the held letters and the admissions office's lists, per unit. An export written elsewhere (`--out` to a
 * folder the operator chose) is the operator's to keep or delete. A new kind of file is a folder here.
 */
export function letterFolder(dataDir: string, schoolYear: number, unit: string): string {
  return path.join(dataDir, 'letters', String(schoolYear), unit);
}

/** A unit's returns to VIGO: the file that goes back to VIGO and the admissions office's list of the Feil cases in it. */
export function vigoReturnFolder(dataDir: string, schoolYear: number, unit: string): string {
  return path.join(dataDir, 'vigo', String(schoolYear), unit);
}

/** The NAV meeting's lists of a unit: the OTUK youth with their contact details. */
export function navMeetingFolder(dataDir: string, schoolYear: number, unit: string): string {
  return path.join(dataDir, 'nav', String(schoolYear), unit);
}

export function cohortFolders(dataDir: string, schoolYear: number): string[] {
  return ['letters', 'vigo', 'nav'].map((kind) => path.join(dataDir, kind, String(schoolYear)));
}

/** The base name of a batch's files: `<base>.pdf`, `<base>-liste.csv|xlsx`, `<base>-haldne.csv|xlsx`. */
export function batchFileBase(b: { schoolYear: number; unit: string; osCode: string; number: number }): string {
  return `brev-${b.schoolYear}-${b.unit}-${b.osCode}-${b.number}`;
}

export const admissionsListBase = (schoolYear: number, unit: string) => `inntakskontoret-${schoolYear}-${unit}`;

/** The base names of one return to VIGO (`stamp` is when it was made, so a later return never overwrites an earlier one). */
export const vigoReturnBase = (schoolYear: number, unit: string, stamp: string) => `vigo-retur-${schoolYear}-${unit}-${stamp}`;
export const feilListBase = (schoolYear: number, unit: string, stamp: string) => `inntakskontoret-feil-${schoolYear}-${unit}-${stamp}`;

/** The base name of a NAV meeting's list of a unit (or of one caseworker's share of it). */
export const navMeetingBase = (schoolYear: number, unit: string, stamp: string) => `nav-${schoolYear}-${unit}-${stamp}`;

/** Every file under the folders, sorted. */
export function filesUnder(folders: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  folders.forEach(walk);
  return out.sort();
}

/** The files of a unit's folder that belong to these batches, or are its admissions office list. */
export function filesOfBatches(dataDir: string, batches: { schoolYear: number; unit: string; osCode: string; number: number }[]): string[] {
  const out = new Set<string>();
  for (const b of batches) {
    const folder = letterFolder(dataDir, b.schoolYear, b.unit);
    const bases = [batchFileBase(b), admissionsListBase(b.schoolYear, b.unit)];
    for (const f of filesUnder([folder]))
      if (bases.some((base) => path.basename(f).startsWith(`${base}.`) || path.basename(f).startsWith(`${base}-`))) out.add(f);
  }
  return [...out].sort();
}
