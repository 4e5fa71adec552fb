import { findUnit, type OtUnit } from '../schemas/units';
import { AGED_OUT_STATUS, OS_CODES, OT_STATUS_CODES } from '../schemas/ot-codes';
import type { ListColumn } from './list-files';
import { REPORT_GROUPS, type SnapshotCounts, type StatusCounts } from './report-counts';

export interface ReportRow {
  unit: string;
  unitName: string;
  counts: StatusCounts;
}

/** A column of the report table: its header in the files, and its short header on the screen (absent: not shown there). */
export interface ReportColumn extends ListColumn<ReportRow> {
  short?: string;
}

/** The codes that occur in the report, in UDIR's order (then the age limit's own, and the OS codes last): the columns per code. */
export function reportCodes(counts: SnapshotCounts): string[] {
  return [...OT_STATUS_CODES, AGED_OUT_STATUS, ...OS_CODES].filter((code) => counts.county.byCode[code]);
}

/**
 * The report table, one definition for the screen and the files: one row per unit, then the county;
 * counts per UDIR group and per code that occurs.
 */
export function reportTable(counts: SnapshotCounts, units: readonly OtUnit[]): { columns: ReportColumn[]; rows: ReportRow[] } {
  const columns: ReportColumn[] = [
    { header: 'unit', short: 'unit', value: (r) => r.unit },
    { header: 'unit name', value: (r) => r.unitName, width: 30 },
    { header: 'total', short: 'total', value: (r) => r.counts.total },
    ...REPORT_GROUPS.map((g) => ({
      header: g === 'OS' ? 'OS code (not recoded)' : `group ${g}`,
      short: g === 'OS' ? 'OS' : `G${g}`,
      value: (r: ReportRow) => r.counts.byGroup[g],
    })),
    ...reportCodes(counts).map((code) => ({ header: code, short: code, value: (r: ReportRow) => r.counts.byCode[code] ?? 0 })),
  ];
  const rows = [
    ...Object.entries(counts.units).map(([unit, c]) => ({ unit, unitName: findUnit(units, unit)?.name ?? '', counts: c })),
    { unit: 'county', unitName: 'All units', counts: counts.county },
  ];
  return { columns, rows };
}
