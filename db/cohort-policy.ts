import type { Pool, PoolClient } from 'pg';
import { defaultCohortPolicy, type CohortPolicy, type TargetGroupEnd } from '../schemas/cohort-policy';

export interface StoredPolicy extends CohortPolicy {
  /** False while a value is the school year's default, not one stored for the cohort. */
  stored: { ageLimit: boolean; targetGroupEnd: boolean };
  /** The cohort has cases: its policy was applied by an import and is fixed. */
  imported: boolean;
}

/** The cohort's policy: what is stored for it, the school year's defaults for the rest (and for a cohort not stored yet). */
export async function readCohortPolicy(db: Pool | PoolClient, schoolYear: number): Promise<StoredPolicy> {
  const r = await db.query<{ age_limit: number; target_group_end: TargetGroupEnd | null; imported: boolean }>(
    `SELECT age_limit, target_group_end, EXISTS (SELECT 1 FROM persons p WHERE p.school_year = c.school_year) AS imported
     FROM cohorts c WHERE school_year = $1`,
    [schoolYear],
  );
  const row = r.rows[0];
  const defaults = defaultCohortPolicy(schoolYear);
  return {
    schoolYear,
    ageLimit: row?.age_limit ?? defaults.ageLimit,
    targetGroupEnd: row?.target_group_end ?? defaults.targetGroupEnd,
    // A cohort row is made with the default age limit by the first calendar change; it counts as the cohort's own.
    stored: { ageLimit: row !== undefined, targetGroupEnd: row?.target_group_end != null },
    imported: row?.imported ?? false,
  };
}

/**
 * In the import's transaction: the cohort with the policy the import applies, the policy fixed (a cohort whose row
 * was made by a calendar change keeps its age limit and gets the rule it was imported under).
 */
export async function fixCohortPolicy(db: PoolClient, policy: CohortPolicy): Promise<void> {
  await db.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, $2) ON CONFLICT DO NOTHING', [policy.schoolYear, policy.ageLimit]);
  await db.query('UPDATE cohorts SET target_group_end = $2 WHERE school_year = $1 AND target_group_end IS NULL', [
    policy.schoolYear,
    policy.targetGroupEnd,
  ]);
}

/** Sets a cohort's policy before its first import (the CLI's `ot cohort policy`); the caller has checked it is not imported. */
export async function storeCohortPolicy(
  pool: Pool,
  schoolYear: number,
  change: { ageLimit?: number; targetGroupEnd?: TargetGroupEnd },
): Promise<void> {
  const defaults = defaultCohortPolicy(schoolYear);
  await pool.query(
    `INSERT INTO cohorts (school_year, age_limit, target_group_end) VALUES ($1, COALESCE($2::int, $4::int), $3::text)
     ON CONFLICT (school_year) DO UPDATE SET
       age_limit = COALESCE($2::int, cohorts.age_limit), target_group_end = COALESCE($3::text, cohorts.target_group_end)`,
    [schoolYear, change.ageLimit ?? null, change.targetGroupEnd ?? null, defaults.ageLimit],
  );
}
