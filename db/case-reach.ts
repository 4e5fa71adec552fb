import { NEVER_REACHED_STAGES, REACHED_NO_OUTCOME_STAGES, type Reach } from '../workflows/youth-case/machine';

/** A list of the machine's stage names as a SQL array literal: they are our own identifiers, never input. */
function stageArray(stages: readonly string[]): string {
  for (const s of stages) if (!/^[A-Za-z]+$/.test(s)) throw new Error(`not a stage name: ${s}`);
  return `'{${stages.join(',')}}'::text[]`;
}

/**
 * The stage a case held in its school year, as SQL on a cases row `c`: its stage, or, for a case the year end closed,
 * the stage the year end found it in (the journal's SCHOOL_YEAR_ENDED entry). The year end closes every case alike,
 * so whatever is counted or listed by what a case went through reads this, not `c.stage`: the year end changes none of it.
 */
export const yearStageSql = (c = 'c') =>
  `(CASE WHEN ${c}.stage = 'closed' THEN COALESCE(
     (SELECT e.from_stage FROM case_events e WHERE e.case_id = ${c}.case_id AND e.event = 'SCHOOL_YEAR_ENDED' ORDER BY e.seq LIMIT 1),
     ${c}.stage) ELSE ${c}.stage END)`;

/** A case's reach (reachOf in workflows/youth-case/machine.ts) as SQL on a cases row `c`, from the stage it held in its year. */
export const reachSql = (c = 'c') =>
  `(CASE WHEN ${yearStageSql(c)} = ANY(${stageArray(NEVER_REACHED_STAGES)}) THEN 'neverReached'
         WHEN ${yearStageSql(c)} = ANY(${stageArray(REACHED_NO_OUTCOME_STAGES)}) THEN 'reachedNoOutcome'
         ELSE 'settled' END)`;

export type { Reach };
