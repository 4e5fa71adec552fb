import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { initialTransition } from 'xstate';
import { readCohortCalendar } from '../db/cohort-calendar';
import { inTransaction } from '../db/pool';
import { CaseIdKeyError, caseIdOf, personKeyOf } from '../domain/case-id';
import { lastYearCases, type LastYearCase } from '../db/carry-over';
import { recordKeyFingerprint } from '../db/case-id-key';
import { forEachConcurrently } from '../domain/concurrently';
import { readTransfer, TransferFileError, type TransferPerson } from '../domain/vigo-transfer';
import { ageOutDateOf, type CohortPolicy } from '../schemas/cohort-policy';
import { fixCohortPolicy, readCohortPolicy } from '../db/cohort-policy';
import type { Config } from '../schemas/config';
import { ageOutOf } from '../workflows/calendar';
import { OUT_OF_TARGET_GROUP_STAGES, youthCaseMachine, type CaseInput, type CaseStage } from '../workflows/youth-case/machine';
import { caseMemoOf, caseViewOf, searchAttributesOf, type CaseView } from '../workflows/youth-case/view';
import { youthCaseWorkflowId, type YouthCaseWorkflow } from '../workflows/contracts/youth-case';
import { WORKFLOW_TYPES } from '../workflows/contracts/workflow-types';
import type { CasesPage, CohortImportActivities, ImportSummary } from '../workflows/contracts/cohort-import';
import { insertFirstViews } from '../db/cases';
import { importSchoolYear, insertImportRows, markStarted, readUpload, storeImportOutcome, unstartedRows } from '../db/imports';
import { fillPersonKeys, insertNewPersons, knownPersonsWithFirstInput } from '../db/persons';

const BATCH = 1000;
export const START_CONCURRENCY = 32;

function caseInputOf(p: TransferPerson, caseId: string, policy: CohortPolicy, lastYear?: LastYearCase): CaseInput {
  const schoolYear = policy.schoolYear;
  // The day they leave the target group, if within the year: a 1 January, not the birth date.
  const agesOutOn = p.birthDate === undefined ? undefined : ageOutDateOf(p.birthDate, policy);
  return {
    caseId,
    schoolYear,
    unit: p.unit,
    osCode: p.osCode,
    washedStatus: p.washedStatus,
    caseworker: p.caseworker,
    facts: {
      fictitiousId: p.idKind === 'fictitious',
      hasAddress: p.address !== undefined,
      hasSecondAddress: p.address2 !== undefined,
      hasMobile: p.mobile !== undefined,
      under18: p.under18,
      ...(agesOutOn ? { agesOutOn } : {}),
      // In OT the year before: the flag UDIR's "two years running" counts, and whether nobody reached them then.
      ...(lastYear ? { inOtLastYear: true } : {}),
      ...(lastYear?.unreached ? { unreachedLastYear: true } : {}),
    },
  };
}

/** What the summary counts of a case's facts: the carry-over from last year, and the age limit. */
function countFacts(summary: ImportSummary, facts: CaseInput['facts'], agedOutBy: boolean): void {
  if (facts.inOtLastYear) summary.carriedOver!.inOtLastYear++;
  if (facts.unreachedLastYear) summary.carriedOver!.unreachedLastYear++;
  if (facts.agesOutOn) {
    summary.ageLimit!.agesOut++;
    if (agedOutBy) summary.ageLimit!.agedOutAtImport++;
  }
}

function personRecord(p: TransferPerson, caseId: string, schoolYear: number, personKey: string) {
  return {
    case_id: caseId,
    person_key: personKey,
    school_year: schoolYear,
    national_id: p.nationalId,
    id_kind: p.idKind,
    birth_date: p.birthDate ?? null,
    first_name: p.firstName,
    last_name: p.lastName,
    address: p.address ?? null,
    partial_address: p.partialAddress ?? null,
    address2: p.address2 ?? null,
    mobile: p.mobile ?? null,
    email: p.email ?? null,
    guardians: p.guardians,
  };
}
type PersonRecord = ReturnType<typeof personRecord>;
const COMPARED: (keyof PersonRecord)[] = ['first_name', 'last_name', 'address', 'partial_address', 'address2', 'mobile', 'email', 'guardians'];
const COLUMN_NAMES: Partial<Record<keyof PersonRecord, string>> = {
  first_name: 'fornavn',
  last_name: 'etternavn',
  address: 'adresse',
  partial_address: 'adresse',
  address2: 'adresse2',
  mobile: 'mobil',
  email: 'epost',
  guardians: 'foresatte',
};

function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined && x !== null)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, x]) => `${k}:${canonical(x)}`)
    .join(',')}}`;
}

export function cohortImportActivities(pool: Pool, client: Client, config: Config): CohortImportActivities {
  return {
    /**
     * Reads the uploaded file and, in one transaction, stores its people and the cases to start.
     * Idempotent: a retry after the commit returns the summary stored with it.
     */
    async stageImport(importId: string): Promise<ImportSummary> {
      const imp = await readUpload(pool, importId);
      if (!imp) throw ApplicationFailure.nonRetryable(`no upload for import ${importId}`, 'UnknownImport');
      if (imp.summary) {
        if ('error' in imp.summary) throw ApplicationFailure.nonRetryable(imp.summary.error, 'TransferFileError');
        return imp.summary;
      }
      const schoolYear: number = imp.school_year;
      const { schoolYear: _, ageLimit, targetGroupEnd } = await readCohortPolicy(pool, schoolYear);
      const policy: CohortPolicy = { schoolYear, ageLimit, targetGroupEnd };

      let reading;
      try {
        // Age counts on the seeds' letter dates of the school year, not the cohort's calendar: a compressed
        // trial calendar (dates this week) would make every youth of a later school year a minor.
        reading = readTransfer(imp.content ?? '', config.units, policy);
      } catch (err) {
        if (!(err instanceof TransferFileError)) throw err;
        await storeImportOutcome(pool, importId, { error: err.message });
        throw ApplicationFailure.nonRetryable(err.message, 'TransferFileError');
      }

      const summary: ImportSummary = {
        importId,
        schoolYear,
        fileName: imp.file_name,
        rows: reading.rows,
        created: 0,
        existing: 0,
        rejected: reading.rejected,
        outsideTargetGroup: reading.outsideTargetGroup,
        changed: [],
        warnings: reading.warnings,
        stages: {},
        returnToVigo: [],
        forAdmissionsOffice: [],
        refused: imp.strict && reading.rejected.length > 0,
        carriedOver: { inOtLastYear: 0, unreachedLastYear: 0 },
        ageLimit: { agesOut: 0, agedOutAtImport: 0 },
      };
      if (summary.refused) {
        await storeImportOutcome(pool, importId, summary);
        return summary;
      }

      // 1 January of this school year as its calendar has it (a compressed calendar moves it): a youth at the age limit
      // read after it leaves the target group as soon as the case starts.
      const agedOutBy = ageOutOf((await readCohortCalendar(pool, schoolYear)).calendar, schoolYear) <= Date.now();
      await inTransaction(pool, async (db) => {
        // The first import records its key's fingerprint; a later one with another key stops here, before storing anyone.
        await recordKeyFingerprint(db, config.caseIdKey).catch((err: unknown) => {
          throw err instanceof CaseIdKeyError ? ApplicationFailure.nonRetryable(err.message, 'CaseIdKeyChanged') : err;
        });
        await fixCohortPolicy(db, policy);
        // Persons stored before there were person keys (migration 020) get theirs now, under the key just checked: last
        // year's, so that this import finds them, and this year's, so that next year's does and a case finds last year's.
        await fillPersonKeys(db, [schoolYear - 1, schoolYear], config.caseIdKey);
        for (let i = 0; i < reading.accepted.length; i += BATCH) {
          const batch = reading.accepted.slice(i, i + BATCH).map((p) => ({
            p,
            caseId: caseIdOf(p.nationalId, schoolYear, config.caseIdKey),
            personKey: personKeyOf(p.nationalId, config.caseIdKey),
          }));
          const records = batch.map(({ p, caseId, personKey }) => personRecord(p, caseId, schoolYear, personKey));
          const lastYear = await lastYearCases(
            db,
            schoolYear,
            batch.map((b) => b.personKey),
          );
          const created = await insertNewPersons(db, records);
          const stored = new Map<string, PersonRecord>();
          const known = await knownPersonsWithFirstInput<PersonRecord>(
            db,
            batch.filter((b) => !created.has(b.caseId)).map((b) => b.caseId),
          );
          const storedInput = new Map<string, CaseInput | null>();
          for (const row of known) {
            stored.set(row.case_id, row);
            storedInput.set(row.case_id, row.case_input);
          }

          // A person stored under another case id for this school year: the key that makes case ids has changed.
          if (batch.some((b) => !created.has(b.caseId) && !stored.has(b.caseId))) {
            throw ApplicationFailure.nonRetryable(
              `people of school year ${schoolYear} are stored under case ids made with another key: OT_CASE_ID_KEY (or data/case-id.key) must stay the one this database was first imported with`,
              'CaseIdKeyChanged',
            );
          }
          const firstViews: CaseView[] = [];
          const importRows = batch.map(({ p, caseId, personKey }, k) => {
            const isNew = created.has(caseId);
            if (!isNew) {
              const before = stored.get(caseId)!;
              const fields = [...new Set(COMPARED.filter((f) => canonical(before[f]) !== canonical(records[k][f])).map((f) => COLUMN_NAMES[f]!))];
              if (fields.length > 0) summary.changed.push({ line: p.line, fields });
            }
            // A known person keeps the case they were first imported with; a changed row is reported, not applied.
            const input = (!isNew && storedInput.get(caseId)) || caseInputOf(p, caseId, policy, lastYear.get(personKey));
            const [first] = initialTransition(youthCaseMachine, input);
            const stage = first.value as CaseStage;
            if (isNew) firstViews.push(caseViewOf(stage, first.context));
            summary.stages[stage] = (summary.stages[stage] ?? 0) + 1;
            countFacts(summary, input.facts, agedOutBy);
            if (OUT_OF_TARGET_GROUP_STAGES.includes(stage)) summary.returnToVigo.push(p.line);
            if (stage === 'feil' || stage === 'needsAddress') summary.forAdmissionsOffice.push(p.line);
            if (isNew) summary.created++;
            else summary.existing++;
            return { import_id: importId, line: p.line, case_id: caseId, is_new: isNew, case_input: input };
          });
          // The read model lists a new case at once, in the first state its workflow will compute from the
          // same input (seq 0: any write of the workflow's own replaces it).
          await insertFirstViews(db, firstViews);
          await insertImportRows(db, importRows);
        }
        // The file's personal data now lives in persons; the upload is not kept.
        await storeImportOutcome(db, importId, summary);
      });
      return summary;
    },

    /** Starts the next page of staged cases. Starting is idempotent by workflow id, so a retried page doubles nothing. */
    async startCasesPage(importId: string, pageSize: number): Promise<CasesPage> {
      // Read per page: a calendar changed during the import reaches the cases started after it at once.
      const calendar = await readCohortCalendar(pool, await importSchoolYear(pool, importId));
      const page = await unstartedRows(pool, importId, pageSize);
      let done = 0;
      const startOne = async (input: CaseInput) => {
        const [snapshot] = initialTransition(youthCaseMachine, input);
        const first = caseViewOf(snapshot.value as CaseStage, snapshot.context);
        try {
          await client.workflow.start<YouthCaseWorkflow>(WORKFLOW_TYPES.youthCase, {
            workflowId: youthCaseWorkflowId(input.schoolYear, input.caseId),
            taskQueue: config.taskQueue,
            args: [{ case: input, calendar: { version: calendar.version, calendar: calendar.calendar } }],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            typedSearchAttributes: searchAttributesOf(first),
            memo: caseMemoOf(first, snapshot.context),
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
        done++;
        Context.current().heartbeat(done);
      };
      await forEachConcurrently(page.length, START_CONCURRENCY, (i) => startOne(page[i].case_input));
      const remaining = await markStarted(
        pool,
        importId,
        page.map((r) => r.line),
      );
      return { started: page.length, remaining, calendarVersion: calendar.version };
    },
  };
}
