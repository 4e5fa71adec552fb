import { randomBytes } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { auditOfCases, caseRecords, personRowsByNationalId, type CaseRecords, type PersonRow } from '../../db/person-export';
import { renderPersonExportPdf } from '../../domain/person-export-pdf';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';
import type { Config } from '../../schemas/config';
import { PERSON_EXPORT_FORMAT, PERSON_EXPORT_VERSION, personExportSchema, type ExportedCase, type PersonExport } from '../../schemas/person-export';
import type { Principal } from '../../schemas/roles';

/**
 * The youth's access request (GDPR Art. 15): everything held about one person, read by national id across
 * every school year, as one document. Nothing here writes to the database: the caller's audit row records
 * the export (who, which cases, the export's id), never what it held.
 */

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The rows of one case from a query over all the person's cases. */
const ofCase = <T extends { case_id: string }>(rows: T[], caseId: string): T[] => rows.filter((r) => r.case_id === caseId);

function exportedCase(p: PersonRow, r: CaseRecords): ExportedCase {
  const id = p.case_id;
  const state = ofCase(r.cases, id)[0];
  const journal = ofCase(r.journal, id).map((e) => ({
    seq: Number(e.seq),
    at: e.at.toISOString(),
    event: e.event,
    by: e.by_user,
    byUserId: e.by_user_id,
    channel: e.channel,
    note: e.note,
    detail: e.detail ?? null,
    from: { stage: e.from_stage, status: e.from_status },
    to: { stage: e.to_stage, status: e.to_status },
  }));
  return {
    caseId: id,
    schoolYear: p.school_year,
    person: {
      nationalId: p.national_id,
      idKind: p.id_kind,
      birthDate: p.birth_date,
      firstName: p.first_name,
      lastName: p.last_name,
      address: p.address ?? null,
      partialAddress: p.partial_address ?? null,
      address2: p.address2 ?? null,
      mobile: p.mobile,
      mobileWrong: p.mobile_wrong,
      otherPhones: p.other_phones,
      email: p.email,
      guardians: p.guardians,
      storedAt: p.created_at.toISOString(),
    },
    state: state
      ? {
          unit: state.unit,
          osCode: state.os_code,
          otStatus: state.ot_status,
          stage: state.stage,
          caseworker: state.caseworker,
          flags: state.flags,
          sms: state.sms,
          letterReturns: state.letter_returns,
          phoneCampaign: state.phone_campaign,
          updatedAt: state.updated_at.toISOString(),
        }
      : null,
    codeHistory: journal
      .filter((e) => e.from.status !== e.to.status)
      .map((e) => ({ at: e.at, event: e.event, from: e.from.status, to: e.to.status })),
    journal,
    imports: ofCase(r.imports, id).map((i) => ({
      importId: i.import_id,
      fileName: i.file_name,
      importedAt: iso(i.created_at),
      line: i.line,
      newPerson: i.is_new,
      caseInput: i.case_input,
    })),
    letters: {
      printed: ofCase(r.letters, id).map((l) => ({
        round: l.round,
        recipient: l.recipient,
        addressee: l.addressee,
        address: l.address,
        batch: l.number,
        unit: l.unit,
        osCode: l.os_code,
        letterDate: l.letter_date,
        printedBy: l.created_by,
        printedAt: l.created_at.toISOString(),
        sentOn: l.sent_on,
      })),
      held: ofCase(r.held, id).map((h) => ({
        recipient: h.recipient,
        reason: h.reason,
        batch: h.number,
        unit: h.unit,
        osCode: h.os_code,
        letterDate: h.letter_date,
        heldAt: h.created_at.toISOString(),
      })),
      returned: ofCase(r.returned, id).map((x) => ({ round: x.round, registeredBy: x.registered_by, registeredAt: iso(x.registered_at) })),
      mailings: ofCase(r.mailings, id).map((m) => ({
        kind: m.kind,
        unit: m.unit,
        osCode: m.os_code,
        sentOn: m.sent_on,
        confirmedBy: m.confirmed_by,
        confirmedAt: m.created_at.toISOString(),
        told: m.signalled,
      })),
    },
    sms: {
      sent: ofCase(r.smsSent, id).map((m) => ({
        messageKey: m.message_key,
        step: m.step,
        mobile: m.mobile,
        body: m.body,
        provider: m.provider,
        status: m.status,
        attempts: m.attempts,
        createdAt: m.created_at.toISOString(),
        sentAt: iso(m.sent_at),
        statusAt: m.status_at.toISOString(),
      })),
      received: ofCase(r.smsReceived, id).map((m) => ({
        inboundId: m.inbound_id,
        receivedAt: m.received_at.toISOString(),
        mobile: m.mobile,
        body: m.body,
        status: m.status,
        reason: m.reason,
        handledBy: m.handled_by,
        handledAt: iso(m.handled_at),
      })),
    },
    callList: ofCase(r.callList, id).map((c) => ({
      campaign: c.campaign,
      unit: c.unit,
      staff: c.staff,
      assignedAt: c.assigned_at.toISOString(),
      leftAt: iso(c.left_at),
      leftAs: c.left_as,
    })),
    reports: ofCase(r.reports, id).map((x) => ({ report: x.report, asOf: x.as_of.toISOString(), unit: x.unit, status: x.status })),
    plans: ofCase(r.plans, id).map((x) => ({
      planId: x.id,
      goal: x.goal,
      measures: x.measures as { what: string; responsible: string; from: string; to: string }[],
      reviewDates: x.review_dates,
      writtenBy: x.written_by,
      madeAt: x.created_at.toISOString(),
    })),
  };
}

/** A new export's id: random, so that no file name or audit row says whose it is. */
export const newExportId = (): string => randomBytes(6).toString('hex');

/**
 * Everything held about the person with this national id, every school year; undefined when no cohort holds
 * them. Checked against its own schema before anyone gets it.
 */
export async function exportPerson(
  pool: Pool,
  nationalId: string,
  by: Pick<Principal, 'displayName' | 'role'>,
  exportId: string = newExportId(),
): Promise<PersonExport | undefined> {
  const persons = await personRowsByNationalId(pool, nationalId);
  if (persons.length === 0) return undefined;
  const caseIds = persons.map((p) => p.case_id);
  const [records, audit] = await Promise.all([caseRecords(pool, caseIds), auditOfCases(pool, caseIds)]);
  const latest = persons[persons.length - 1];
  return personExportSchema.parse({
    format: PERSON_EXPORT_FORMAT,
    schemaVersion: PERSON_EXPORT_VERSION,
    exportId,
    exportedAt: new Date().toISOString(),
    exportedBy: { displayName: by.displayName, role: by.role },
    subject: { nationalId: latest.national_id, firstName: latest.first_name, lastName: latest.last_name, birthDate: latest.birth_date },
    cases: persons.map((p) => exportedCase(p, records)),
    audit: audit.map((a) => ({
      at: a.at.toISOString(),
      // An account no longer (or never) in the users table, such as the SMS gateway's callback secret: named by its id.
      user: a.display_name ? { displayName: a.display_name, role: a.role ?? '' } : a.user_id ? { displayName: a.user_id, role: '' } : null,
      kind: a.kind,
      action: a.action,
      endpoint: a.endpoint,
      list: a.list,
      caseIds: a.case_ids,
    })),
  });
}

/** The case ids an export covers, for its audit row. */
export const exportedCaseIds = (e: PersonExport): string[] => e.cases.map((c) => c.caseId);

/** The name of the export's audit row's list: the files carry the same id. */
export const exportListName = (e: PersonExport): string => `innsyn:${e.exportId}`;

/** Where exports go unless the operator names a folder: the data folder, never the working directory. */
export function defaultExportFolder(config: Config): string {
  return path.join(config.dataDir, 'exports', 'innsyn');
}

export const exportPdf = (e: PersonExport): Promise<Buffer> => renderPersonExportPdf(e);

/** Writes a new file readable by its owner alone; an existing file is never overwritten. */
async function writeOwnerOnly(file: string, content: string | Buffer): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The export as innsyn-<exportId>-<date>.json and .pdf in `dir` (made owner-only if missing): the names carry
 * no national id, name or case id; the files are the owner's alone (0600).
 */
export async function writePersonExport(e: PersonExport, dir: string): Promise<{ json: string; pdf: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const day = DateTime.fromISO(e.exportedAt).setZone(CAMPAIGN_ZONE).toISODate();
  const base = path.join(dir, `innsyn-${e.exportId}-${day}`);
  const files = { json: `${base}.json`, pdf: `${base}.pdf` };
  const pdf = await exportPdf(e);
  await writeOwnerOnly(files.json, `${JSON.stringify(e, null, 2)}\n`);
  await writeOwnerOnly(files.pdf, pdf);
  return files;
}
