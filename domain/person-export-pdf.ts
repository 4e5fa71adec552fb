import { once } from 'node:events';
import { DateTime } from 'luxon';
import { CAMPAIGN_ZONE } from '../schemas/calendar';
import type { CaseStage } from '../schemas/case-stages';
import type { PersonExport, ExportedCase } from '../schemas/person-export';
import type { Role } from '../schemas/roles';
import type { CaseEvent } from '../workflows/youth-case/machine';
import { LETTER_FONTS, openLetterDocument } from './letter-pdf';

/**
 * The access export as a readable PDF in Nynorsk, for the youth: a title, who they are, then a section per case
 * (school year) with what is stored, the journal with its notes, letters, SMS, calls and reports, and last who
 * read or changed their data. The words of the journal's events, stages and roles are the youth's, not the
 * machine's; a code the tables below do not know is shown as it is.
 */

const EVENT_WORDS: Record<CaseEvent['type'], string> = {
  LETTER_DUE: 'Brevet skulle sendast',
  LETTERS_SENT: 'Brevet vart sendt',
  LETTER_RETURNED: 'Brevet kom i retur',
  SMS_DUE: 'SMS skulle sendast',
  SMS_SENT: 'SMS vart sendt',
  SECOND_SMS_SENT: 'Ny SMS vart sendt',
  PHONE_CAMPAIGN_STARTED: 'Sett på ringjelista',
  PHONE_CAMPAIGN_ENDED: 'Ringjerunden slutta',
  REPLY: 'Svar frå deg',
  OUTCOME: 'Kva du gjer no, registrert',
  CLAIM: 'Saka teken av ein rådgjevar',
  CONTACT: 'Nye kontaktopplysningar',
  CALL: 'Telefonsamtale',
  CROSSCHECK_MATCHED: 'Treff i ei liste frå inntakskontoret',
  RETURNED_TO_VIGO: 'Sendt tilbake til VIGO',
  CALL_MOVED: 'Samtalen flytta til ein annan ringjar',
  AGED_OUT: 'Ute av målgruppa ved årsskiftet (aldersgrensa)',
  SCHOOL_YEAR_ENDED: 'Skuleåret slutta',
  PLAN: 'Oppfølgingsplan laga eller endra',
  REVIEW: 'Oppfølgingsplanen gjennomgått',
  REVIEW_DUE: 'Tid for å gå gjennom oppfølgingsplanen',
  REVIEW_OVERDUE: 'Gjennomgangen av oppfølgingsplanen er forsinka',
};

/** Who carries out a measure of a follow-up plan, in the youth's words. */
const MEASURE_WORDS: Record<string, string> = { OT: 'OT', NAV: 'NAV', school: 'skulen', trainingOffice: 'opplæringskontoret' };

const STAGE_WORDS: Record<CaseStage, string> = {
  feil: 'registrert ved ein feil',
  notInTargetGroup: 'ikkje i målgruppa',
  caseworkerFollowUp: 'følgd opp av ein rådgjevar',
  needsAddress: 'manglar adresse',
  awaitingLetter: 'ventar på brevet',
  letterDue: 'brevet skal sendast',
  letterSent: 'brevet er sendt',
  smsDue: 'SMS skal sendast',
  noMobile: 'utan mobilnummer',
  smsSent: 'SMS er sendt',
  phoneCampaign: 'på ringjelista',
  contactEstablished: 'kontakt oppretta',
  underFollowUp: 'under oppfølging',
  resolved: 'avklart',
  agedOut: 'over aldersgrensa, ute av målgruppa',
  closed: 'avslutta',
};

const ROLE_WORDS: Record<Role, string> = {
  operator: 'systemeigar',
  superUser: 'superbrukar',
  caseworker: 'OT-rådgjevar',
  officeStaff: 'kontortilsett',
  leader: 'leiar',
  smsGateway: 'SMS-portal',
};

const KIND_WORDS: Record<string, string> = { read: 'las', write: 'endra', denied: 'fekk nei til', 'sign-in': 'logga inn' };

const word = <T extends string>(table: Record<T, string>, code: string | null | undefined): string =>
  code ? ((table as Record<string, string>)[code] ?? code) : '';
const when = (iso: string | null | undefined) => (iso ? DateTime.fromISO(iso).setZone(CAMPAIGN_ZONE).toFormat('dd.LL.yyyy HH:mm') : '');

/** An address as stored ({ street, postcode, city }, or any part of it). */
function addressText(a: unknown): string {
  if (!a || typeof a !== 'object') return '';
  const { street, postcode, city } = a as Record<string, unknown>;
  return [street, [postcode, city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}

function guardiansText(g: unknown): string[] {
  if (!Array.isArray(g)) return [];
  return g.map((x: unknown) => {
    const o = (x ?? {}) as Record<string, unknown>;
    return [o.name, addressText(o.address)].filter(Boolean).join(', ');
  });
}

const MARGIN = 56;
const SIZE = { title: 18, h1: 14, h2: 11.5, body: 10 };

class Writer {
  constructor(readonly doc: PDFKit.PDFDocument) {}
  private width() {
    return this.doc.page.width - 2 * MARGIN;
  }
  title(text: string) {
    this.doc.font(LETTER_FONTS.bold).fontSize(SIZE.title).text(text, MARGIN, this.doc.y, { width: this.width() });
    this.doc.moveDown(0.5);
  }
  h1(text: string) {
    this.doc.moveDown(0.8);
    this.doc.font(LETTER_FONTS.bold).fontSize(SIZE.h1).text(text, MARGIN, this.doc.y, { width: this.width() });
    this.doc.moveDown(0.3);
  }
  h2(text: string) {
    this.doc.moveDown(0.5);
    this.doc.font(LETTER_FONTS.bold).fontSize(SIZE.h2).text(text, MARGIN, this.doc.y, { width: this.width() });
    this.doc.moveDown(0.2);
  }
  field(label: string, value: string | number | null | undefined) {
    if (value === null || value === undefined || value === '') return;
    this.doc.font(LETTER_FONTS.bold).fontSize(SIZE.body).text(`${label}: `, MARGIN, this.doc.y, { continued: true, width: this.width() });
    this.doc.font(LETTER_FONTS.regular).text(String(value));
  }
  line(text: string, indent = 0) {
    this.doc
      .font(LETTER_FONTS.regular)
      .fontSize(SIZE.body)
      .text(text, MARGIN + indent, this.doc.y, { width: this.width() - indent });
  }
  none(what: string) {
    this.line(`Ingen ${what}.`);
  }
}

function drawCase(w: Writer, c: ExportedCase): void {
  w.h1(`Skuleåret ${c.schoolYear}–${c.schoolYear + 1}`);
  w.field('Saksnummer', c.caseId);

  w.h2('Slik er opplysningane om deg lagra');
  const p = c.person;
  w.field('Namn', `${p.firstName} ${p.lastName}`);
  w.field('Adresse', addressText(p.address));
  w.field('Del av adresse', addressText(p.partialAddress));
  w.field('Adresse 2', addressText(p.address2));
  w.field('Mobil', p.mobile ? `${p.mobile}${p.mobileWrong ? ' (ein samtale fann at nummeret er feil)' : ''}` : undefined);
  w.field('Andre nummer', p.otherPhones.join(', '));
  w.field('E-post', p.email);
  for (const g of guardiansText(p.guardians)) w.field('Føresett', g);
  w.field('Lagra', when(p.storedAt));

  w.h2('Saka no');
  if (!c.state) w.line('Saka er ikkje registrert ferdig enno.');
  else {
    w.field('OT-eining', c.state.unit);
    w.field('Kode frå VIGO (OS-kode)', c.state.osCode);
    w.field('Status', c.state.otStatus);
    w.field('Kvar saka står', word(STAGE_WORDS, c.state.stage));
    w.field('Rådgjevar', c.state.caseworker);
    w.field('Merknader', c.state.flags.join(', '));
  }

  w.h2('Kodane over tid');
  if (c.codeHistory.length === 0) w.none('endringar av koden');
  for (const h of c.codeHistory) w.line(`${when(h.at)}  ${h.from} → ${h.to}  (${word(EVENT_WORDS, h.event)})`);

  w.h2('Journal');
  if (c.journal.length === 0) w.none('journalføringar');
  for (const e of c.journal) {
    const by = e.by ? ` av ${e.by}` : '';
    const channel = e.channel ? ` (${e.channel})` : '';
    w.line(`${when(e.at)}  ${word(EVENT_WORDS, e.event)}${by}${channel}: ${e.from.status} → ${e.to.status}`);
    if (e.note) w.line(`Notat: ${e.note}`, 14);
  }

  w.h2('Brev');
  const l = c.letters;
  if (l.printed.length + l.held.length + l.returned.length === 0) w.none('brev');
  for (const x of l.printed)
    w.line(
      `Brev til ${x.addressee}, ${addressText(x.address)}: datert ${x.letterDate}, skrive ut ${when(x.printedAt)} av ${x.printedBy}` +
        (x.sentOn ? `, sendt ${x.sentOn}` : ''),
    );
  for (const x of l.held) w.line(`Brev som ikkje kunne sendast (${x.reason}), datert ${x.letterDate}`);
  for (const x of l.returned)
    w.line(`Brev kom i retur${x.registeredAt ? ` ${when(x.registeredAt)}` : ''}${x.registeredBy ? `, registrert av ${x.registeredBy}` : ''}`);
  for (const m of l.mailings)
    w.line(`Utsending (${m.kind === 'sms' ? 'SMS' : 'brev'}) ${m.sentOn}${m.confirmedBy ? `, stadfesta av ${m.confirmedBy}` : ''}`);

  w.h2('SMS');
  if (c.sms.sent.length + c.sms.received.length === 0) w.none('SMS');
  for (const m of c.sms.sent) {
    w.line(`Sendt til ${m.mobile} ${when(m.sentAt ?? m.createdAt)} (${m.status}):`);
    w.line(m.body, 14);
  }
  for (const m of c.sms.received) {
    w.line(`Motteke frå ${m.mobile} ${when(m.receivedAt)}:`);
    w.line(m.body, 14);
  }

  w.h2('Ringjelister');
  if (c.callList.length === 0) w.none('oppføringar på ringjelister');
  for (const x of c.callList)
    w.line(
      `Ringjerunden ${x.campaign}: sett på lista ${when(x.assignedAt)}${x.staff ? ` hjå ${x.staff}` : ''}${x.leftAt ? `, teken av ${when(x.leftAt)}` : ''}`,
    );

  w.h2('Oppfølgingsplanar');
  if (c.plans.length === 0) w.none('oppfølgingsplanar');
  for (const p of c.plans) {
    w.line(`Plan laga ${when(p.madeAt)}. Målet ditt: ${p.goal}`);
    for (const m of p.measures) w.line(`${m.from}–${m.to}, ${MEASURE_WORDS[m.responsible] ?? m.responsible}: ${m.what}`, 14);
    w.line(`Gjennomgang: ${p.reviewDates.join(', ')}`, 14);
  }

  w.h2('Rapportert til Utdanningsdirektoratet');
  if (c.reports.length === 0) w.none('rapportar');
  for (const r of c.reports) w.line(`${r.report} (${when(r.asOf)}): ${r.status}, eining ${r.unit}`);

  w.h2('Kvar opplysningane kom frå');
  if (c.imports.length === 0) w.none('importar');
  for (const i of c.imports)
    w.line(`Overføringa frå VIGO${i.fileName ? ` (${i.fileName})` : ''}${i.importedAt ? ` ${when(i.importedAt)}` : ''}, linje ${i.line}`);
}

/** The export as a PDF document. */
export async function renderPersonExportPdf(e: PersonExport): Promise<Buffer> {
  // The title names no person: a PDF's metadata travels with the file.
  const { doc } = openLetterDocument('Innsyn', new Date(e.exportedAt));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = once(doc, 'end');
  const newPage = () => doc.addPage({ size: 'A4', margin: MARGIN });
  newPage();
  const w = new Writer(doc);

  w.title('Innsyn: opplysningar Oppfølgingstenesta har om deg');
  w.line(
    `Dette er alt systemet for Oppfølgingstenesta sine kampanjar held om deg, kvart skuleår du har vore med: ` +
      `det som er lagra om deg, journalen for saka di med notata, breva, SMS-ane, ringjelistene, det som er rapportert, ` +
      `og kven som har lese eller endra opplysningane.`,
  );
  w.field('Laga', `${when(e.exportedAt)} av ${e.exportedBy.displayName}`);
  w.field('Utdrag', e.exportId);

  w.h1('Deg');
  w.field('Namn', `${e.subject.firstName} ${e.subject.lastName}`);
  w.field('Fødselsnummer', e.subject.nationalId);
  w.field('Fødselsdato', e.subject.birthDate ? DateTime.fromISO(e.subject.birthDate).toFormat('dd.LL.yyyy') : undefined);
  w.field('Saker', e.cases.map((c) => `${c.schoolYear}–${c.schoolYear + 1}`).join(', '));

  for (const c of e.cases) drawCase(w, c);

  w.h1('Kven har lese eller endra opplysningane');
  if (e.audit.length === 0) w.none('oppslag');
  for (const a of e.audit) {
    const who = a.user ? `${a.user.displayName}${a.user.role ? ` (${word(ROLE_WORDS, a.user.role)})` : ''}` : 'ukjend brukar';
    w.line(`${when(a.at)}  ${who} ${word(KIND_WORDS, a.kind)}: ${a.action} (${a.endpoint})`);
  }

  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
