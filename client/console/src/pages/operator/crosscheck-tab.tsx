import { Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link as RouterLink } from 'react-router';
import type { CrosscheckMatchView, CrosscheckReportView } from '../../../../../schemas/api/operator';
import { CROSSCHECK_LISTS, type CrosscheckList } from '../../../../../schemas/crosscheck';
import { ApiError, post, query } from '../../api';
import { Failure } from '../../components/query-state';
import { useLanguage, useText, type Texts } from '../../i18n';
import { statusLabel } from '../../words';
import { FileField, lines, reasonsOf, SchoolYearField, SelectField, useFileReader, type SchoolYearState } from './common';

const TEXT: Texts<{
  heading: string;
  intro: string;
  list: string;
  lists: Record<CrosscheckList, string>;
  file: string;
  fileHelp: string;
  submit: string;
  failed: string;
  result: (entries: number, list: string) => string;
  recoded: (status: string) => string;
  unchanged: string;
  none: string;
  notInCohort: string;
  line: string;
  name: string;
  unit: string;
  status: string;
}> = {
  nn: {
    heading: 'Krysssjekk',
    intro:
      'Lista frå inntakskontoret blir samanlikna med heile årskullet i fylket. Treff som framleis er opne, går ut av målgruppa med koden til lista.',
    list: 'Liste',
    lists: {
      'private-school': 'Elevar ved privatskular',
      exchange: 'Utvekslingselevar',
      'late-start': 'Starta 1.–19. september',
      apprentice: 'Lærlingar på 3. og 4. året',
    },
    file: 'Lista (CSV)',
    fileHelp: 'Ein kolonne fodselsnummer (andre kolonnar blir ikkje lesne), eller eitt nummer per linje.',
    submit: 'Krysssjekk lista',
    failed: 'Krysssjekken gjekk ikkje',
    result: (entries, list) => `${entries} nummer i lista «${list}».`,
    recoded: (status) => `Treff som vart omkoda til ${status}`,
    unchanged: 'Treff som alt er avslutta: ikkje endra',
    none: 'Ingen.',
    notInCohort: 'Ikkje i årskullet, linje',
    line: 'Linje',
    name: 'Namn',
    unit: 'Eining',
    status: 'Status',
  },
  nb: {
    heading: 'Krysssjekk',
    intro: 'Listen fra inntakskontoret sammenlignes med hele årskullet i fylket. Treff som fortsatt er åpne, går ut av målgruppen med listens kode.',
    list: 'Liste',
    lists: {
      'private-school': 'Elever ved privatskoler',
      exchange: 'Utvekslingselever',
      'late-start': 'Startet 1.–19. september',
      apprentice: 'Lærlinger på 3. og 4. året',
    },
    file: 'Listen (CSV)',
    fileHelp: 'En kolonne fodselsnummer (andre kolonner leses ikke), eller ett nummer per linje.',
    submit: 'Krysssjekk listen',
    failed: 'Krysssjekken mislyktes',
    result: (entries, list) => `${entries} nummer i listen «${list}».`,
    recoded: (status) => `Treff som ble omkodet til ${status}`,
    unchanged: 'Treff som allerede er avsluttet: ikke endret',
    none: 'Ingen.',
    notInCohort: 'Ikke i årskullet, linje',
    line: 'Linje',
    name: 'Navn',
    unit: 'Enhet',
    status: 'Status',
  },
};

/** A cross-check list from the admissions office: upload it, see its matches (recoded, or settled already) and the lines not in the cohort. */
export function CrosscheckTab(year: SchoolYearState) {
  const t = useText(TEXT);
  const readFile = useFileReader();
  const [list, setList] = useState<CrosscheckList>('private-school');
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: async () =>
      post<CrosscheckReportView>(`/crosschecks${query({ schoolYear: year.schoolYear, list })}`, await readFile(file), { contentType: 'text/csv' }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  const { by, rest } = reasonsOf(run.error, ['schoolYear', 'list', 'file'], { body: 'file' });
  // A list the API could not read (400 naming no field: no fodselsnummer column, a bad number on a line) is about the file.
  const fileReason = by.file ?? (rest instanceof ApiError && rest.status === 400 ? rest.message : undefined);

  return (
    <section className="ot-stack" aria-labelledby="crosscheck-heading">
      <Heading level={3} data-size="sm" id="crosscheck-heading">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <form onSubmit={submit} className="ot-stack ot-form" noValidate>
        <SchoolYearField {...year} error={by.schoolYear} />
        <SelectField
          label={t.list}
          name="list"
          value={list}
          onChange={(v) => setList(v as CrosscheckList)}
          error={by.list}
          options={CROSSCHECK_LISTS.map((l) => ({ value: l, label: t.lists[l] }))}
        />
        <FileField label={t.file} description={t.fileHelp} error={fileReason} onFile={setFile} />
        {rest && !fileReason && <Failure error={rest} what={t.failed} />}
        <div>
          <Button type="submit" loading={run.isPending}>
            {t.submit}
          </Button>
        </div>
      </form>
      {run.data && <CrosscheckResult report={run.data} listName={t.lists[run.data.list]} />}
    </section>
  );
}

function CrosscheckResult({ report, listName }: { report: CrosscheckReportView; listName: string }) {
  const t = useText(TEXT);
  return (
    <section className="ot-stack" aria-labelledby="crosscheck-result">
      <Heading level={4} data-size="xs" id="crosscheck-result">
        {t.result(report.entries, listName)}
      </Heading>
      <Matches caption={t.recoded(report.status)} matches={report.recoded} />
      <Matches caption={t.unchanged} matches={report.unchanged} />
      <Paragraph>
        {t.notInCohort} {report.notInCohort.length ? lines(report.notInCohort) : '–'}
      </Paragraph>
    </section>
  );
}

function Matches({ caption, matches }: { caption: string; matches: CrosscheckMatchView[] }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  if (matches.length === 0)
    return (
      <Paragraph>
        {caption}: {t.none}
      </Paragraph>
    );
  return (
    <Table>
      <caption>{caption}</caption>
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell scope="col">{t.line}</Table.HeaderCell>
          <Table.HeaderCell scope="col">{t.name}</Table.HeaderCell>
          <Table.HeaderCell scope="col">{t.unit}</Table.HeaderCell>
          <Table.HeaderCell scope="col">{t.status}</Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {matches.map((m) => (
          <Table.Row key={m.caseId}>
            <Table.Cell>{m.line}</Table.Cell>
            <Table.Cell>
              <RouterLink to={`/saker/${m.caseId}`} className="ds-link">
                {m.name}
              </RouterLink>
            </Table.Cell>
            <Table.Cell>{m.unit}</Table.Cell>
            <Table.Cell>{statusLabel(m.otStatus, lang)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  );
}
