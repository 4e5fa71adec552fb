import type { Pool, PoolClient } from 'pg';
import { defaultCohortPolicy } from '../schemas/cohort-policy';
import { defaultCalendar, withDeadlineDefaults, withDefaults } from '../workflows/calendar';
import { type CalendarVersion } from '../workflows/contracts/youth-case';

export interface StoredCalendar extends CalendarVersion {
  /** False while the cohort uses the default calendar of its school year. */
  custom: boolean;
  changedAt?: string;
}

/**
 * The calendar a cohort's cases follow: the stored one, or the default for the school year. A stored
 * calendar lacking an OS code (one added to OS_CODE_TABLE after it was stored) gets that code's
 * washing and letter dates from the year's defaults, and one stored before the staff deadlines existed their defaults.
 */
export async function readCohortCalendar(db: Pool | PoolClient, schoolYear: number): Promise<StoredCalendar> {
  const r = await db.query('SELECT calendar, calendar_version, calendar_changed_at FROM cohorts WHERE school_year = $1', [schoolYear]);
  const row = r.rows[0];
  if (!row?.calendar) return { version: row?.calendar_version ?? 1, calendar: defaultCalendar(schoolYear), custom: false };
  return {
    version: row.calendar_version,
    calendar: withDeadlineDefaults(withDefaults(row.calendar, schoolYear)),
    custom: true,
    changedAt: row.calendar_changed_at?.toISOString(),
  };
}

/** Stores a new calendar version for a cohort, creating the cohort (with its default policy) if it is not imported yet. */
export async function storeCohortCalendar(pool: Pool, schoolYear: number, calendar: CalendarVersion['calendar']): Promise<StoredCalendar> {
  const policy = defaultCohortPolicy(schoolYear);
  const r = await pool.query(
    `INSERT INTO cohorts (school_year, age_limit, calendar, calendar_version, calendar_changed_at) VALUES ($1, $2, $3, 1, now())
     ON CONFLICT (school_year) DO UPDATE SET calendar = EXCLUDED.calendar, calendar_version = cohorts.calendar_version + 1, calendar_changed_at = now()
     RETURNING calendar_version, calendar_changed_at`,
    [schoolYear, policy.ageLimit, JSON.stringify(calendar)],
  );
  return { version: r.rows[0].calendar_version, calendar, custom: true, changedAt: r.rows[0].calendar_changed_at.toISOString() };
}
