import { Alert, Button, Checkbox, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { ImportStarted, ImportStatus, ImportSummary } from '../../../../../schemas/api/operator';
import { get, post, query } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatNumber } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import { FileField, lines, reasonsOf, SchoolYearField, useFileReader, type SchoolYearState } from './common';
import { SCHOOL_YEAR_PARAM } from '../../school-year';

const TEXT: Texts<{
  heading: string;
  intro: string;
  file: string;
  fileHelp: string;
  strict: string;
  strictHelp: string;
  submit: string;
  failed: string;
  progress: string;
  staging: string;
  starting: (started: string, total: string) => string;
  done: string;
  statusFailed: string;
  importFailed: string;
  result: (file: string, year: number) => string;
  summary: string;
  rows: string;
  created: string;
  existing: string;
  rejectedCount: string;
  outside: string;
  rejected: string;
  line: string;
  reason: string;
  noneRejected: string;
  outsideLines: string;
  returnToVigo: string;
  admissionsOffice: string;
  changed: string;
  fields: string;
  warnings: string;
  refused: string;
  refusedBody: string;
}> = {
  nn: {
    heading: 'Importer overføringsfila',
    intro: 'Fila frå VIGO blir sjekka rad for rad; kvar godkjend rad blir ei sak. Å importere same fila ein gong til lagar ingen nye saker.',
    file: 'Overføringsfil (CSV)',
    fileHelp: 'Semikolonseparert, UTF-8, med overskriftsrad som VIGO lagar henne.',
    strict: 'Streng import',
    strictHelp: 'Avvis heile fila dersom ei rad er feil.',
    submit: 'Importer',
    failed: 'Importen kunne ikkje startast',
    progress: 'Framdrift',
    staging: 'Les og sjekkar fila …',
    starting: (started, total) => `Startar saker: ${started} av ${total}`,
    done: 'Ferdig',
    statusFailed: 'Kunne ikkje hente framdrifta',
    importFailed: 'Importen feila',
    result: (file, year) => `Resultat for ${file}, skuleåret ${year}`,
    summary: 'Samandrag',
    rows: 'Rader i fila',
    created: 'Nye saker',
    existing: 'Kjende frå før',
    rejectedCount: 'Avviste rader',
    outside: 'Utanfor målgruppa',
    rejected: 'Avviste rader',
    line: 'Linje',
    reason: 'Grunn',
    noneRejected: 'Ingen rader vart avviste.',
    outsideLines: 'Utanfor målgruppa (for gamle), linje',
    returnToVigo: 'Skal tilbake til VIGO, linje',
    admissionsOffice: 'Inntakskontoret må finne adresse, linje',
    changed: 'Kjende personar med endra felt (ikkje endra her)',
    fields: 'Felt',
    warnings: 'Åtvaringar',
    refused: 'Fila vart avvist',
    refusedBody: 'Streng import: minst éi rad var feil, så ingenting vart importert. Rett radene og prøv igjen.',
  },
  nb: {
    heading: 'Importer overføringsfilen',
    intro: 'Filen fra VIGO sjekkes rad for rad; hver godkjent rad blir en sak. Å importere samme fil en gang til lager ingen nye saker.',
    file: 'Overføringsfil (CSV)',
    fileHelp: 'Semikolonseparert, UTF-8, med overskriftsrad slik VIGO lager den.',
    strict: 'Streng import',
    strictHelp: 'Avvis hele filen hvis en rad er feil.',
    submit: 'Importer',
    failed: 'Importen kunne ikke startes',
    progress: 'Fremdrift',
    staging: 'Leser og sjekker filen …',
    starting: (started, total) => `Starter saker: ${started} av ${total}`,
    done: 'Ferdig',
    statusFailed: 'Kunne ikke hente fremdriften',
    importFailed: 'Importen feilet',
    result: (file, year) => `Resultat for ${file}, skoleåret ${year}`,
    summary: 'Sammendrag',
    rows: 'Rader i filen',
    created: 'Nye saker',
    existing: 'Kjent fra før',
    rejectedCount: 'Avviste rader',
    outside: 'Utenfor målgruppen',
    rejected: 'Avviste rader',
    line: 'Linje',
    reason: 'Grunn',
    noneRejected: 'Ingen rader ble avvist.',
    outsideLines: 'Utenfor målgruppen (for gamle), linje',
    returnToVigo: 'Skal tilbake til VIGO, linje',
    admissionsOffice: 'Inntakskontoret må finne adresse, linje',
    changed: 'Kjente personer med endrede felt (ikke endret her)',
    fields: 'Felt',
    warnings: 'Advarsler',
    refused: 'Filen ble avvist',
    refusedBody: 'Streng import: minst én rad var feil, så ingenting ble importert. Rett radene og prøv igjen.',
  },
};

/** The import: pick the transfer file, start it, watch its progress (polled), then read its row-by-row result. */
export function ImportTab(year: SchoolYearState) {
  const t = useText(TEXT);
  const readFile = useFileReader();
  const [params, setParams] = useSearchParams();
  const [file, setFile] = useState<File | null>(null);
  const [strict, setStrict] = useState(false);
  const upload = useMutation({
    mutationFn: async () => {
      const text = await readFile(file);
      return post<ImportStarted>(
        `/imports${query({ schoolYear: year.schoolYear, fileName: file?.name, strict: strict ? 'true' : undefined })}`,
        text,
        { contentType: 'text/csv' },
      );
    },
    // The import's id in the address: a reload, or a link sent on, shows the same import.
    onSuccess: (answer) => setParams({ [SCHOOL_YEAR_PARAM]: year.schoolYear, id: answer.importId }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    upload.mutate();
  };
  const { by, rest } = reasonsOf(upload.error, ['schoolYear', 'file', 'fileName', 'strict'], { body: 'file' });
  const importId = params.get('id');
  const importYear = params.get(SCHOOL_YEAR_PARAM);

  return (
    <section className="ot-stack" aria-labelledby="import-heading">
      <Heading level={3} data-size="sm" id="import-heading">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <form onSubmit={submit} className="ot-stack ot-form" noValidate>
        <SchoolYearField {...year} error={by.schoolYear} />
        <FileField label={t.file} description={t.fileHelp} error={by.file ?? by.fileName} onFile={setFile} />
        <Checkbox label={t.strict} description={t.strictHelp} checked={strict} onChange={(e) => setStrict(e.target.checked)} error={by.strict} />
        {rest && <Failure error={rest} what={t.failed} />}
        <div>
          <Button type="submit" loading={upload.isPending}>
            {t.submit}
          </Button>
        </div>
      </form>
      {importId && importYear && <ImportProgress key={importId} schoolYear={importYear} importId={importId} />}
    </section>
  );
}

function ImportProgress({ schoolYear, importId }: { schoolYear: string; importId: string }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const status = useQuery({
    queryKey: ['imports', schoolYear, importId],
    queryFn: () => get<ImportStatus>(`/imports/${schoolYear}/${importId}`),
    // Polled while it runs; once it has ended its answer no longer changes.
    refetchInterval: (q) => (q.state.data && q.state.data.state !== 'running' ? false : 1000),
  });
  if (status.isPending) return <Loading />;
  if (status.isError) return <Failure error={status.error} what={t.statusFailed} />;
  const s = status.data;
  if (s.state === 'failed') return <Failure error={new Error(s.reason)} what={t.importFailed} />;

  let label: string;
  let value: number | undefined;
  let max = 1;
  if (s.state === 'completed') {
    label = t.done;
    value = 1;
  } else if (!s.progress || s.progress.phase === 'staging') {
    label = t.staging;
  } else {
    max = Math.max(s.progress.toStart, 1);
    value = s.progress.phase === 'done' ? max : s.progress.started;
    label = t.starting(formatNumber(s.progress.started, lang), formatNumber(s.progress.toStart, lang));
  }
  return (
    <div className="ot-stack">
      <div className="ot-progress">
        <label htmlFor="import-progress">{t.progress}</label>
        {/* Without a value the bar is indeterminate: the file is still being read. */}
        <progress id="import-progress" max={max} value={value} aria-describedby="import-progress-text" />
        <span id="import-progress-text" aria-live="polite">
          {label}
        </span>
      </div>
      {s.state === 'completed' && <ImportResult summary={s.summary} />}
    </div>
  );
}

function ImportResult({ summary: s }: { summary: ImportSummary }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const n = (x: number) => formatNumber(x, lang);
  return (
    <section className="ot-stack" aria-labelledby="import-result">
      <Heading level={4} data-size="xs" id="import-result">
        {t.result(s.fileName, s.schoolYear)}
      </Heading>
      {s.refused && (
        <Alert data-color="warning">
          <Heading level={5} data-size="xs">
            {t.refused}
          </Heading>
          <Paragraph>{t.refusedBody}</Paragraph>
        </Alert>
      )}
      <Table className="ot-facts">
        <caption>{t.summary}</caption>
        <Table.Body>
          {(
            [
              [t.rows, s.rows],
              [t.created, s.created],
              [t.existing, s.existing],
              [t.rejectedCount, s.rejected.length],
              [t.outside, s.outsideTargetGroup.length],
            ] as const
          ).map(([what, count]) => (
            <Table.Row key={what}>
              <Table.HeaderCell scope="row">{what}</Table.HeaderCell>
              <Table.Cell>{n(count)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {s.rejected.length === 0 ? (
        <Paragraph>{t.noneRejected}</Paragraph>
      ) : (
        <Table>
          <caption>{t.rejected}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t.line}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t.reason}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {s.rejected.map((r) => (
              <Table.Row key={r.line}>
                <Table.Cell>{r.line}</Table.Cell>
                <Table.Cell>{r.reason}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {s.outsideTargetGroup.length > 0 && (
        <Paragraph>
          {t.outsideLines} {lines(s.outsideTargetGroup)}
        </Paragraph>
      )}
      {s.returnToVigo.length > 0 && (
        <Paragraph>
          {t.returnToVigo} {lines(s.returnToVigo)}
        </Paragraph>
      )}
      {s.forAdmissionsOffice.length > 0 && (
        <Paragraph>
          {t.admissionsOffice} {lines(s.forAdmissionsOffice)}
        </Paragraph>
      )}
      {s.changed.length > 0 && (
        <Table>
          <caption>{t.changed}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t.line}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t.fields}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {s.changed.map((c) => (
              <Table.Row key={c.line}>
                <Table.Cell>{c.line}</Table.Cell>
                <Table.Cell>{c.fields.join(', ')}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {s.warnings.length > 0 && (
        <Alert data-color="info">
          <Heading level={5} data-size="xs">
            {t.warnings}
          </Heading>
          <ul>
            {s.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Alert>
      )}
    </section>
  );
}
