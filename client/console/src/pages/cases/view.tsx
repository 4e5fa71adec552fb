import { Heading, Paragraph, Tag } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError, call } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatDate, formatDateTime } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import { statusLabel } from '../../words';
import type { JournalEntry } from '../../../../../schemas/api/cases';
import type { CaseDetail } from './case-api';
import { CaseActions } from './actions';
import { FollowUpPlan } from './plan';
import type { ListState } from './list';
import { CHANNEL_NAMES, EVENT_NAMES, FLAG_NAMES, SMS_NAMES, STAGE_NAMES, journalEventName, named } from './case-words';
import './cases.css';

const TEXT: Texts<{
  back: string;
  notFound: string;
  notFoundText: string;
  failed: string;
  facts: string;
  caseId: string;
  schoolYear: string;
  unit: string;
  osCode: string;
  status: string;
  stage: string;
  caseworker: string;
  noCaseworker: string;
  flags: string;
  noFlags: string;
  letter: string;
  noLetter: string;
  letterSent: (on: string) => string;
  returns: (n: number) => string;
  resent: string;
  awaitingAddress: string;
  sms: string;
  smsSent: (on: string) => string;
  next: string;
  nothingDue: string;
  phoneCampaign: string;
  journal: string;
  journalEmpty: string;
  by: string;
  system: string;
  channel: string;
  note: string;
  change: string;
  lastYear: string;
  lastYearCase: (year: number, unreached: boolean) => string;
}> = {
  nn: {
    back: 'Tilbake til sakene',
    notFound: 'Fann ikkje saka',
    notFoundText: 'Det finst inga sak med dette saksnummeret i einingane dine.',
    failed: 'Kunne ikkje hente saka',
    facts: 'Om saka',
    caseId: 'Saksnummer',
    schoolYear: 'Skuleår',
    unit: 'Eining',
    osCode: 'OS-kode',
    status: 'Status',
    stage: 'Steg',
    caseworker: 'Saksbehandlar',
    noCaseworker: 'ingen',
    flags: 'Merknader',
    noFlags: 'ingen',
    letter: 'Brev',
    noLetter: 'ikkje sendt enno',
    letterSent: (on) => `sendt ${on}`,
    returns: (n) => (n === 1 ? 'kom i retur éin gong' : `kom i retur ${n} gonger`),
    resent: 'sendt på nytt til den andre adressa',
    awaitingAddress: 'ventar på ny adresse',
    sms: 'SMS',
    smsSent: (on) => `sendt ${on}`,
    next: 'Neste frist',
    nothingDue: 'ingen (saka er avslutta)',
    phoneCampaign: 'Ringjeliste',
    journal: 'Journal',
    journalEmpty: 'Ingenting er registrert på saka enno.',
    by: 'Av',
    system: 'systemet (kalenderen)',
    channel: 'Kanal',
    note: 'Notat',
    change: 'Endring',
    lastYear: 'I fjor',
    lastYearCase: (year, unreached) => `i OT i ${year}–${year + 1} òg${unreached ? ', og ingen nådde ungdommen då' : ''}: sjå saka`,
  },
  nb: {
    back: 'Tilbake til sakene',
    notFound: 'Fant ikke saken',
    notFoundText: 'Det finnes ingen sak med dette saksnummeret i enhetene dine.',
    failed: 'Kunne ikke hente saken',
    facts: 'Om saken',
    caseId: 'Saksnummer',
    schoolYear: 'Skoleår',
    unit: 'Enhet',
    osCode: 'OS-kode',
    status: 'Status',
    stage: 'Steg',
    caseworker: 'Saksbehandler',
    noCaseworker: 'ingen',
    flags: 'Merknader',
    noFlags: 'ingen',
    letter: 'Brev',
    noLetter: 'ikke sendt ennå',
    letterSent: (on) => `sendt ${on}`,
    returns: (n) => (n === 1 ? 'kom i retur én gang' : `kom i retur ${n} ganger`),
    resent: 'sendt på nytt til den andre adressen',
    awaitingAddress: 'venter på ny adresse',
    sms: 'SMS',
    smsSent: (on) => `sendt ${on}`,
    next: 'Neste frist',
    nothingDue: 'ingen (saken er avsluttet)',
    phoneCampaign: 'Ringeliste',
    journal: 'Journal',
    journalEmpty: 'Ingenting er registrert på saken ennå.',
    by: 'Av',
    system: 'systemet (kalenderen)',
    channel: 'Kanal',
    note: 'Notat',
    change: 'Endring',
    lastYear: 'I fjor',
    lastYearCase: (year, unreached) => `i OT i ${year}–${year + 1} også${unreached ? ', og ingen nådde ungdommen da' : ''}: se saken`,
  },
};

export const caseKey = (caseId: string) => ['case', caseId] as const;

/** Saka: one case as its workflow sees it, its journal as a timeline, and the requests it takes now. */
export function CaseView() {
  const { caseId = '' } = useParams();
  const t = useText(TEXT);
  // Back to the list as it was searched, when the case was opened from it.
  const from = (useLocation().state as Partial<ListState> | null)?.list;
  const found = useQuery({
    queryKey: caseKey(caseId),
    queryFn: async () => (await call<CaseDetail>('GET', `/cases/${encodeURIComponent(caseId)}`)).data,
  });
  const back = (
    <Paragraph>
      <Link to={`/saker${from?.startsWith('?') ? from : ''}`} className="ds-link">
        {t.back}
      </Link>
    </Paragraph>
  );

  if (found.isPending) return <Loading />;
  // Another unit's case is answered as if there were none (404), and a malformed id (400) is no case either.
  if (found.error instanceof ApiError && (found.error.status === 404 || found.error.status === 400)) {
    return (
      <div className="ot-stack">
        <Heading level={2} data-size="md">
          {t.notFound}
        </Heading>
        <Paragraph>{t.notFoundText}</Paragraph>
        {back}
      </div>
    );
  }
  if (found.error) {
    return (
      <div className="ot-stack">
        <Heading level={2} data-size="md">
          {t.failed}
        </Heading>
        <Failure error={found.error} what={t.failed} />
        {back}
      </div>
    );
  }
  const detail = found.data;
  return (
    <div className="ot-stack">
      {back}
      <Heading level={2} data-size="md">
        {detail.name}
      </Heading>
      <CaseFacts detail={detail} />
      <CaseActions detail={detail} />
      <FollowUpPlan detail={detail} />
      <Journal entries={detail.journal} />
    </div>
  );
}

function CaseFacts({ detail }: { detail: CaseDetail }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const letter = detail.letter;
  const letterText = letter
    ? [
        t.letterSent(formatDate(letter.sentOn.slice(0, 10), lang)),
        letter.returns ? t.returns(letter.returns) : undefined,
        letter.resentToSecondAddress ? t.resent : undefined,
        letter.awaitingAddress ? t.awaitingAddress : undefined,
      ]
        .filter(Boolean)
        .join(', ')
    : t.noLetter;
  const smsText = detail.smsSentOn ? t.smsSent(formatDate(detail.smsSentOn.slice(0, 10), lang)) : named(SMS_NAMES[lang], detail.sms);
  return (
    <section aria-labelledby="case-facts" className="ot-stack">
      <Heading level={3} data-size="xs" id="case-facts">
        {t.facts}
      </Heading>
      <dl className="ot-case-facts">
        <dt>{t.status}</dt>
        <dd data-testid="case-status">{statusLabel(detail.otStatus, lang)}</dd>
        <dt>{t.stage}</dt>
        <dd data-testid="case-stage">{named(STAGE_NAMES[lang], detail.stage)}</dd>
        <dt>{t.unit}</dt>
        <dd>{detail.unit}</dd>
        <dt>{t.osCode}</dt>
        <dd>{statusLabel(detail.osCode, lang)}</dd>
        <dt>{t.caseworker}</dt>
        <dd>{detail.caseworker ?? t.noCaseworker}</dd>
        <dt>{t.flags}</dt>
        <dd>
          {detail.flags.length ? (
            <span className="ot-cases-flags">
              {detail.flags.map((f) => (
                <Tag key={f} data-size="sm" data-color="neutral">
                  {named(FLAG_NAMES[lang], f)}
                </Tag>
              ))}
            </span>
          ) : (
            t.noFlags
          )}
        </dd>
        <dt>{t.letter}</dt>
        <dd>{letterText}</dd>
        <dt>{t.sms}</dt>
        <dd>{smsText}</dd>
        {detail.phoneCampaign && (
          <>
            <dt>{t.phoneCampaign}</dt>
            <dd>{detail.phoneCampaign}</dd>
          </>
        )}
        <dt>{t.next}</dt>
        <dd>{detail.next ? `${named(EVENT_NAMES[lang], detail.next.event)}: ${formatDateTime(detail.next.at, lang)}` : t.nothingDue}</dd>
        {detail.lastYear && (
          <>
            <dt>{t.lastYear}</dt>
            <dd data-testid="case-last-year">
              <Link to={`/saker/${detail.lastYear.caseId}`} className="ds-link">
                {t.lastYearCase(detail.lastYear.schoolYear, detail.lastYear.unreached)}
              </Link>
            </dd>
          </>
        )}
        <dt>{t.schoolYear}</dt>
        <dd>{`${detail.schoolYear}–${detail.schoolYear + 1}`}</dd>
        <dt>{t.caseId}</dt>
        <dd className="ot-case-id">{detail.caseId}</dd>
      </dl>
    </section>
  );
}

/** The journal, newest first: who (or which step of the system), when in Norwegian time, how the news came, the note, what changed. */
function Journal({ entries }: { entries: JournalEntry[] }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const newestFirst = [...entries].reverse();
  return (
    <section aria-labelledby="case-journal" className="ot-stack">
      <Heading level={3} data-size="xs" id="case-journal">
        {t.journal}
      </Heading>
      {newestFirst.length === 0 ? (
        <Paragraph>{t.journalEmpty}</Paragraph>
      ) : (
        <ol className="ot-journal" aria-labelledby="case-journal">
          {newestFirst.map((e, i) => {
            const statusChanged = e.from.status !== e.to.status;
            const stageChanged = e.from.stage !== e.to.stage;
            return (
              <li key={`${entries.length - i}`} className="ot-journal__entry">
                <Heading level={4} data-size="2xs">
                  {journalEventName(lang, e)} <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
                </Heading>
                <dl className="ot-journal__facts">
                  <dt>{t.by}</dt>
                  <dd>{e.by ?? t.system}</dd>
                  {e.channel && (
                    <>
                      <dt>{t.channel}</dt>
                      <dd>{named(CHANNEL_NAMES[lang], e.channel)}</dd>
                    </>
                  )}
                  {(statusChanged || stageChanged) && (
                    <>
                      <dt>{t.change}</dt>
                      <dd>
                        {[
                          statusChanged ? `${e.from.status} → ${statusLabel(e.to.status, lang)}` : undefined,
                          stageChanged ? `${named(STAGE_NAMES[lang], e.from.stage)} → ${named(STAGE_NAMES[lang], e.to.stage)}` : undefined,
                        ]
                          .filter(Boolean)
                          .join('; ')}
                      </dd>
                    </>
                  )}
                  {e.note && (
                    <>
                      <dt>{t.note}</dt>
                      <dd className="ot-journal__note">{e.note}</dd>
                    </>
                  )}
                </dl>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
