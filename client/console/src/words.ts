import type { CaseStatusCode, OtGroup } from '../../../schemas/ot-codes';
import type { Role } from '../../../schemas/roles';
import type { Language, Texts } from './i18n';

/** What the console calls the system's roles, in each language. */
export const ROLE_NAMES: Texts<Record<Role, string>> = {
  nn: {
    operator: 'systemeigar',
    superUser: 'superbrukar',
    caseworker: 'OT-rådgjevar',
    officeStaff: 'kontortilsett',
    leader: 'leiar',
    smsGateway: 'SMS-portal',
  },
  nb: {
    operator: 'systemeier',
    superUser: 'superbruker',
    caseworker: 'OT-rådgiver',
    officeStaff: 'kontoransatt',
    leader: 'leder',
    smsGateway: 'SMS-portal',
  },
};

/** UDIR's OT status groups (schemas/ot-codes.ts), named as the Directorate's code list names them. */
export const GROUP_NAMES: Texts<Record<OtGroup, string>> = {
  nn: {
    1: 'Ukjend aktivitet',
    2: 'Under oppfølging og rettleiing',
    3: 'I aktivitet',
    4: 'Avklart',
    5: 'Registrert, men ikkje i målgruppa',
  },
  nb: {
    1: 'Ukjent aktivitet',
    2: 'Under oppfølging og veiledning',
    3: 'I aktivitet',
    4: 'Avklart',
    5: 'Registrert, men ikke i målgruppen',
  },
};

/** Each UDIR status code and each OS code, as a caseworker reads it beside the code. */
export const STATUS_NAMES: Texts<Record<CaseStatusCode, string>> = {
  nn: {
    OSON: 'har ikkje søkt',
    OSUT: 'fekk ikkje tilbod om plass',
    OSNP: 'takka nei til plass eller ventelisteplass',
    OSVE: 'har aldri hatt plass eller ventelisteplass',
    OTUK: 'ukjend aktivitet',
    OTOV: 'oppfølging og rettleiing',
    OTOA: 'opplæring/arbeidspraksis i regi av fylket',
    OTAP: 'arbeidspraksis eller anna tiltak i regi av NAV',
    OTKO: 'kombinert tiltak fylke/kommune og NAV',
    OTAR: 'i arbeid',
    OTEV: 'elev',
    OTVF: 'elev ved privat vidaregåande skule',
    OTLL: 'lærling / lærekandidat',
    OTNO: 'takkar nei til oppfølging',
    OTMI: 'i militærteneste',
    OTBA: 'omsorg for barn',
    OTSY: 'sjuk / på institusjon',
    OTIF: 'ikkje-formell opplæring',
    ELGS_IM: 'elev i grunnskulen, førebyggjande arbeid',
    ELVG_IM: 'elev/lærling, førebyggjande arbeid',
    OTFA_IM: 'flytta til anna fylke',
    OTFU_IM: 'flytta til / bur i utlandet',
    Feil: 'registrert ved ein feil',
    OTAR_IM: 'i arbeid',
    OTEV_IM: 'elev',
    OTVF_IM: 'elev ved privatskule',
    OTLL_IM: 'lærling',
    ALDER_IM: 'over aldersgrensa, ute av målgruppa (systemet sin kode, ikkje UDIR sin)',
  },
  nb: {
    OSON: 'har ikke søkt',
    OSUT: 'fikk ikke tilbud om plass',
    OSNP: 'takket nei til plass eller ventelisteplass',
    OSVE: 'har aldri hatt plass eller ventelisteplass',
    OTUK: 'ukjent aktivitet',
    OTOV: 'oppfølging og veiledning',
    OTOA: 'opplæring/arbeidspraksis i regi av fylket',
    OTAP: 'arbeidspraksis eller annet tiltak i regi av NAV',
    OTKO: 'kombinert tiltak fylke/kommune og NAV',
    OTAR: 'i arbeid',
    OTEV: 'elev',
    OTVF: 'elev ved privat videregående skole',
    OTLL: 'lærling / lærekandidat',
    OTNO: 'takker nei til oppfølging',
    OTMI: 'i militærtjeneste',
    OTBA: 'omsorg for barn',
    OTSY: 'syk / på institusjon',
    OTIF: 'ikke-formell opplæring',
    ELGS_IM: 'elev i grunnskolen, forebyggende arbeid',
    ELVG_IM: 'elev/lærling, forebyggende arbeid',
    OTFA_IM: 'flyttet til annet fylke',
    OTFU_IM: 'flyttet til / bor i utlandet',
    Feil: 'registrert ved en feil',
    OTAR_IM: 'i arbeid',
    OTEV_IM: 'elev',
    OTVF_IM: 'elev ved privatskole',
    OTLL_IM: 'lærling',
    ALDER_IM: 'over aldersgrensen, ute av målgruppen (systemets kode, ikke UDIRs)',
  },
};

/** "OTAR – i arbeid": a code with its name, as lists and forms show it. */
export function statusLabel(code: string, lang: Language): string {
  const name = (STATUS_NAMES[lang] as Record<string, string>)[code];
  return name ? `${code} – ${name}` : code;
}
