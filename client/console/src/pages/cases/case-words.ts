import type { CaseFlag as Flag, CaseStage as Stage, Reach } from '../../../../../schemas/case-stages';
import type { Texts } from '../../language';

/**
 * The case machine's words as the case pages show them. Its stages and flags are those of schemas/case-stages.ts
 * (the machine's, in its order); the channels and contact sources are kept here, as workflows/youth-case/machine.ts
 * names them (the console may not import workflows/).
 */
export {
  CASE_FLAGS as FLAGS,
  CASE_STAGES as STAGES,
  REACH,
  type CaseFlag as Flag,
  type CaseStage as Stage,
  type Reach,
} from '../../../../../schemas/case-stages';

export const CHANNELS = ['reply-sheet', 'phone', 'email', 'sms', 'drop-in', 'nav', 'admissions-office'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CONTACT_SOURCES = ['nav', 'admissions-office', 'youth'] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

export const STAGE_NAMES: Texts<Record<Stage, string>> = {
  nn: {
    feil: 'Feil: sendt tilbake til VIGO',
    notInTargetGroup: 'Ikkje i målgruppa',
    caseworkerFollowUp: 'Følgd opp av saksbehandlar',
    needsAddress: 'Manglar adresse',
    awaitingLetter: 'Ventar på brevet',
    letterDue: 'Brevet skal sendast',
    letterSent: 'Brevet er sendt',
    smsDue: 'SMS skal sendast',
    noMobile: 'Utan mobilnummer',
    smsSent: 'SMS er sendt',
    phoneCampaign: 'På ringjelista',
    contactEstablished: 'Kontakt oppretta',
    underFollowUp: 'Under oppfølging',
    resolved: 'Avklart',
    agedOut: 'Over aldersgrensa: ute av målgruppa frå 1. januar',
    closed: 'Avslutta (skuleåret er over)',
  },
  nb: {
    feil: 'Feil: sendt tilbake til VIGO',
    notInTargetGroup: 'Ikke i målgruppen',
    caseworkerFollowUp: 'Fulgt opp av saksbehandler',
    needsAddress: 'Mangler adresse',
    awaitingLetter: 'Venter på brevet',
    letterDue: 'Brevet skal sendes',
    letterSent: 'Brevet er sendt',
    smsDue: 'SMS skal sendes',
    noMobile: 'Uten mobilnummer',
    smsSent: 'SMS er sendt',
    phoneCampaign: 'På ringelisten',
    contactEstablished: 'Kontakt opprettet',
    underFollowUp: 'Under oppfølging',
    resolved: 'Avklart',
    agedOut: 'Over aldersgrensen: ute av målgruppen fra 1. januar',
    closed: 'Avsluttet (skoleåret er over)',
  },
};

export const FLAG_NAMES: Texts<Record<Flag, string>> = {
  nn: {
    fictitiousId: 'fiktivt fødselsnummer',
    needsAddress: 'manglar adresse',
    noMobile: 'manglar mobil',
    wrongNumber: 'feil mobilnummer',
    under18: 'under 18 (brev òg til føresette)',
    letterReturned: 'brev kom i retur',
    agesOut: 'går ut av målgruppa ved årsskiftet (aldersgrensa)',
    inOtLastYear: 'i OT to år på rad',
    unreachedLastYear: 'ikkje nådd i fjor',
  },
  nb: {
    fictitiousId: 'fiktivt fødselsnummer',
    needsAddress: 'mangler adresse',
    noMobile: 'mangler mobil',
    wrongNumber: 'feil mobilnummer',
    under18: 'under 18 (brev også til foresatte)',
    letterReturned: 'brev kom i retur',
    agesOut: 'går ut av målgruppen ved årsskiftet (aldersgrensen)',
    inOtLastYear: 'i OT to år på rad',
    unreachedLastYear: 'ikke nådd i fjor',
  },
};

/** Whether anyone has reached the youth, as the case list filters it (the machine says which stage is which). */
export const REACH_NAMES: Texts<Record<Reach, string>> = {
  nn: { neverReached: 'aldri nådd', reachedNoOutcome: 'nådd, utan utfall', settled: 'avklart' },
  nb: { neverReached: 'aldri nådd', reachedNoOutcome: 'nådd, uten utfall', settled: 'avklart' },
};

export const SMS_NAMES: Texts<Record<string, string>> = {
  nn: { notYet: 'ikkje enno', due: 'skal sendast', noMobile: 'ingen mobil å sende til', sent: 'sendt' },
  nb: { notYet: 'ikke ennå', due: 'skal sendes', noMobile: 'ingen mobil å sende til', sent: 'sendt' },
};

export const CHANNEL_NAMES: Texts<Record<Channel, string>> = {
  nn: {
    'reply-sheet': 'svarark',
    phone: 'telefon',
    email: 'e-post',
    sms: 'SMS',
    'drop-in': 'oppmøte',
    nav: 'NAV',
    'admissions-office': 'Inntakskontoret',
  },
  nb: {
    'reply-sheet': 'svarark',
    phone: 'telefon',
    email: 'e-post',
    sms: 'SMS',
    'drop-in': 'oppmøte',
    nav: 'NAV',
    'admissions-office': 'Inntakskontoret',
  },
};

export const SOURCE_NAMES: Texts<Record<ContactSource, string>> = {
  nn: { nav: 'NAV', 'admissions-office': 'Inntakskontoret', youth: 'ungdommen sjølv' },
  nb: { nav: 'NAV', 'admissions-office': 'Inntakskontoret', youth: 'ungdommen selv' },
};

/** The journal's events and the deadlines of `next`, as a line of the timeline names them. */
export const EVENT_NAMES: Texts<Record<string, string>> = {
  nn: {
    CLAIM: 'Teken av saksbehandlar',
    REPLY: 'Svar registrert',
    OUTCOME: 'Utfall sett',
    CONTACT: 'Nye kontaktopplysningar',
    CALL: 'Telefonsamtale',
    LETTER_DUE: 'Brevet skal sendast',
    LETTERS_SENT: 'Brevet sendt, omkoda til OTUK',
    SMS_DUE: 'SMS skal sendast',
    SMS_SENT: 'SMS sendt',
    SECOND_SMS_SENT: 'Ny SMS sendt',
    PHONE_CAMPAIGN_STARTED: 'Sett på ringjelista',
    PHONE_CAMPAIGN_ENDED: 'Telefondugnaden er over',
    LETTER_RETURNED: 'Brev kom i retur',
    CROSSCHECK_MATCHED: 'Treff i kryssjekk',
    RETURNED_TO_VIGO: 'Sendt tilbake til VIGO',
    CALL_MOVED: 'Samtalen flytta til ein annan ringjar',
    AGED_OUT: 'Ute av målgruppa ved aldersgrensa (1. januar)',
    SCHOOL_YEAR_ENDED: 'Skuleåret er over',
    PLAN: 'Oppfølgingsplan laga eller endra',
    REVIEW_DUE: 'Gjennomgang av planen skal gjerast',
    REVIEW_OVERDUE: 'Gjennomgang av planen er over fristen',
    REVIEW: 'Gjennomgang av planen registrert',
  },
  nb: {
    CLAIM: 'Tatt av saksbehandler',
    REPLY: 'Svar registrert',
    OUTCOME: 'Utfall satt',
    CONTACT: 'Nye kontaktopplysninger',
    CALL: 'Telefonsamtale',
    LETTER_DUE: 'Brevet skal sendes',
    LETTERS_SENT: 'Brevet sendt, omkodet til OTUK',
    SMS_DUE: 'SMS skal sendes',
    SMS_SENT: 'SMS sendt',
    SECOND_SMS_SENT: 'Ny SMS sendt',
    PHONE_CAMPAIGN_STARTED: 'Satt på ringelisten',
    PHONE_CAMPAIGN_ENDED: 'Telefondugnaden er over',
    LETTER_RETURNED: 'Brev kom i retur',
    CROSSCHECK_MATCHED: 'Treff i kryssjekk',
    RETURNED_TO_VIGO: 'Sendt tilbake til VIGO',
    CALL_MOVED: 'Samtalen flyttet til en annen ringer',
    AGED_OUT: 'Ute av målgruppen ved aldersgrensen (1. januar)',
    SCHOOL_YEAR_ENDED: 'Skoleåret er over',
    PLAN: 'Oppfølgingsplan laget eller endret',
    REVIEW_DUE: 'Gjennomgang av planen skal gjøres',
    REVIEW_OVERDUE: 'Gjennomgang av planen er over fristen',
    REVIEW: 'Gjennomgang av planen registrert',
  },
};

/** A letter the mailing sent after the case had moved on (a claim or a reply came first): it changed no code. */
const LATE_LETTER: Texts<string> = {
  nn: 'Brevet sendt etter at saka gjekk vidare (koden står)',
  nb: 'Brevet sendt etter at saken gikk videre (koden står)',
};

/** What a line of the journal says happened: its event's name, or the late letter's own words. */
export function journalEventName(lang: keyof typeof EVENT_NAMES, entry: { event: string; detail?: Record<string, string> }): string {
  if (entry.event === 'LETTERS_SENT' && entry.detail?.late === 'true') return LATE_LETTER[lang];
  return named(EVENT_NAMES[lang], entry.event);
}

/** A name from a table, or the key itself when the table does not know it (a newer API than this console). */
export function named(table: Record<string, string>, key: string | undefined): string {
  if (!key) return '–';
  return table[key] ?? key;
}
