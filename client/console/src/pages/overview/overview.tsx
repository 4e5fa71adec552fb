import {
  Field,
  Heading,
  Label,
  Link,
  Paragraph,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CohortCounters, Evaluation, FlowCounters, StoredReports } from '../../../../../schemas/api/figures';
import type { Report } from '../../../../../schemas/calendar';
import { get } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatDate, formatDateTime, formatNumber } from '../../format';
import { useLanguage, useText, type Language, type Texts } from '../../i18n';
import { useMay } from '../../session';
import { SchoolYearField, useSchoolYear } from '../letters/school-year';
import { OtukChart } from './otuk-chart';
import './overview.css';

/** The flowchart's counters (domain/flow-counters.ts), in the order of the flowchart, named in each language. */
const COUNTER_NAMES: Texts<Record<keyof FlowCounters, string>> = {
  nn: {
    osBefore: 'Ungdom med OS-kode (overførte)',
    osAfterWashing: 'Ungdom med OS-kode etter vasking',
    lettersToYouth: 'Brev sende til ungdom',
    lettersToGuardians: 'Brevkopiar sende til føresette',
    otukAfterLetters: 'OTUK etter breva',
    smsSent: 'SMS sende',
    secondSmsSent: 'Ny SMS sende',
    noMobile: 'OTUK utan mobilnummer',
    otukAfterSms: 'OTUK etter SMS-en',
    otukCounted: 'OTUK på teljedatoen',
    otukAfterAutumnCampaign: 'OTUK etter ringjedugnaden i haust',
    otukAfterWinterCampaign: 'OTUK etter ringjedugnaden i vinter',
    otukNow: 'OTUK no',
    unreachedNow: 'Aldri nådde no',
    awaitingOutcomeNow: 'Nådde, utan utfall no',
    agedOut: 'Ute av målgruppa ved aldersgrensa (frå 1. januar)',
    twoYearsRunning: 'I OT to år på rad',
    repliesOverdue: 'Svar som ventar på utfall, over fristen',
    reviewsOverdue: 'Gjennomgangar av oppfølgingsplanar over fristen',
  },
  nb: {
    osBefore: 'Ungdom med OS-kode (overført)',
    osAfterWashing: 'Ungdom med OS-kode etter vasking',
    lettersToYouth: 'Brev sendt til ungdom',
    lettersToGuardians: 'Brevkopier sendt til foresatte',
    otukAfterLetters: 'OTUK etter brevene',
    smsSent: 'SMS sendt',
    secondSmsSent: 'Ny SMS sendt',
    noMobile: 'OTUK uten mobilnummer',
    otukAfterSms: 'OTUK etter SMS-en',
    otukCounted: 'OTUK på telledatoen',
    otukAfterAutumnCampaign: 'OTUK etter ringedugnaden i høst',
    otukAfterWinterCampaign: 'OTUK etter ringedugnaden i vinter',
    otukNow: 'OTUK nå',
    unreachedNow: 'Aldri nådd nå',
    awaitingOutcomeNow: 'Nådd, uten utfall nå',
    agedOut: 'Ute av målgruppen ved aldersgrensen (fra 1. januar)',
    twoYearsRunning: 'I OT to år på rad',
    repliesOverdue: 'Svar som venter på utfall, over fristen',
    reviewsOverdue: 'Gjennomganger av oppfølgingsplaner over fristen',
  },
};
const COUNTER_ORDER = Object.keys(COUNTER_NAMES.nn) as (keyof FlowCounters)[];

const REPORT_NAMES: Texts<Record<Report, string>> = {
  nn: { otukCount: 'OTUK-teljinga', november: 'Rapporten 15. november', february: 'Rapporten 15. februar', june: 'Rapporten 15. juni' },
  nb: { otukCount: 'OTUK-tellingen', november: 'Rapporten 15. november', february: 'Rapporten 15. februar', june: 'Rapporten 15. juni' },
};

const TEXT: Texts<{
  heading: string;
  intro: string;
  countersHeading: string;
  countersFailed: string;
  counter: string;
  county: string;
  notYet: string;
  chartHeading: string;
  chartFailed: string;
  show: string;
  chartTitle: (what: string) => string;
  reportsHeading: string;
  reportsFailed: string;
  report: string;
  date: string;
  stored: string;
  notStored: string;
  cases: string;
  otuk: string;
  download: string;
  downloadAs: (report: string, format: string) => string;
}> = {
  nn: {
    heading: 'Oversikt',
    intro: 'Teljarane i flytskjemaet, korleis OTUK fell gjennom skuleåret, og rapportane til Utdanningsdirektoratet. Berre tal: ingen namn.',
    countersHeading: 'Teljarane i flytskjemaet',
    countersFailed: 'Klarte ikkje å hente teljarane',
    counter: 'Teljar',
    county: 'Heile fylket',
    notYet: '– : tidspunktet er ikkje nådd enno.',
    chartHeading: 'OTUK gjennom året',
    chartFailed: 'Klarte ikkje å hente tala til diagrammet',
    show: 'Vis for',
    chartTitle: (what) => `OTUK over tid: ${what}`,
    reportsHeading: 'Rapportar',
    reportsFailed: 'Klarte ikkje å hente rapportane',
    report: 'Rapport',
    date: 'Dato',
    stored: 'Lagra',
    notStored: 'ikkje enno',
    cases: 'Saker',
    otuk: 'OTUK',
    download: 'Last ned',
    downloadAs: (report, format) => `${report} som ${format}`,
  },
  nb: {
    heading: 'Oversikt',
    intro: 'Tellerne i flytskjemaet, hvordan OTUK faller gjennom skoleåret, og rapportene til Utdanningsdirektoratet. Bare tall: ingen navn.',
    countersHeading: 'Tellerne i flytskjemaet',
    countersFailed: 'Klarte ikke å hente tellerne',
    counter: 'Teller',
    county: 'Hele fylket',
    notYet: '– : tidspunktet er ikke nådd ennå.',
    chartHeading: 'OTUK gjennom året',
    chartFailed: 'Klarte ikke å hente tallene til diagrammet',
    show: 'Vis for',
    chartTitle: (what) => `OTUK over tid: ${what}`,
    reportsHeading: 'Rapporter',
    reportsFailed: 'Klarte ikke å hente rapportene',
    report: 'Rapport',
    date: 'Dato',
    stored: 'Lagret',
    notStored: 'ikke ennå',
    cases: 'Saker',
    otuk: 'OTUK',
    download: 'Last ned',
    downloadAs: (report, format) => `${report} som ${format}`,
  },
};

const count = (v: number | null, lang: Language) => (v === null ? '–' : formatNumber(v, lang));
/** A calendar date, or a moment of a compressed trial calendar. */
const when = (d: string, lang: Language) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? formatDate(d, lang) : formatDateTime(d, lang));

/** Oversikt: the flowchart's counters per unit and for the county, OTUK over the year and the reports. Figures only, nothing personal. */
export function Overview() {
  const t = useText(TEXT);
  const [schoolYear, setSchoolYear] = useSchoolYear();
  const mayEvaluate = useMay('evaluation.read');
  const mayReports = useMay('reports.read');
  const counters = useQuery({
    queryKey: ['counters', schoolYear],
    queryFn: () => get<CohortCounters>(`/counters/${schoolYear}`),
    refetchInterval: 10_000,
  });
  const evaluation = useQuery({
    queryKey: ['evaluation', schoolYear],
    queryFn: () => get<Evaluation>(`/evaluation/${schoolYear}`),
    enabled: mayEvaluate,
    refetchInterval: 15_000,
  });
  const names = Object.fromEntries((evaluation.data?.units ?? []).map((u) => [u.unit, u.unitName]));

  return (
    <div className="ot-stack ot-overview">
      <Heading level={2} data-size="md">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <SchoolYearField year={schoolYear} onChange={setSchoolYear} />

      <section className="ot-stack" aria-labelledby="overview-counters">
        <Heading level={3} data-size="sm" id="overview-counters">
          {t.countersHeading}
        </Heading>
        {counters.isPending && <Loading />}
        {counters.error && <Failure error={counters.error} what={t.countersFailed} />}
        {counters.data && <CountersTable data={counters.data} names={names} />}
      </section>

      {mayEvaluate && (
        <section className="ot-stack" aria-labelledby="overview-chart">
          <Heading level={3} data-size="sm" id="overview-chart">
            {t.chartHeading}
          </Heading>
          {evaluation.isPending && <Loading />}
          {evaluation.error && <Failure error={evaluation.error} what={t.chartFailed} />}
          {evaluation.data && <ChartSection evaluation={evaluation.data} />}
        </section>
      )}

      {mayReports && <ReportsSection schoolYear={schoolYear} />}
    </div>
  );
}

function CountersTable({ data, names }: { data: CohortCounters; names: Record<string, string> }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const units = Object.keys(data.units).sort();
  const anyNull = COUNTER_ORDER.some((k) => data.county[k] === null);
  return (
    <>
      <div className="ot-table-wrap">
        <Table className="ot-overview__counters" data-size="sm">
          <TableHead>
            <TableRow>
              <TableHeaderCell scope="col">{t.counter}</TableHeaderCell>
              <TableHeaderCell scope="col">{t.county}</TableHeaderCell>
              {units.map((u) => (
                <TableHeaderCell scope="col" key={u}>
                  {u}
                  {names[u] && <span className="ot-overview__unit-name">{names[u]}</span>}
                </TableHeaderCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {COUNTER_ORDER.map((k) => (
              <TableRow key={k}>
                <TableHeaderCell scope="row">{COUNTER_NAMES[lang][k]}</TableHeaderCell>
                <TableCell className="ot-overview__county" data-counter={k}>
                  {count(data.county[k], lang)}
                </TableCell>
                {units.map((u) => (
                  <TableCell key={u}>{count(data.units[u][k], lang)}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {anyNull && <Paragraph data-size="sm">{t.notYet}</Paragraph>}
    </>
  );
}

function ChartSection({ evaluation }: { evaluation: Evaluation }) {
  const t = useText(TEXT);
  const [shown, setShown] = useState('county');
  const series = shown === 'county' ? evaluation.county : (evaluation.units.find((u) => u.unit === shown) ?? evaluation.county);
  const what = series.unit === 'county' ? t.county : `${series.unit} ${series.unitName}`;
  return (
    <>
      <Field>
        <Label>{t.show}</Label>
        <Select value={series.unit} onChange={(e) => setShown(e.target.value)} width="auto">
          <Select.Option value="county">{t.county}</Select.Option>
          {evaluation.units.map((u) => (
            <Select.Option key={u.unit} value={u.unit}>
              {u.unit} {u.unitName}
            </Select.Option>
          ))}
        </Select>
      </Field>
      <OtukChart title={t.chartTitle(what)} points={series.series} marks={evaluation.marks} />
    </>
  );
}

function ReportsSection({ schoolYear }: { schoolYear: number }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const reports = useQuery({
    queryKey: ['reports-stored', schoolYear],
    queryFn: () => get<StoredReports>(`/reports/${schoolYear}/stored`),
    refetchInterval: 15_000,
  });
  return (
    <section className="ot-stack" aria-labelledby="overview-reports">
      <Heading level={3} data-size="sm" id="overview-reports">
        {t.reportsHeading}
      </Heading>
      {reports.isPending && <Loading />}
      {reports.error && <Failure error={reports.error} what={t.reportsFailed} />}
      {reports.data && (
        <div className="ot-table-wrap">
          <Table data-size="sm">
            <TableHead>
              <TableRow>
                <TableHeaderCell scope="col">{t.report}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.date}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.stored}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.cases}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.otuk}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.download}</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {reports.data.reports.map((r) => {
                const name = REPORT_NAMES[lang][r.report];
                return (
                  <TableRow key={r.report}>
                    <TableHeaderCell scope="row">{name}</TableHeaderCell>
                    <TableCell>{when(r.date, lang)}</TableCell>
                    <TableCell>{r.takenAt ? formatDateTime(r.takenAt, lang) : t.notStored}</TableCell>
                    <TableCell>{r.cases === undefined ? '–' : formatNumber(r.cases, lang)}</TableCell>
                    <TableCell>{r.otuk === undefined ? '–' : formatNumber(r.otuk, lang)}</TableCell>
                    <TableCell>
                      {r.stored ? (
                        <span className="ot-overview__downloads">
                          {(['xlsx', 'csv'] as const).map((f) => (
                            <Link key={f} href={`/reports/${schoolYear}/${r.report}/${f}`} download aria-label={t.downloadAs(name, f.toUpperCase())}>
                              {f.toUpperCase()}
                            </Link>
                          ))}
                        </span>
                      ) : (
                        '–'
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
