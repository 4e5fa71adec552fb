import type { Language, Texts } from '../../i18n';

/** The API's reasons for a letter held back or a youth on the admissions office's list (domain/letter-recipients.ts, db/letter-batches.ts), in words. */
const REASONS: Texts<Record<string, string>> = {
  nn: {
    'no address': 'ingen adresse',
    'no full name': 'manglar fullt namn',
    'the address has no street': 'adressa manglar gateadresse',
    'the postnummer is not 4 digits': 'postnummeret har ikkje fire siffer',
    'the address has no poststad': 'adressa manglar poststad',
    'the guardian has no name': 'den føresette manglar namn',
    'no address known': 'ingen kjend adresse',
  },
  nb: {
    'no address': 'ingen adresse',
    'no full name': 'mangler fullt navn',
    'the address has no street': 'adressen mangler gateadresse',
    'the postnummer is not 4 digits': 'postnummeret har ikke fire sifre',
    'the address has no poststad': 'adressen mangler poststed',
    'the guardian has no name': 'den foresatte mangler navn',
    'no address known': 'ingen kjent adresse',
  },
};

export function reasonText(reason: string, lang: Language): string {
  const known = REASONS[lang][reason];
  if (known) return known;
  const back = /^the letter came back (\d+) time\(s\) and no other address is known$/.exec(reason);
  if (back)
    return lang === 'nn'
      ? `brevet kom i retur ${back[1]} gong(er), og ingen annan adresse er kjend`
      : `brevet kom i retur ${back[1]} gang(er), og ingen annen adresse er kjent`;
  return reason;
}

export function recipientText(recipient: string, lang: Language): string {
  if (recipient === 'youth') return lang === 'nn' ? 'ungdomen' : 'ungdommen';
  const n = /^guardian(\d)$/.exec(recipient);
  if (n) return lang === 'nn' ? `føresett ${n[1]}` : `foresatt ${n[1]}`;
  return recipient;
}

/** The case machine's stages (workflows/youth-case/machine.ts), as the office reads them. */
export const STAGE_NAMES: Texts<Record<string, string>> = {
  nn: {
    feil: 'feilregistrert',
    notInTargetGroup: 'ikkje i målgruppa',
    caseworkerFollowUp: 'følgd opp av rådgjevar',
    needsAddress: 'ventar på adresse',
    awaitingLetter: 'ventar på brevdatoen',
    letterDue: 'brev skal sendast',
    letterSent: 'brev sendt',
    smsDue: 'SMS skal sendast',
    noMobile: 'utan mobilnummer',
    smsSent: 'SMS sendt',
    phoneCampaign: 'på ringjelista',
    contactEstablished: 'kontakt oppretta',
    underFollowUp: 'under oppfølging',
    resolved: 'avklart',
    closed: 'avslutta',
  },
  nb: {
    feil: 'feilregistrert',
    notInTargetGroup: 'ikke i målgruppen',
    caseworkerFollowUp: 'fulgt opp av rådgiver',
    needsAddress: 'venter på adresse',
    awaitingLetter: 'venter på brevdatoen',
    letterDue: 'brev skal sendes',
    letterSent: 'brev sendt',
    smsDue: 'SMS skal sendes',
    noMobile: 'uten mobilnummer',
    smsSent: 'SMS sendt',
    phoneCampaign: 'på ringelisten',
    contactEstablished: 'kontakt opprettet',
    underFollowUp: 'under oppfølging',
    resolved: 'avklart',
    closed: 'avsluttet',
  },
};

/** What a batch file is, from its name (client/use-cases/letter-batches.ts names them). */
export function fileLabel(url: string, lang: Language): string {
  const name = decodeURIComponent(url.split('/').pop() ?? url);
  const ext = name.split('.').pop()?.toUpperCase() ?? '';
  const nn = lang === 'nn';
  if (name.endsWith('.pdf')) return nn ? 'Breva (PDF)' : 'Brevene (PDF)';
  if (name.includes('-haldne.')) return nn ? `Haldne brev (${ext})` : `Holdte brev (${ext})`;
  if (name.includes('-liste.')) return nn ? `Brevlista (${ext})` : `Brevlisten (${ext})`;
  if (name.startsWith('inntakskontoret-')) return nn ? `Lista til inntakskontoret (${ext})` : `Listen til inntakskontoret (${ext})`;
  return name;
}
