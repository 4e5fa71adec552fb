import { DownloadList } from '../../components/download-list';
import {
  Alert,
  Button,
  Field,
  Heading,
  Label,
  Paragraph,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '@digdir/designsystemet-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { get, post } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatDate, formatDateTime } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import { useMay, useMe } from '../../session';
import { SchoolYearField, useSchoolYear } from '../letters/school-year';
import type { UnitsAnswer } from '../../../../../schemas/api/calls';
import type { VigoReturnEntryView } from '../../../../../schemas/api/vigo-nav';
import { statusLabel } from '../../words';
import { NavImport } from './nav-import';

type ListAnswer = { schoolYear: number; entries: VigoReturnEntryView[] };
type ReturnAnswer = { units: { unit: string; returned: VigoReturnEntryView[]; feil: number }[]; alreadyReturned: number };

const TEXT: Texts<{
  heading: string;
  intro: string;
  unit: string;
  failed: string;
  none: string;
  name: string;
  born: string;
  status: string;
  returned: string;
  notYet: string;
  returnedBy: (at: string, by?: string) => string;
  send: (n: number) => string;
  sendFailed: string;
  sent: (n: number, feil: number) => string;
  nothingNew: string;
  filesHeading: string;
  vigoCsv: string;
  vigoXlsx: string;
  feilCsv: string;
  feilXlsx: string;
  navHeading: string;
  navIntro: string;
  navCsv: string;
  navXlsx: string;
}> = {
  nn: {
    heading: 'Tilbake til VIGO',
    intro:
      'Saker utanfor målgruppa (Feil, OTFU og dei andre _IM-kodane) skal sendast tilbake til VIGO. Last ned fila, send henne, og merk sakene som sende: kvar sak får det i journalen med kven og når. Inntakskontoret får lista over Feil-sakene, med namn og fødselsdato.',
    unit: 'Eining',
    failed: 'Klarte ikkje å hente lista',
    none: 'Ingen saker i eininga skal tilbake til VIGO.',
    name: 'Namn',
    born: 'Fødd',
    status: 'Status',
    returned: 'Sendt tilbake',
    notYet: 'ikkje enno',
    returnedBy: (at, by) => `${at}${by ? ` av ${by}` : ''}`,
    send: (n) => `Merk ${n} saker som sende til VIGO`,
    sendFailed: 'Klarte ikkje å merke sakene',
    sent: (n, feil) => `${n} saker er merkte som sende tilbake til VIGO${feil ? `, ${feil} av dei til inntakskontoret (Feil)` : ''}.`,
    nothingNew: 'Ingen nye saker å sende tilbake.',
    filesHeading: 'Filene',
    vigoCsv: 'Fila til VIGO (CSV)',
    vigoXlsx: 'Fila til VIGO (Excel)',
    feilCsv: 'Feil-sakene til inntakskontoret (CSV)',
    feilXlsx: 'Feil-sakene til inntakskontoret (Excel)',
    navHeading: 'Samarbeidsmøtet med NAV',
    navIntro:
      'OTUK-lista til eininga med kontaktopplysningar. Skriv ny adresse, mobil eller status over dei gamle, og les fila inn att her (eller med «ot nav import»).',
    navCsv: 'OTUK-lista (CSV)',
    navXlsx: 'OTUK-lista (Excel)',
  },
  nb: {
    heading: 'Tilbake til VIGO',
    intro:
      'Saker utenfor målgruppen (Feil, OTFU og de andre _IM-kodene) skal sendes tilbake til VIGO. Last ned filen, send den, og merk sakene som sendt: hver sak får det i journalen med hvem og når. Inntakskontoret får listen over Feil-sakene, med navn og fødselsdato.',
    unit: 'Enhet',
    failed: 'Klarte ikke å hente listen',
    none: 'Ingen saker i enheten skal tilbake til VIGO.',
    name: 'Navn',
    born: 'Født',
    status: 'Status',
    returned: 'Sendt tilbake',
    notYet: 'ikke ennå',
    returnedBy: (at, by) => `${at}${by ? ` av ${by}` : ''}`,
    send: (n) => `Merk ${n} saker som sendt til VIGO`,
    sendFailed: 'Klarte ikke å merke sakene',
    sent: (n, feil) => `${n} saker er merket som sendt tilbake til VIGO${feil ? `, ${feil} av dem til inntakskontoret (Feil)` : ''}.`,
    nothingNew: 'Ingen nye saker å sende tilbake.',
    filesHeading: 'Filene',
    vigoCsv: 'Filen til VIGO (CSV)',
    vigoXlsx: 'Filen til VIGO (Excel)',
    feilCsv: 'Feil-sakene til inntakskontoret (CSV)',
    feilXlsx: 'Feil-sakene til inntakskontoret (Excel)',
    navHeading: 'Samarbeidsmøtet med NAV',
    navIntro:
      'OTUK-listen til enheten med kontaktopplysninger. Skriv ny adresse, mobil eller status over de gamle, og les filen inn igjen her (eller med «ot nav import»).',
    navCsv: 'OTUK-listen (CSV)',
    navXlsx: 'OTUK-listen (Excel)',
  },
};

/** Tilbake til VIGO: a unit's cases out of the target group, their files, the marking; and the NAV meeting's OTUK list. */
export function VigoReturns() {
  const t = useText(TEXT);
  const lang = useLanguage();
  const me = useMe();
  const mayReturn = useMay('vigo.return');
  const mayNav = useMay('nav.export');
  const mayNavImport = useMay('nav.import');
  const queryClient = useQueryClient();
  const [schoolYear, setSchoolYear] = useSchoolYear();
  const [chosenUnit, setChosenUnit] = useState('');
  const units = useQuery({ queryKey: ['units'], queryFn: () => get<UnitsAnswer>('/units') });
  const all = units.data?.units ?? [];
  const unit = all.find((u) => u.code === chosenUnit) ?? all.find((u) => me.units.includes(u.code)) ?? all[0];
  const key = ['vigo-returns', schoolYear, unit?.code] as const;
  const list = useQuery({
    queryKey: key,
    queryFn: () => get<ListAnswer>(`/vigo-returns/${schoolYear}?unit=${unit.code}&all=true`),
    enabled: Boolean(unit),
  });
  const send = useMutation({
    mutationFn: () => post<ReturnAnswer>('/vigo-returns', { schoolYear, unit: unit.code }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const open = list.data?.entries.filter((e) => !e.returned) ?? [];
  const done = send.data?.units[0];
  const files = unit ? `/vigo-returns/${schoolYear}/${unit.code}` : '';

  return (
    <div className="ot-stack">
      <Heading level={2} data-size="md">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <div className="ot-row">
        <SchoolYearField year={schoolYear} onChange={setSchoolYear} />
        {all.length > 1 && unit && (
          <Field>
            <Label>{t.unit}</Label>
            <Select value={unit.code} onChange={(e) => setChosenUnit(e.target.value)} width="auto">
              {all.map((u) => (
                <Select.Option key={u.code} value={u.code}>
                  {u.code} {u.name}
                </Select.Option>
              ))}
            </Select>
          </Field>
        )}
      </div>
      {(units.isPending || list.isPending) && <Loading />}
      {list.error && <Failure error={list.error} what={t.failed} />}
      {list.data &&
        (list.data.entries.length === 0 ? (
          <Paragraph>{t.none}</Paragraph>
        ) : (
          <div className="ot-table-wrap">
            <Table>
              <TableHead>
                <TableRow>
                  <TableHeaderCell scope="col">{t.name}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.born}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.status}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.returned}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {list.data.entries.map((e) => (
                  <TableRow key={e.caseId}>
                    <TableCell>
                      <RouterLink to={`/saker/${e.caseId}`} className="ds-link">
                        {e.name}
                      </RouterLink>
                    </TableCell>
                    <TableCell>{e.birthDate ? formatDate(e.birthDate, lang) : '–'}</TableCell>
                    <TableCell>{statusLabel(e.otStatus, lang)}</TableCell>
                    <TableCell>{e.returned ? t.returnedBy(formatDateTime(e.returned.at, lang), e.returned.by) : t.notYet}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
      {open.length > 0 && (
        <section className="ot-stack" aria-labelledby="vigo-files">
          <Heading level={3} data-size="sm" id="vigo-files">
            {t.filesHeading}
          </Heading>
          <DownloadList
            files={[
              { href: `${files}/vigo.csv`, label: t.vigoCsv },
              { href: `${files}/vigo.xlsx`, label: t.vigoXlsx },
              ...(open.some((e) => e.otStatus === 'Feil')
                ? [
                    { href: `${files}/admissions-office.csv`, label: t.feilCsv },
                    { href: `${files}/admissions-office.xlsx`, label: t.feilXlsx },
                  ]
                : []),
            ]}
          />
          {mayReturn && (
            <div>
              <Button onClick={() => send.mutate()} disabled={send.isPending}>
                {t.send(open.length)}
              </Button>
            </div>
          )}
        </section>
      )}
      {send.error && <Failure error={send.error} what={t.sendFailed} />}
      {send.data && (
        <Alert data-color="success" role="status">
          {done ? t.sent(done.returned.length, done.feil) : t.nothingNew}
        </Alert>
      )}
      {mayNav && unit && (
        <section className="ot-stack" aria-labelledby="nav-meeting">
          <Heading level={3} data-size="sm" id="nav-meeting">
            {t.navHeading}
          </Heading>
          <Paragraph>{t.navIntro}</Paragraph>
          <DownloadList
            files={[
              { href: `/nav/${schoolYear}/${unit.code}/csv`, label: t.navCsv },
              { href: `/nav/${schoolYear}/${unit.code}/xlsx`, label: t.navXlsx },
            ]}
          />
          {mayNavImport && <NavImport schoolYear={schoolYear} />}
        </section>
      )}
    </div>
  );
}
