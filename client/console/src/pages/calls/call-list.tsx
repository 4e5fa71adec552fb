import { Field, Heading, Label, Paragraph, Select, Textfield } from '@digdir/designsystemet-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { get, query } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatNumber, formatDateTime } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import { useMay, useMe } from '../../session';
import { statusLabel } from '../../words';
import { CallCard, type Registered } from './call-card';
import { MoveCall, UnitStaff } from './staff';
import { SCHOOL_YEAR_PARAM, schoolYearOf, schoolYearProblem } from '../../school-year';
import type { Campaign, CallList as CallListAnswer, UnitsAnswer } from '../../../../../schemas/api/calls';
import { callsKey, POLL_MS, unitsKey } from './types';
import './calls.css';

/** `ringjar` of the address for the whole unit's list rather than one caller's. */
const EVERYONE = 'alle';

interface CounterAnswer {
  units: Record<string, { otukNow: number; otukAfterSms: number | null }>;
}

const TEXT: Texts<{
  heading: string;
  intro: string;
  schoolYear: string;
  unit: string;
  caller: string;
  everyone: string;
  campaigns: Record<Campaign, string>;
  toCall: (n: string) => string;
  noCampaign: (year: number) => string;
  nobodyMine: string;
  nobody: string;
  notACaller: (name: string) => string;
  otukNow: string;
  otukAtStart: string;
  updated: string;
  registered: (r: Registered, statusName?: string) => string;
  listFailed: string;
  unitsFailed: string;
  noUnits: string;
}> = {
  nn: {
    heading: 'Ringjeliste',
    intro:
      'Ungdommane på telefondugnaden si liste som framleis har ukjend aktivitet (OTUK). Lista hentar seg sjølv på nytt, så samtalar andre registrerer kjem med.',
    schoolYear: 'Skuleår',
    unit: 'Eining',
    caller: 'Kven si liste',
    everyone: 'Heile eininga',
    campaigns: { autumn: 'Haustens telefondugnad', winter: 'Vinterens telefondugnad' },
    toCall: (n) => `${n} å ringje`,
    noCampaign: (year) => `Ingen telefondugnad har opna for eininga i skuleåret ${year} enno.`,
    nobodyMine: 'Du har ingen att å ringje på lista no.',
    nobody: 'Ingen att å ringje på lista no.',
    notACaller: (name) => `${name} er ikkje mellom ringjarane i eininga: her er heile eininga si liste.`,
    otukNow: 'OTUK i eininga no',
    otukAtStart: 'OTUK då dugnaden opna',
    updated: 'Sist henta',
    registered: (r, statusName) =>
      `${r.name}: ${
        r.result === 'notReached'
          ? 'ikkje nådd, registrert'
          : r.result === 'wrongNumber'
            ? 'feil nummer, registrert. Mobilnummeret er merkt som feil.'
            : r.status
              ? `nådd, status ${statusName ?? r.status}. Ungdommen er teken av lista.`
              : `nådd${r.forwardTo ? `, sendt vidare til ${r.forwardTo}` : ''}. Ungdommen er teken av lista.`
      }`,
    listFailed: 'Ringjelista kunne ikkje hentast',
    unitsFailed: 'Einingane kunne ikkje hentast',
    noUnits: 'Du har inga eining å ringje for.',
  },
  nb: {
    heading: 'Ringeliste',
    intro:
      'Ungdommene på telefondugnadens liste som fortsatt har ukjent aktivitet (OTUK). Listen henter seg selv på nytt, så samtaler andre registrerer kommer med.',
    schoolYear: 'Skoleår',
    unit: 'Enhet',
    caller: 'Hvem sin liste',
    everyone: 'Hele enheten',
    campaigns: { autumn: 'Høstens telefondugnad', winter: 'Vinterens telefondugnad' },
    toCall: (n) => `${n} å ringe`,
    noCampaign: (year) => `Ingen telefondugnad har åpnet for enheten i skoleåret ${year} ennå.`,
    nobodyMine: 'Du har ingen igjen å ringe på listen nå.',
    nobody: 'Ingen igjen å ringe på listen nå.',
    notACaller: (name) => `${name} er ikke blant ringerne i enheten: her er hele enhetens liste.`,
    otukNow: 'OTUK i enheten nå',
    otukAtStart: 'OTUK da dugnaden åpnet',
    updated: 'Sist hentet',
    registered: (r, statusName) =>
      `${r.name}: ${
        r.result === 'notReached'
          ? 'ikke nådd, registrert'
          : r.result === 'wrongNumber'
            ? 'feil nummer, registrert. Mobilnummeret er merket som feil.'
            : r.status
              ? `nådd, status ${statusName ?? r.status}. Ungdommen er tatt av listen.`
              : `nådd${r.forwardTo ? `, sendt videre til ${r.forwardTo}` : ''}. Ungdommen er tatt av listen.`
      }`,
    listFailed: 'Ringelisten kunne ikke hentes',
    unitsFailed: 'Enhetene kunne ikke hentes',
    noUnits: 'Du har ingen enhet å ringe for.',
  },
};

/**
 * The phone campaign's call list: the signed-in caller's share by default, or the whole unit's (super users and
 * operators pick the unit). It asks again every few seconds, so calls registered by others show without a reload.
 */
export function CallList() {
  const me = useMe();
  const t = useText(TEXT);
  const lang = useLanguage();
  const mayCall = useMay('case.call');
  const mayCount = useMay('counters.read');
  const mayChangeStaff = useMay('staff.change');
  const mayReassign = useMay('calls.reassign');
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const schoolYear = schoolYearOf(params.get(SCHOOL_YEAR_PARAM));
  const [typedYear, setTypedYear] = useState(String(schoolYear));
  const [announced, setAnnounced] = useState('');
  const announcement = useRef<HTMLParagraphElement>(null);

  const units = useQuery({ queryKey: unitsKey, queryFn: () => get<UnitsAnswer>('/units'), staleTime: 300_000 });
  const unitCode = params.get('eining') ?? me.units[0] ?? units.data?.units[0]?.code;
  const unit = units.data?.units.find((u) => u.code === unitCode);
  const amCaller = Boolean(unit?.staff.includes(me.displayName));
  const callerParam = params.get('ringjar');
  const caller = callerParam === EVERYONE ? undefined : (callerParam ?? (amCaller ? me.displayName : undefined));

  const list = useQuery({
    queryKey: callsKey(schoolYear, unitCode ?? '', caller),
    queryFn: () => get<CallListAnswer>(`/calls${query({ schoolYear, unit: unitCode, staff: caller })}`),
    enabled: Boolean(unitCode),
    refetchInterval: POLL_MS,
  });
  const counters = useQuery({
    queryKey: ['counters', schoolYear],
    queryFn: () => get<CounterAnswer>(`/counters/${schoolYear}`),
    enabled: mayCount && Boolean(unitCode),
    refetchInterval: POLL_MS * 2,
  });

  const choose = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    // Another unit has other callers.
    if (key === 'eining') next.delete('ringjar');
    setParams(next, { replace: true });
  };
  const yearProblem = schoolYearProblem(typedYear);
  const onYear = (typed: string) => {
    setTypedYear(typed);
    if (!schoolYearProblem(typed)) choose(SCHOOL_YEAR_PARAM, String(Number(typed)));
  };
  const onRegistered = (r: Registered) => {
    setAnnounced(t.registered(r, r.status ? statusLabel(r.status, lang) : undefined));
    void queryClient.invalidateQueries({ queryKey: ['calls'] });
    void queryClient.invalidateQueries({ queryKey: ['counters'] });
    // A youth reached leaves the list, and the focus with the card: it goes to what was registered.
    if (r.result === 'reached') requestAnimationFrame(() => announcement.current?.focus());
  };

  const unitChoices = units.data?.units ?? [];
  const rows = list.data?.rows ?? [];
  const unitCounters = unitCode ? counters.data?.units[unitCode] : undefined;
  const shares = new Map<string, number>();
  for (const r of rows) if (r.staff) shares.set(r.staff, (shares.get(r.staff) ?? 0) + 1);

  return (
    <div className="ot-stack">
      <Heading level={2} data-size="md">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <div className="ot-row ot-calls__choices">
        <Textfield
          label={t.schoolYear}
          inputMode="numeric"
          value={typedYear}
          onChange={(e) => onYear(e.target.value)}
          error={yearProblem}
          className="ot-calls__year"
        />
        {unitChoices.length > 1 && (
          <Field>
            <Label>{t.unit}</Label>
            <Select value={unitCode} onChange={(e) => choose('eining', e.target.value)} width="auto">
              {unitChoices.map((u) => (
                <Select.Option key={u.code} value={u.code}>
                  {u.code} {u.name}
                </Select.Option>
              ))}
            </Select>
          </Field>
        )}
        {unit && unit.staff.length > 0 && (
          <Field>
            <Label>{t.caller}</Label>
            <Select value={caller ?? EVERYONE} onChange={(e) => choose('ringjar', e.target.value)} width="auto">
              {unit.staff.map((s) => (
                <Select.Option key={s} value={s}>
                  {s}
                </Select.Option>
              ))}
              <Select.Option value={EVERYONE}>{t.everyone}</Select.Option>
            </Select>
          </Field>
        )}
      </div>
      {unitChoices.length === 1 && unit && (
        <Paragraph>
          {t.unit}: {unit.code} {unit.name}
        </Paragraph>
      )}
      {units.isError && <Failure error={units.error} what={t.unitsFailed} />}
      {units.isSuccess && !unitCode && <Paragraph>{t.noUnits}</Paragraph>}
      {unit && mayCall && !amCaller && !caller && <Paragraph>{t.notACaller(me.displayName)}</Paragraph>}

      <p ref={announcement} role="status" tabIndex={-1} className="ot-calls__announcement">
        {announced}
      </p>

      {list.isPending && unitCode && <Loading />}
      {list.isError && <Failure error={list.error} what={t.listFailed} />}
      {list.data && !list.data.campaign && <Paragraph>{t.noCampaign(schoolYear)}</Paragraph>}
      {list.data?.campaign && (
        <section className="ot-stack" aria-labelledby="ot-calls-summary">
          <Heading level={3} data-size="sm" id="ot-calls-summary">
            {t.campaigns[list.data.campaign]}: {t.toCall(formatNumber(rows.length, lang))}
            {caller ? ` (${caller})` : ''}
          </Heading>
          <Paragraph data-size="sm" className="ot-calls__figures">
            {!caller && shares.size > 0 && (
              <span>
                {[...shares].map(([name, n]) => `${name} ${formatNumber(n, lang)}`).join(' · ')}
                <br />
              </span>
            )}
            {unitCounters && (
              <span>
                {t.otukNow}: <strong data-testid="otuk-now">{formatNumber(unitCounters.otukNow, lang)}</strong>
                {unitCounters.otukAfterSms !== null && (
                  <>
                    {' · '}
                    {t.otukAtStart}: {formatNumber(unitCounters.otukAfterSms, lang)}
                  </>
                )}
                <br />
              </span>
            )}
            <span>
              {t.updated}: {formatDateTime(new Date(list.dataUpdatedAt).toISOString(), lang)}
            </span>
          </Paragraph>
          {rows.length === 0 ? (
            <Paragraph>{caller === me.displayName ? t.nobodyMine : t.nobody}</Paragraph>
          ) : (
            <ul className="ot-calls">
              {rows.map((row) => (
                <li key={row.caseId}>
                  <CallCard
                    row={row}
                    mayCall={mayCall}
                    showCaller={!caller}
                    staff={unit?.staff ?? []}
                    onRegistered={onRegistered}
                    footer={
                      mayReassign && unit ? (
                        <MoveCall caseId={row.caseId} name={row.name} current={row.staff} staff={unit.staff} schoolYear={schoolYear} />
                      ) : undefined
                    }
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {unit && (mayChangeStaff || mayReassign) && (
        <UnitStaff unit={unit} schoolYear={schoolYear} mayChange={mayChangeStaff} mayReassign={mayReassign} />
      )}
    </div>
  );
}
