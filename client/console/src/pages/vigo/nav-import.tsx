import { Alert, Button, Heading, Paragraph, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@digdir/designsystemet-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, post, query } from '../../api';
import { Failure } from '../../components/query-state';
import { useText, type Texts } from '../../i18n';
import { FileField, useFileReader } from '../operator/common';
import type { NavImportSummaryView as Summary } from '../../../../../schemas/api/vigo-nav';

const TEXT: Texts<{
  heading: string;
  intro: string;
  file: string;
  fileHelp: string;
  submit: string;
  failed: string;
  result: (s: Summary) => string;
  line: string;
  caseRef: string;
  what: string;
  reason: string;
  appliedCaption: string;
  rejectedCaption: string;
}> = {
  nn: {
    heading: 'Les inn det møtet fekk vite',
    intro: 'Fila frå møtet: OTUK-lista med ny adresse, mobil eller status skriven over dei gamle. Registrert som frå NAV.',
    file: 'Fila frå møtet (CSV)',
    fileHelp: 'Kolonnen saksref, og adresse/postnummer/poststad, mobil eller status. Uendra celler endrar ingenting.',
    submit: 'Les inn',
    failed: 'Klarte ikkje å lese inn fila',
    result: (s) => `${s.applied.length} rader lagde inn, ${s.unchanged.length} uendra, ${s.rejected.length} avviste.`,
    line: 'Linje',
    caseRef: 'Sak',
    what: 'Endra',
    reason: 'Grunn',
    appliedCaption: 'Lagt inn',
    rejectedCaption: 'Avvist',
  },
  nb: {
    heading: 'Les inn det møtet fikk vite',
    intro: 'Filen fra møtet: OTUK-listen med ny adresse, mobil eller status skrevet over de gamle. Registrert som fra NAV.',
    file: 'Filen fra møtet (CSV)',
    fileHelp: 'Kolonnen saksref, og adresse/postnummer/poststad, mobil eller status. Uendrede celler endrer ingenting.',
    submit: 'Les inn',
    failed: 'Klarte ikke å lese inn filen',
    result: (s) => `${s.applied.length} rader lagt inn, ${s.unchanged.length} uendret, ${s.rejected.length} avvist.`,
    line: 'Linje',
    caseRef: 'Sak',
    what: 'Endret',
    reason: 'Grunn',
    appliedCaption: 'Lagt inn',
    rejectedCaption: 'Avvist',
  },
};

/** What the NAV meeting learned, uploaded: each row applied or refused by its line (POST /nav/imports). */
export function NavImport({ schoolYear }: { schoolYear: number }) {
  const t = useText(TEXT);
  const readFile = useFileReader();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: async () => post<Summary>(`/nav/imports${query({ schoolYear })}`, await readFile(file), { contentType: 'text/csv' }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  const fileReason = run.error instanceof ApiError && run.error.status === 400 ? run.error.message : undefined;
  return (
    <section className="ot-stack" aria-labelledby="nav-import">
      <Heading level={4} data-size="xs" id="nav-import">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <form onSubmit={submit} className="ot-stack ot-form" noValidate>
        <FileField
          label={t.file}
          description={t.fileHelp}
          error={fileReason ?? (run.error && !(run.error instanceof ApiError) ? run.error.message : undefined)}
          onFile={setFile}
        />
        {run.error instanceof ApiError && !fileReason && <Failure error={run.error} what={t.failed} />}
        <div>
          <Button type="submit" loading={run.isPending}>
            {t.submit}
          </Button>
        </div>
      </form>
      {run.data && (
        <>
          <Alert data-color={run.data.rejected.length ? 'warning' : 'success'} role="status">
            {t.result(run.data)}
          </Alert>
          {run.data.applied.length > 0 && (
            <Table>
              <caption>{t.appliedCaption}</caption>
              <TableHead>
                <TableRow>
                  <TableHeaderCell scope="col">{t.line}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.caseRef}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.what}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {run.data.applied.map((a) => (
                  <TableRow key={a.line}>
                    <TableCell>{a.line}</TableCell>
                    <TableCell>{a.caseId}</TableCell>
                    <TableCell>{a.changes.join(', ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {run.data.rejected.length > 0 && (
            <Table>
              <caption>{t.rejectedCaption}</caption>
              <TableHead>
                <TableRow>
                  <TableHeaderCell scope="col">{t.line}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.reason}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {run.data.rejected.map((r) => (
                  <TableRow key={r.line}>
                    <TableCell>{r.line}</TableCell>
                    <TableCell>{r.reason}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </section>
  );
}
