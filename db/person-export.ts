import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

/**
 * Every table that holds a row about a person or their case (a `case_id`, `case_ids` or `national_id` column),
 * and what the access export takes from it. test/integration/person-export-tables.test.ts compares this list with
 * the migrated schema: a new person-linked table fails it until the export reads it too (or says here why not).
 * Tables reached through these (letter_batches, mailings, imports, report_snapshots, users) give only the facts
 * about the row: which batch, when sent, which file, which report, who.
 */
export const PERSON_EXPORT_TABLES: Record<string, string> = {
  persons: 'the person as stored, one row per school year (name, addresses, mobiles, e-mail, guardians)',
  cases: 'each case as the read model holds it now',
  case_events: 'the journal of each case; the code history is read from it',
  case_notes: "the notes of the journal: what staff wrote, and the youth's SMS replies as the case keeps them",
  follow_up_plans: 'the follow-up plans agreed with the youth: goal, measures, review dates, each change',
  import_rows: 'the transfer file and line the person came from, and what the case started with',
  letters: 'each letter printed to the youth or a guardian, with the address it went to',
  held_letters: 'letters a batch could not print, and why',
  returned_letters: 'letters that came back',
  mailing_cases: 'the confirmed letter and SMS mailings the case was in',
  sms_messages: 'each SMS sent, with its text and number',
  sms_inbox: 'SMS replies registered on or assigned to the case',
  call_list: "the phone campaigns' call list entries",
  report_snapshot_cases: 'the status reported to UDIR at each report moment',
  audit_log: "who read or changed the person's data (only their own case ids of each row)",
};

export interface PersonRow {
  case_id: string;
  school_year: number;
  national_id: string;
  id_kind: string;
  birth_date: string | null;
  first_name: string;
  last_name: string;
  address: unknown;
  partial_address: unknown;
  address2: unknown;
  mobile: string | null;
  mobile_wrong: boolean;
  other_phones: string[];
  email: string | null;
  guardians: unknown;
  created_at: Date;
}

/** Every persons row of a national id: one per school year the person was imported in, oldest first. */
export async function personRowsByNationalId(db: Db, nationalId: string): Promise<PersonRow[]> {
  const r = await db.query<PersonRow>(
    `SELECT case_id, school_year, national_id, id_kind, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, first_name, last_name,
            address, partial_address, address2, mobile, mobile_wrong, other_phones, email, guardians, created_at
     FROM persons WHERE national_id = $1 ORDER BY school_year`,
    [nationalId],
  );
  return r.rows;
}

/** Rows of a query over the person's cases, each with its case id: the caller groups them by case. */
type ByCase<T> = (T & { case_id: string })[];

/** What the export reads of the person's cases, table by table (PERSON_EXPORT_TABLES), each in its own order. */
export interface CaseRecords {
  cases: ByCase<{
    unit: string;
    os_code: string;
    ot_status: string;
    stage: string;
    caseworker: string | null;
    flags: string[];
    sms: string;
    letter_returns: number;
    phone_campaign: string | null;
    updated_at: Date;
  }>;
  journal: ByCase<{
    seq: string;
    at: Date;
    event: string;
    by_user: string | null;
    by_user_id: string | null;
    channel: string | null;
    note: string | null;
    detail: unknown;
    from_stage: string;
    from_status: string;
    to_stage: string;
    to_status: string;
  }>;
  imports: ByCase<{ import_id: string; file_name: string | null; created_at: Date | null; line: number; is_new: boolean; case_input: unknown }>;
  letters: ByCase<{
    round: number;
    recipient: string;
    addressee: string;
    address: unknown;
    number: number;
    unit: string;
    os_code: string;
    letter_date: string;
    created_by: string;
    created_at: Date;
    sent_on: string | null;
  }>;
  held: ByCase<{ recipient: string; reason: string; number: number; unit: string; os_code: string; letter_date: string; created_at: Date }>;
  returned: ByCase<{ round: number; registered_by: string | null; registered_at: Date | null }>;
  mailings: ByCase<{
    kind: string;
    unit: string;
    os_code: string;
    sent_on: string;
    confirmed_by: string | null;
    created_at: Date;
    signalled: boolean;
  }>;
  smsSent: ByCase<{
    message_key: string;
    step: string;
    mobile: string;
    body: string;
    provider: string;
    status: string;
    attempts: number;
    created_at: Date;
    sent_at: Date | null;
    status_at: Date;
  }>;
  smsReceived: ByCase<{
    inbound_id: string;
    received_at: Date;
    mobile: string;
    body: string;
    status: string;
    reason: string | null;
    handled_by: string | null;
    handled_at: Date | null;
  }>;
  callList: ByCase<{ campaign: string; unit: string; staff: string | null; assigned_at: Date; left_at: Date | null; left_as: string | null }>;
  reports: ByCase<{ report: string; as_of: Date; unit: string; status: string }>;
  plans: ByCase<{ id: string; goal: string; measures: unknown; review_dates: string[]; written_by: string | null; created_at: Date }>;
}

/** Everything held about these cases (all of one person's), by table. */
export async function caseRecords(db: Db, caseIds: string[]): Promise<CaseRecords> {
  const q = async <T>(sql: string): Promise<ByCase<T>> => (await db.query<T & { case_id: string }>(sql, [caseIds])).rows;
  const [cases, journal, imports, letters, held, returned, mailings, smsSent, smsReceived, callList, reports, plans] = await Promise.all([
    q<CaseRecords['cases'][number]>(
      `SELECT case_id, unit, os_code, ot_status, stage, caseworker, flags, sms, letter_returns, phone_campaign, updated_at
       FROM cases WHERE case_id = ANY($1)`,
    ),
    q<CaseRecords['journal'][number]>(
      // A note's text lives in case_notes (migration 016); rows from before it keep their own.
      `SELECT e.case_id, e.seq, e.at, e.event, e.by_user, e.by_user_id, e.channel, coalesce(n.text, e.note) AS note, e.detail,
              e.from_stage, e.from_status, e.to_stage, e.to_status
       FROM case_events e LEFT JOIN case_notes n ON n.id = e.note_id WHERE e.case_id = ANY($1) ORDER BY e.case_id, e.seq`,
    ),
    // Of the import only its file's name and date: its content (every row's national id) is not the API's to read.
    q<CaseRecords['imports'][number]>(
      `SELECT r.case_id, r.import_id, i.file_name, i.created_at, r.line, r.is_new, r.case_input
       FROM import_rows r LEFT JOIN imports i ON i.import_id = r.import_id WHERE r.case_id = ANY($1) ORDER BY i.created_at, r.line`,
    ),
    q<CaseRecords['letters'][number]>(
      `SELECT l.case_id, l.round, l.recipient, l.addressee, l.address, b.number, b.unit, b.os_code, b.letter_date, b.created_by, b.created_at,
              m.sent_on
       FROM letters l JOIN letter_batches b ON b.batch_id = l.batch_id LEFT JOIN mailings m ON m.mailing_id = b.mailing_id
       WHERE l.case_id = ANY($1) ORDER BY b.created_at, l.round, l.recipient`,
    ),
    q<CaseRecords['held'][number]>(
      `SELECT h.case_id, h.recipient, h.reason, b.number, b.unit, b.os_code, b.letter_date, b.created_at
       FROM held_letters h JOIN letter_batches b ON b.batch_id = h.batch_id WHERE h.case_id = ANY($1) ORDER BY b.created_at, h.recipient`,
    ),
    q<CaseRecords['returned'][number]>(
      `SELECT case_id, round, registered_by, registered_at FROM returned_letters WHERE case_id = ANY($1) ORDER BY round`,
    ),
    q<CaseRecords['mailings'][number]>(
      `SELECT mc.case_id, m.kind, m.unit, m.os_code, m.sent_on, m.confirmed_by, m.created_at, mc.signalled
       FROM mailing_cases mc JOIN mailings m ON m.mailing_id = mc.mailing_id WHERE mc.case_id = ANY($1) ORDER BY m.created_at`,
    ),
    q<CaseRecords['smsSent'][number]>(
      `SELECT case_id, message_key, step, mobile, body, provider, status, attempts, created_at, sent_at, status_at
       FROM sms_messages WHERE case_id = ANY($1) ORDER BY created_at`,
    ),
    q<CaseRecords['smsReceived'][number]>(
      `SELECT case_id, inbound_id, received_at, mobile, body, status, reason, handled_by, handled_at
       FROM sms_inbox WHERE case_id = ANY($1) ORDER BY received_at`,
    ),
    q<CaseRecords['callList'][number]>(
      `SELECT case_id, campaign, unit, staff, assigned_at, left_at, left_as FROM call_list WHERE case_id = ANY($1) ORDER BY assigned_at`,
    ),
    q<CaseRecords['reports'][number]>(
      `SELECT c.case_id, s.report, s.as_of, c.unit, c.status
       FROM report_snapshot_cases c JOIN report_snapshots s ON s.snapshot_id = c.snapshot_id WHERE c.case_id = ANY($1) ORDER BY s.as_of`,
    ),
    q<CaseRecords['plans'][number]>(
      `SELECT case_id, id, goal, measures, review_dates, written_by, created_at FROM follow_up_plans WHERE case_id = ANY($1) ORDER BY created_at, id`,
    ),
  ]);
  return { cases, journal, imports, letters, held, returned, mailings, smsSent, smsReceived, callList, reports, plans };
}

export interface AuditOfCases {
  at: Date;
  user_id: string | null;
  display_name: string | null;
  role: string | null;
  kind: string;
  action: string;
  endpoint: string;
  list: string | null;
  /** Only the asked cases of the row: a list read names other people's cases too, which are not theirs to see. */
  case_ids: string[];
}

/** The audit rows that name any of these cases, oldest first, with who made them. */
export async function auditOfCases(db: Db, caseIds: string[]): Promise<AuditOfCases[]> {
  const r = await db.query<AuditOfCases>(
    `SELECT a.at, a.user_id, u.display_name, u.role, a.kind, a.action, a.endpoint, a.list,
            ARRAY(SELECT c FROM unnest(a.case_ids) AS c WHERE c = ANY($1) ORDER BY c) AS case_ids
     FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
     WHERE a.case_ids && $1::text[] ORDER BY a.id`,
    [caseIds],
  );
  return r.rows;
}
