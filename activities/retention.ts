import { rm } from 'node:fs/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { readCohortCalendar } from '../db/cohort-calendar';
import {
  batchesOfPersons,
  countAuditToPurge,
  eraseCohortPage,
  eraseCohortRest,
  erasePersons,
  erasurePlan,
  logRetention,
  purgeAudit,
} from '../db/erasure';
import { cohortFolders, filesOfBatches, filesUnder } from '../domain/cohort-files';
import type { Config } from '../schemas/config';
import { retentionEnds, type RetentionActivities, type RetentionArgs } from '../workflows/contracts/retention';
import { youthCaseWorkflowId } from '../workflows/contracts/youth-case';

const refused = (message: string) => ApplicationFailure.nonRetryable(message, 'RetentionRefused');

/** The activities of the `retention` workflow: the checks, the plan, and the erasure through db/erasure.ts. */
export function retentionActivities(pool: Pool, client: Client, config: Config): RetentionActivities {
  const filesOf = async (args: RetentionArgs) =>
    args.caseIds
      ? filesOfBatches(config.dataDir, await batchesOfPersons(pool, args.caseIds))
      : filesUnder(cohortFolders(config.dataDir, args.schoolYear));

  return {
    async checkRetention(args) {
      const { calendar } = await readCohortCalendar(pool, args.schoolYear);
      const ends = retentionEnds(calendar.schoolYearEnd, config.retentionYears);
      const endsIso = new Date(ends).toISOString();
      if (!args.caseIds) {
        // The law sets the period: there is no override. A cohort erased early would be a cohort lost.
        if (!args.dryRun && Date.now() < ends)
          throw refused(`school year ${args.schoolYear} may be kept until ${endsIso}: its retention period has not ended`);
        // Years after the school year ended every case has closed; one still running means something is wrong
        // (a stuck worker, a calendar moved): erasing under it would leave it projecting into rows that are gone.
        const running = await client.workflow.count(`SchoolYear = ${args.schoolYear} AND ExecutionStatus = "Running"`);
        if (running.count > 0 && !args.dryRun)
          throw refused(
            `school year ${args.schoolYear} still has ${running.count} running workflow(s): look at them (SchoolYear = ${args.schoolYear}) before erasing`,
          );
        return endsIso;
      }
      // One person: only once their case has closed, for the same reason.
      for (const caseId of args.caseIds) {
        try {
          const d = await client.workflow.getHandle(youthCaseWorkflowId(args.schoolYear, caseId)).describe();
          if (d.status.name === 'RUNNING' && !args.dryRun)
            throw refused(`the case ${caseId} is still open: it can be erased once its school year has ended`);
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      }
      return endsIso;
    },

    async planRetention(args) {
      const counts = await erasurePlan(pool, args.schoolYear, args.caseIds);
      return { counts, files: await filesOf(args), auditRows: await countAuditToPurge(pool, config.auditRetentionYears) };
    },

    async eraseRetentionPage(schoolYear, pageSize) {
      const page = await eraseCohortPage(pool, schoolYear, pageSize);
      Context.current().heartbeat(page.remaining);
      return page;
    },

    async eraseNamedPersons(caseIds) {
      return erasePersons(pool, caseIds);
    },

    async eraseCohortRest(schoolYear) {
      return eraseCohortRest(pool, schoolYear);
    },

    async deleteRetentionFiles(files) {
      for (const f of files) await rm(f, { force: true });
      return files.length;
    },

    async purgeAuditRows() {
      return purgeAudit(pool, config.auditRetentionYears);
    },

    async logRetention(entry) {
      await logRetention(pool, entry);
    },
  };
}
