import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, type Pool, type PoolClient } from 'pg';
import { deliverSms, exportOutbox, recordDeliveryReport } from '../../activities/sms-delivery';
import { createSmsGateway } from '../../activities/sms-gateway';
import { callList, callListShares, syncCallList } from '../../db/call-list';
import { otukAt } from '../../db/case-status-at';
import {
  casesByIds,
  casesNotYetSmsDue,
  casesWithoutMobile,
  countCasesWithoutMobile,
  firstLettersSentAt,
  insertFirstViews,
  listCases,
  openCasesAfter,
  openCasesWithMobile,
  writeCaseRow,
  writeJournalEntry,
} from '../../db/cases';
import { journalOf } from '../../db/case-journal';
import { deleteUnrecordedNote, noteIdFor, storeNote } from '../../db/case-notes';
import { readCohortCalendar, storeCohortCalendar } from '../../db/cohort-calendar';
import { countedPerUnit } from '../../db/flow-counters';
import { fixCohortPolicy, readCohortPolicy, storeCohortPolicy } from '../../db/cohort-policy';
import { defaultCohortPolicy } from '../../schemas/cohort-policy';
import { importSchoolYear, insertImportRows, markStarted, readUpload, storeImportOutcome, storeUpload, unstartedRows } from '../../db/imports';
import { admissionsOfficeList, prepareLetterBatch, readPersonForLetter } from '../../db/letter-batches';
import { heldLetterRows, letterBatchRows, letterCodeStates, letterMailingRows } from '../../db/letter-overview';
import { closeMailing, letterMailings, mailingOf, markSignalled, unsignalledCases } from '../../db/mailings';
import { knownMigrations, migrate, pendingMigrations } from '../../db/migrate';
import { insertNewPersons, knownPersonsWithFirstInput, markMobileWrong, personOfCase, storeNewAddress, storeNewMobile } from '../../db/persons';
import { createPool, inTransaction } from '../../db/pool';
import { snapshotAt, storedSnapshot, storedSnapshots, takeSnapshot } from '../../db/report-snapshots';
import { assignUnmatched, inboxEntry, keepInbound, listInbox, recordMatch } from '../../db/sms-inbox';
import { campaignMessageCounts, casesAwaitingSms, messageRecord, refusedSmsList, SMS_LIST_STAGES, smsListPage } from '../../db/sms-messages';
import { PROJECT_ROOT } from '../../domain/project-root';
import { loadConfig } from '../../runtime/config';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres';
import type { CaseInput } from '../../workflows/youth-case/machine';
import type { CaseView } from '../../workflows/youth-case/view';

/**
 * Least privilege in PostgreSQL (db/migrations/008_database_roles.sql): the worker connects as a member of
 * ot_worker, the API and the CLI as members of ot_api, and each may do what its code does and nothing more;
 * neither may change the schema. On a database of its own (migrated as the superuser, as a deployment
 * migrates as the schema's owner), with the run's login users (test/support/global-setup.ts), and on the
 * embedded PostgreSQL (PGlite) that `npm start` falls back on.
 */

const PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;
type Privilege = (typeof PRIVILEGES)[number];
type Role = 'ot_worker' | 'ot_api';

/**
 * Every table of the schema and what each role may do there, as migration 008 grants it. A table not listed
 * fails the test: whoever adds a table says here what each process may do with it (and grants that in its
 * migration, narrowing what later tables get by default: SELECT, INSERT, UPDATE, DELETE for both).
 */
const EXPECTED: Record<string, Record<Role, Privilege[]>> = {
  schema_migrations: { ot_worker: [], ot_api: ['SELECT'] },
  cohorts: { ot_worker: ['SELECT', 'INSERT'], ot_api: ['SELECT', 'INSERT', 'UPDATE'] },
  persons: { ot_worker: ['SELECT', 'INSERT', 'DELETE'], ot_api: ['SELECT', 'UPDATE'] },
  cases: { ot_worker: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], ot_api: ['SELECT'] },
  case_events: { ot_worker: ['SELECT', 'INSERT', 'DELETE'], ot_api: ['SELECT'] },
  imports: { ot_worker: ['SELECT', 'UPDATE', 'DELETE'], ot_api: ['INSERT'] },
  // The access export (migration 015) reads where a person came from and what was reported of them.
  import_rows: { ot_worker: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], ot_api: ['SELECT'] },
  // The API reads the mailings and the letters held back for the console's letters page (migration 012).
  mailings: { ot_worker: ['SELECT', 'INSERT', 'DELETE'], ot_api: ['SELECT'] },
  mailing_cases: { ot_worker: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], ot_api: ['SELECT'] },
  letter_batches: { ot_worker: ['SELECT', 'UPDATE'], ot_api: ['SELECT', 'INSERT'] },
  letters: { ot_worker: ['SELECT', 'DELETE'], ot_api: ['SELECT', 'INSERT'] },
  held_letters: { ot_worker: ['SELECT', 'DELETE'], ot_api: ['SELECT', 'INSERT'] },
  sms_messages: { ot_worker: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], ot_api: ['SELECT', 'UPDATE'] },
  sms_inbox: { ot_worker: ['SELECT', 'DELETE'], ot_api: ['SELECT', 'INSERT', 'UPDATE'] },
  call_list: { ot_worker: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], ot_api: ['SELECT'] },
  report_snapshots: { ot_worker: ['SELECT', 'INSERT'], ot_api: ['SELECT'] },
  report_snapshot_cases: { ot_worker: ['SELECT', 'INSERT', 'DELETE'], ot_api: ['SELECT'] },
  audit_log: { ot_worker: ['SELECT', 'INSERT'], ot_api: ['SELECT', 'INSERT'] },
  users: { ot_worker: [], ot_api: ['SELECT', 'INSERT', 'UPDATE'] },
  sessions: { ot_worker: [], ot_api: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
  api_tokens: { ot_worker: [], ot_api: ['SELECT', 'INSERT', 'UPDATE'] },
  idempotency_keys: { ot_worker: [], ot_api: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
  returned_letters: { ot_worker: ['SELECT', 'DELETE'], ot_api: ['SELECT', 'INSERT'] },
  // Migration 016: the API stores notes and deletes one whose request was refused; the worker may read only
  // the columns id and case_id (a column grant, which has_table_privilege does not count), never the text;
  // migration 017 lets its retention erase them.
  case_notes: { ot_worker: ['DELETE'], ot_api: ['SELECT', 'INSERT', 'DELETE'] },
  follow_up_plans: { ot_worker: ['DELETE'], ot_api: ['SELECT', 'INSERT', 'DELETE'] },
  // The case-id key's fingerprint (migration 013): the first import stores it, every process reads it; nobody changes it.
  case_id_key: { ot_worker: ['SELECT', 'INSERT'], ot_api: ['SELECT'] },
  // Migration 014: the worker's retention workflow logs what it erased; the API and the CLI read the log.
  retention_log: { ot_worker: ['SELECT', 'INSERT'], ot_api: ['SELECT'] },
  // Migration 025: the API and the CLI export the outbox (each export kept by its id, to write a lost one again) and change a
  // unit's staff; the worker reads the staff when it shares a new call. (The API moves calls by a column grant on call_list.)
  sms_exports: { ot_worker: [], ot_api: ['SELECT', 'INSERT', 'UPDATE'] },
  unit_staff_changes: { ot_worker: ['SELECT'], ot_api: ['SELECT', 'INSERT'] },
};

/**
 * The audit table is migration 006's. Where no migration makes it (a branch without 006), one is stood in
 * before migrating, as 006 would have made it, so that 008's grants on it are shown all the same.
 */
const auditLogMigrated = knownMigrations().some((f) =>
  /CREATE TABLE (IF NOT EXISTS )?(public\.)?audit_log\b/i.test(readFileSync(path.join(PROJECT_ROOT, 'db', 'migrations', f), 'utf8')),
);
const STAND_IN_AUDIT_LOG = `CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), actor text NOT NULL, action text NOT NULL, detail jsonb)`;

async function migrateFresh(pool: Pool): Promise<void> {
  if (!auditLogMigrated) await pool.query(STAND_IN_AUDIT_LOG);
  await migrate(pool);
}

async function tablesOf(db: Pool): Promise<string[]> {
  const r = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1`,
  );
  return r.rows.map((row) => row.name);
}

/** What each role may do on each table, as PostgreSQL answers it (through membership, grants to PUBLIC and all). */
async function grantedPrivileges(db: Pool | PoolClient, tables: string[]): Promise<Record<string, Record<Role, Privilege[]>>> {
  const result: Record<string, Record<Role, Privilege[]>> = {};
  for (const table of tables) {
    result[table] = { ot_worker: [], ot_api: [] };
    for (const role of ['ot_worker', 'ot_api'] as const) {
      for (const privilege of PRIVILEGES) {
        const r = await db.query<{ has: boolean }>('SELECT has_table_privilege($1, $2, $3) AS has', [role, `public.${table}`, privilege]);
        if (r.rows[0].has) result[table][role].push(privilege);
      }
    }
  }
  return result;
}

/** Every table has exactly the privileges EXPECTED, and the roles have no other right to change anything. */
async function expectLeastPrivilege(db: Pool): Promise<void> {
  const tables = await tablesOf(db);
  expect(tables.filter((t) => !(t in EXPECTED))).toEqual([]); // a new table: list it in EXPECTED
  expect(Object.keys(EXPECTED).filter((t) => !tables.includes(t))).toEqual([]);
  expect(await grantedPrivileges(db, tables)).toEqual(Object.fromEntries(tables.map((t) => [t, EXPECTED[t]])));

  const roles = await db.query(
    `SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication,
            has_schema_privilege(rolname, 'public', 'CREATE') AS create_in_schema,
            has_database_privilege(rolname, current_database(), 'CREATE') AS create_schemas,
            (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owns
     FROM pg_roles r WHERE rolname IN ('ot_worker', 'ot_api') ORDER BY rolname`,
  );
  const nothing = {
    rolcanlogin: false,
    rolsuper: false,
    rolcreaterole: false,
    rolcreatedb: false,
    rolbypassrls: false,
    rolreplication: false,
    create_in_schema: false,
    create_schemas: false,
    owns: 0,
  };
  expect(roles.rows).toEqual([
    { rolname: 'ot_api', ...nothing },
    { rolname: 'ot_worker', ...nothing },
  ]);

  // A table of a later migration, made by the same owner, is for both processes' rows at once: no more.
  const owner = await db.connect();
  try {
    await owner.query('BEGIN');
    await owner.query('CREATE TABLE a_later_table (id bigserial PRIMARY KEY, note text)');
    const later = await grantedPrivileges(owner, ['a_later_table']);
    expect(later.a_later_table).toEqual({ ot_worker: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], ot_api: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] });
    for (const role of ['ot_worker', 'ot_api']) {
      const seq = await owner.query<{ has: boolean }>(`SELECT has_sequence_privilege($1, 'a_later_table_id_seq', 'USAGE') AS has`, [role]);
      expect(seq.rows[0].has).toBe(true);
    }
  } finally {
    await owner.query('ROLLBACK');
    owner.release();
  }
}

/**
 * Runs one statement (after `before`, as the connection's own user) in a transaction that is rolled back:
 * undefined when it was allowed, else PostgreSQL's error code. `role`: taken with SET ROLE first.
 */
async function refusal(db: Pool, sql: string, opts: { role?: Role; before?: string[] } = {}): Promise<string | undefined> {
  const c = await db.connect();
  try {
    await c.query('BEGIN');
    for (const statement of opts.before ?? []) await c.query(statement);
    if (opts.role) await c.query(`SET LOCAL ROLE ${opts.role}`);
    await c.query(sql);
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await c.query('ROLLBACK').catch(() => undefined);
    c.release();
  }
}

const INSUFFICIENT_PRIVILEGE = '42501';
const RESTRICT_VIOLATION = '23001'; // the snapshot tables' own trigger, for whoever gets past the privileges

/** The audit table's first column that an UPDATE may name (whatever migration 006 calls its columns). */
async function auditColumn(db: Pool): Promise<string> {
  const r = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'audit_log' AND is_identity = 'NO'
     ORDER BY ordinal_position LIMIT 1`,
  );
  return `"${r.rows[0].column_name}"`;
}

const SNAPSHOT_ROW = `INSERT INTO report_snapshots (snapshot_id, school_year, report, as_of, taken_by, counts)
  VALUES ('sneaked-in', 2000, 'june', now(), 'someone', '{}')`;

/** What neither role may do: change the schema, the stored report snapshots or the audit trail. */
async function expectNoSchemaChange(db: Pool, as: (role: Role) => [Pool, Role | undefined]): Promise<void> {
  const column = await auditColumn(db);
  for (const role of ['ot_worker', 'ot_api'] as const) {
    const [pool, setRole] = as(role);
    for (const sql of [
      'ALTER TABLE cases ADD COLUMN sneaked_in text',
      'ALTER TABLE report_snapshots DISABLE TRIGGER report_snapshots_unchangeable',
      'CREATE TABLE sneaked_in (a int)',
      'CREATE INDEX sneaked_in ON cases (stage)',
      'DROP TABLE call_list',
      'TRUNCATE case_events',
      'CREATE SCHEMA sneaked_in',
      'CREATE OR REPLACE FUNCTION refuse_report_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
      "UPDATE report_snapshots SET taken_by = 'someone else'",
      'UPDATE report_snapshot_cases SET status = status',
      // The worker may delete a report's link to a person that retention erased (migration 014): the trigger
      // refuses any other, even the owner's (test/integration/retention.test.ts).
      ...(role === 'ot_api' ? ['DELETE FROM report_snapshot_cases'] : []),
      `UPDATE audit_log SET ${column} = ${column}`,
      'DELETE FROM audit_log',
      'TRUNCATE audit_log',
    ]) {
      expect(`${role}: ${sql} -> ${await refusal(pool, sql, { role: setRole })}`).toBe(`${role}: ${sql} -> ${INSUFFICIENT_PRIVILEGE}`);
    }
  }
  const [api, apiRole] = as('ot_api');
  expect(await refusal(api, SNAPSHOT_ROW, { role: apiRole })).toBe(INSUFFICIENT_PRIVILEGE);
  expect(
    await refusal(api, `INSERT INTO report_snapshot_cases (snapshot_id, case_id, unit, status) VALUES ('sneaked-in', 'c-1', '12250', 'OTUK')`, {
      role: apiRole,
    }),
  ).toBe(INSUFFICIENT_PRIVILEGE);
  const [worker, workerRole] = as('ot_worker');
  expect(await refusal(worker, SNAPSHOT_ROW, { role: workerRole })).toBeUndefined();
  // The owner gets past the privileges, not past the snapshot's trigger.
  expect(await refusal(db, `UPDATE report_snapshots SET taken_by = 'someone else'`, { before: [SNAPSHOT_ROW] })).toBe(RESTRICT_VIOLATION);
}

/** A row for the audit table whatever its columns: a value of its type for each column that needs one. */
/** A row as migration 006 takes it; a promise, as its callers await it. */
function auditInsert(_db: Pool): Promise<string> {
  return Promise.resolve(`INSERT INTO audit_log (kind, action, endpoint, source) VALUES ('read', 'database-roles test', 'test', 'test')`);
}

describe('database roles (migration 008)', () => {
  const config = loadConfig();
  const testDb = `${new URL(config.databaseUrl).pathname.slice(1)}_roles`;
  const on = (url: string) => Object.assign(new URL(url), { pathname: `/${testDb}` }).toString();
  let owner: Pool;
  let worker: Pool;
  let api: Pool;

  beforeAll(async () => {
    // The run's database is shared with the other test files; this file's rows go to a database of its own.
    const admin = new Client({ connectionString: Object.assign(new URL(config.databaseUrl), { pathname: '/postgres' }).toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${testDb}`);
    await admin.end();
    owner = createPool(on(config.databaseUrl));
    await migrateFresh(owner);
    worker = createPool(on(config.databaseUrls.worker));
    api = createPool(on(config.databaseUrls.api));
  });

  afterAll(async () => {
    await Promise.all([owner, worker, api].map((p) => p?.end().catch(() => undefined)));
    const admin = new Client({ connectionString: Object.assign(new URL(config.databaseUrl), { pathname: '/postgres' }).toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${testDb} WITH (FORCE)`);
    await admin.end();
  });

  it('connects the worker and the API as login users of their own roles, not as the owner', async () => {
    const who = async (p: Pool) =>
      (
        await p.query<{ login: string; worker: boolean; api: boolean }>(
          `SELECT current_user AS login, pg_has_role('ot_worker', 'MEMBER') AS worker, pg_has_role('ot_api', 'MEMBER') AS api`,
        )
      ).rows[0];
    expect(await who(worker)).toEqual({ login: new URL(config.databaseUrls.worker).username, worker: true, api: false });
    expect(await who(api)).toEqual({ login: new URL(config.databaseUrls.api).username, worker: false, api: true });
    expect(config.databaseUrls.worker).not.toBe(config.databaseUrl);
    expect(config.databaseUrls.api).not.toBe(config.databaseUrl);
  });

  it('gives every table of the schema exactly the privileges expected of each role, and later tables their rows only', async () => {
    await expectLeastPrivilege(owner);
  });

  it('runs the SQL of the worker and of the API and CLI under their roles, each step as the process that takes it', async () => {
    const Y = 2026;
    const unit = '12250';
    const address = { street: 'Strandgaten 1', postcode: '5013', city: 'Bergen' };
    const person = (caseId: string, first: string, extra: Record<string, unknown>) => ({
      case_id: caseId,
      school_year: Y,
      national_id: `test-${caseId}`,
      id_kind: 'F',
      birth_date: '2008-03-01',
      first_name: first,
      last_name: 'Rolle',
      address: null,
      partial_address: null,
      address2: null,
      mobile: null,
      email: null,
      guardians: [],
      ...extra,
    });
    const view = (caseId: string, v: Partial<CaseView>): CaseView => ({
      caseId,
      schoolYear: Y,
      unit,
      osCode: 'OSON',
      otStatus: 'OSON',
      stage: 'awaitingLetter',
      flags: [],
      sms: 'notYet',
      ...v,
    });

    // The CLI uploads a transfer file and sets the calendar (API role).
    await storeUpload(api, { importId: 'import-1', schoolYear: Y, fileName: 'vigo.csv', content: 'the file', strict: false });
    const calendar = await readCohortCalendar(api, Y);
    await storeCohortCalendar(api, Y, calendar.calendar);
    await storeCohortCalendar(api, Y, calendar.calendar); // the upsert's UPDATE
    await storeCohortPolicy(api, Y, { ageLimit: 24 }); // the CLI's `ot cohort policy`, before the import

    // The import's activities (worker role).
    expect((await readUpload(worker, 'import-1'))?.content).toBe('the file');
    expect(await importSchoolYear(worker, 'import-1')).toBe(Y);
    expect((await readCohortPolicy(worker, Y)).ageLimit).toBe(24);
    await inTransaction(worker, async (db) => {
      await fixCohortPolicy(db, defaultCohortPolicy(Y));
      const stored = await insertNewPersons(db, [
        person('c-1', 'Åse', { address, mobile: '+4791234567' }),
        person('c-2', 'Ola', { address }),
        person('c-3', 'Kari', {}),
      ]);
      expect(stored.size).toBe(3);
      expect(await knownPersonsWithFirstInput(db, ['c-1'])).toHaveLength(1);
      await insertImportRows(db, [{ import_id: 'import-1', line: 1, case_id: 'c-1', is_new: true, case_input: { caseId: 'c-1' } as CaseInput }]);
      await insertFirstViews(db, [view('c-1', {}), view('c-2', {}), view('c-3', {})]);
    });
    expect(await unstartedRows(worker, 'import-1', 10)).toHaveLength(1);
    expect(await markStarted(worker, 'import-1', [1])).toBe(0);
    await storeImportOutcome(worker, 'import-1', { importId: 'import-1' });

    // The case projection (worker role): c-1 has its SMS due and is on a call list, c-2 and c-3 their letter due.
    expect(SMS_LIST_STAGES).toContain('smsDue');
    const c1 = view('c-1', { otStatus: 'OTUK', stage: 'smsDue', sms: 'due' });
    await inTransaction(worker, async (db) => {
      expect(await writeCaseRow(db, c1, 1)).toBe(true);
      expect(await writeCaseRow(db, c1, 1)).toBe(false); // not newer: left alone
      await writeJournalEntry(db, 'c-1', 1, {
        at: new Date().toISOString(),
        event: 'SMS_DUE',
        from: { stage: 'letterSent', status: 'OTUK' },
        to: { stage: 'smsDue', status: 'OTUK' },
      });
      await syncCallList(db, { ...c1, phoneCampaign: 'autumn' }, ['Kari Ringjar']);
      for (const id of ['c-2', 'c-3']) await writeCaseRow(db, view(id, { stage: 'letterDue' }), 1);
    });

    // A note (API) stored before its request, then named by the journal row the projection writes (worker).
    const noteId = noteIdFor('c-1');
    await storeNote(api, { id: noteId, caseId: 'c-1', text: 'ring etter kl 16', writtenBy: 'u-kari' });
    await inTransaction(worker, (db) =>
      writeJournalEntry(db, 'c-1', 2, {
        at: new Date().toISOString(),
        event: 'CALL',
        by: 'Kari Ringjar',
        noteId,
        detail: { result: 'notReached' },
        from: { stage: 'smsDue', status: 'OTUK' },
        to: { stage: 'smsDue', status: 'OTUK' },
      }),
    );
    expect(await refusal(worker, 'SELECT text FROM case_notes', { role: 'ot_worker' })).toBe(INSUFFICIENT_PRIVILEGE);
    expect((await journalOf(api, 'c-1')).map((e) => e.note)).toEqual([undefined, 'ring etter kl 16']);
    await deleteUnrecordedNote(api, noteId); // named by a journal row: kept
    const refused = noteIdFor('c-1');
    await storeNote(api, { id: refused, caseId: 'c-1', text: 'avvist' });
    await deleteUnrecordedNote(api, refused);
    expect((await owner.query('SELECT id FROM case_notes ORDER BY created_at')).rows.map((r) => r.id)).toEqual([noteId]);
    expect(await openCasesAfter(worker, Y, '', 10)).toEqual(['c-1', 'c-2', 'c-3']);

    // Letters (the CLI prints a batch; the worker's mailing workflow confirms it).
    const batch = await prepareLetterBatch(
      api,
      { schoolYear: Y, unit, osCode: 'OSON', letterDate: `${Y}-09-10`, language: 'nn', by: 'kari' },
      async () => 'printed',
    );
    expect(batch?.summary).toMatchObject({ letters: 1, held: 1 });
    expect(await readPersonForLetter(api, 'c-2')).toMatchObject({ unit, schoolYear: Y });
    expect(await admissionsOfficeList(api, { schoolYear: Y, unit })).toEqual([]);
    const letters = await closeMailing(worker, { kind: 'letters', schoolYear: Y, unit, osCode: 'OSON', sentOn: `${Y}-09-11`, by: 'siri' });
    expect(letters).toMatchObject({ cases: 1, firstConfirmation: true });
    expect(await unsignalledCases(worker, letters.mailingId, 10)).toEqual(['c-2']);
    expect(await markSignalled(worker, letters.mailingId, ['c-2'])).toBe(0);
    expect(await mailingOf(worker, letters.mailingId)).toMatchObject({ kind: 'letters', schoolYear: Y });
    expect(await letterMailings(worker, Y, unit)).toHaveLength(1);
    // The console's letters page (API role): where the unit's letters stand, its batches, mailings and letters held back.
    expect(await letterCodeStates(api, Y, [unit])).toEqual([{ unit, osCode: 'OSON', due: 1, returned: 0, awaitingConfirmation: 0 }]);
    expect(await letterBatchRows(api, Y, [unit])).toMatchObject([{ number: 1, standard: 1, held: 1, mailingId: letters.mailingId }]);
    expect(await letterMailingRows(api, Y, [unit])).toMatchObject([{ mailingId: letters.mailingId, cases: 1, signalled: 1 }]);
    expect(await heldLetterRows(api, { schoolYear: Y, unit })).toMatchObject([{ caseId: 'c-3', recipient: 'youth', reason: 'no address' }]);
    // Confirmed before anyone was due: the empty mailing is deleted again.
    expect(
      await closeMailing(worker, { kind: 'letters', schoolYear: Y, unit: '12251', osCode: 'OSON', sentOn: `${Y}-09-11`, by: 'siri' }),
    ).toMatchObject({
      cases: 0,
    });

    // SMS: the campaign's activities (worker), the export (CLI), the confirmation (worker), a delivery report (API).
    expect(await smsListPage(worker, { schoolYear: Y, unit, after: '', pageSize: 10 })).toHaveLength(1);
    expect(await countCasesWithoutMobile(worker, { schoolYear: Y, unit, stages: SMS_LIST_STAGES })).toBe(0);
    expect(await casesNotYetSmsDue(worker, [letters.mailingId], SMS_LIST_STAGES)).toBe(0);
    expect(await casesAwaitingSms(api, { schoolYear: Y, unit, step: 'sms1' })).toEqual(['c-1']);
    const outbox = createSmsGateway({ ...config.sms, provider: 'outbox' });
    const sms = { key: 'c-1:sms1', caseId: 'c-1', schoolYear: Y, unit, step: 'sms1', campaignId: 'sms-campaign-1', to: '+4791234567', body: 'Hei' };
    expect(await deliverSms(worker, outbox, sms)).toMatchObject({ status: 'queued', alreadyDone: false });
    expect(await deliverSms(worker, outbox, sms)).toMatchObject({ alreadyDone: true });
    expect((await messageRecord(worker, 'c-1:sms1'))?.status).toBe('queued');
    expect(await campaignMessageCounts(worker, 'sms-campaign-1', 'sms1')).toEqual([{ status: 'queued', n: 1 }]);
    expect((await exportOutbox(api, { schoolYear: Y, unit })).messageKeys).toEqual(['c-1:sms1']);
    expect(await closeMailing(worker, { kind: 'sms', schoolYear: Y, unit, sentOn: `${Y}-10-01`, by: 'siri' })).toMatchObject({ cases: 1 });
    expect(await recordDeliveryReport(api, { refId: 'c-1:sms1', resultCode: 1001 })).toEqual({ matched: true });
    expect(await refusedSmsList(api, { schoolYear: Y, unit })).toEqual([]);

    // A reply by SMS (API), then office staff give it to its case (CLI).
    const received = new Date().toISOString();
    await keepInbound(api, { inboundId: 'in-1', receivedAt: received, from: '+4799999999', text: 'Hei' });
    await recordMatch(api, 'in-1', { reason: 'no case has this mobile' });
    expect(await listInbox(api)).toHaveLength(1);
    await inTransaction(api, (db) => assignUnmatched(db, 'in-1', 'c-1', 'kari'));
    expect((await inboxEntry(api, 'in-1'))?.status).toBe('assigned');

    // Caseworkers' changes to a person (API).
    await inTransaction(api, async (db) => {
      await storeNewAddress(db, 'c-3', address);
      await storeNewMobile(db, 'c-2', '+4798765432');
      await markMobileWrong(db, 'c-2');
    });

    // The report snapshot (worker), stored once; then read, with everything else the front ends read (API).
    const at = new Date();
    expect(await takeSnapshot(worker, Y, 'november', at, 'schedule', [unit])).toMatchObject({ created: true });
    expect(await takeSnapshot(worker, Y, 'november', at, 'schedule', [unit])).toMatchObject({ created: false });
    expect(await storedSnapshots(api, Y)).toHaveLength(1);
    expect(await storedSnapshot(api, Y, 'november')).toBeDefined();
    expect((await snapshotAt(api, Y, at, [unit])).asOf).toBe(at.toISOString());
    expect(await listCases(api, { schoolYear: Y })).toHaveLength(3);
    expect(await casesByIds(api, Y, ['c-1'])).toHaveLength(1);
    expect(await casesWithoutMobile(api, { schoolYear: Y, unit, stages: ['letterDue'] })).toEqual([]);
    expect(await openCasesWithMobile(api, '+4791234567')).toEqual(['c-1']);
    expect(await firstLettersSentAt(api, Y)).toBeUndefined();
    expect(await personOfCase(api, 'c-1')).toEqual({ schoolYear: Y, name: 'Åse Rolle' });
    expect((await callList(api, { schoolYear: Y, unit })).rows).toHaveLength(1);
    expect(await callListShares(api, { schoolYear: Y, unit, campaign: 'autumn' })).toEqual([{ staff: 'Kari Ringjar', open: 1, left: 0 }]);
    expect(await otukAt(api, Y, [at])).toEqual([{ at, unit, otuk: 1 }]);
    expect((await countedPerUnit(api, Y))[unit]).toMatchObject({ lettersToYouth: 1 });
    expect(await pendingMigrations(api)).toEqual([]);

    // The audit trail: both append to it and read it back.
    for (const p of [worker, api]) {
      await p.query(await auditInsert(owner));
      expect((await p.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBeGreaterThan(0);
    }
  });

  it('lets neither role change the schema, the stored report snapshots or the audit trail', async () => {
    await expectNoSchemaChange(owner, (role) => [role === 'ot_worker' ? worker : api, undefined]);
    // And what the other role may do, this one may not: the API writes no case, the worker no inbox entry.
    expect(await refusal(api, `UPDATE cases SET stage = 'closed'`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(api, 'SELECT content FROM imports')).toBe(INSUFFICIENT_PRIVILEGE);
    // The worker reads the inbox only to count what retention erases (migration 014); it never changes an entry.
    expect(await refusal(worker, `UPDATE sms_inbox SET body = ''`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(worker, `UPDATE persons SET mobile = NULL`)).toBe(INSUFFICIENT_PRIVILEGE);
    // Of a person the worker sets only the person key, for those stored before there was one (a column grant, migration 026).
    expect(await refusal(worker, `UPDATE persons SET person_key = person_key WHERE false`)).toBeUndefined();
    expect(await refusal(worker, `UPDATE persons SET national_id = national_id WHERE false`)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('migrates the embedded PostgreSQL (PGlite) with the same roles and grants', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ot-pglite-roles-'));
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pglite') });
    const pool = createPool(pg.url, 2);
    try {
      await migrateFresh(pool);
      await expectLeastPrivilege(pool);
      // Every connection to it is the one superuser session: the roles are taken with SET ROLE here.
      await expectNoSchemaChange(pool, (role) => [pool, role]);
      expect(await refusal(pool, 'SELECT count(*) FROM cases', { role: 'ot_api' })).toBeUndefined();
      expect(await refusal(pool, await auditInsert(pool), { role: 'ot_api' })).toBeUndefined();
    } finally {
      await pool.end();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
