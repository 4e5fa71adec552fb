import { DownloadList } from '../../components/download-list';
import { Heading, Paragraph, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatDate } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import type { AdmissionsOfficeList, HeldLetters } from '../../../../../schemas/api/operator';
import { fileLabel, reasonText, recipientText } from './words';

const TEXT: Texts<{
  heldHeading: string;
  heldIntro: string;
  noHeld: string;
  heldFailed: string;
  name: string;
  recipient: string;
  reason: string;
  osCode: string;
  batch: string;
  admissionsHeading: string;
  admissionsIntro: string;
  noAdmissions: string;
  admissionsFailed: string;
  born: string;
  lastAddress: string;
  lastFiles: string;
}> = {
  nn: {
    heldHeading: 'Haldne brev',
    heldIntro: 'Brev som ikkje vart skrivne ut fordi namn eller adresse manglar. Neste bunke prøver dei igjen når adressa er retta.',
    noHeld: 'Ingen brev er haldne tilbake.',
    heldFailed: 'Klarte ikkje å hente dei haldne breva',
    name: 'Namn',
    recipient: 'Mottakar',
    reason: 'Grunn',
    osCode: 'OS-kode',
    batch: 'Bunke',
    admissionsHeading: 'Lista til inntakskontoret',
    admissionsIntro: 'Ungdom utan adresse å sende brevet til. Inntakskontoret hjelper med å finne ei ny.',
    noAdmissions: 'Ingen ungdom manglar adresse.',
    admissionsFailed: 'Klarte ikkje å hente lista til inntakskontoret',
    born: 'Fødd',
    lastAddress: 'Siste adresse',
    lastFiles: 'Lista slik den siste bunken skreiv henne:',
  },
  nb: {
    heldHeading: 'Holdte brev',
    heldIntro: 'Brev som ikke ble skrevet ut fordi navn eller adresse mangler. Neste bunke prøver dem igjen når adressen er rettet.',
    noHeld: 'Ingen brev er holdt tilbake.',
    heldFailed: 'Klarte ikke å hente de holdte brevene',
    name: 'Navn',
    recipient: 'Mottaker',
    reason: 'Grunn',
    osCode: 'OS-kode',
    batch: 'Bunke',
    admissionsHeading: 'Listen til inntakskontoret',
    admissionsIntro: 'Ungdom uten adresse å sende brevet til. Inntakskontoret hjelper med å finne en ny.',
    noAdmissions: 'Ingen ungdom mangler adresse.',
    admissionsFailed: 'Klarte ikke å hente listen til inntakskontoret',
    born: 'Født',
    lastAddress: 'Siste adresse',
    lastFiles: 'Listen slik den siste bunken skrev den:',
  },
};

/** The unit's letters held back that no batch has printed since. */
export function HeldSection({ schoolYear, unit }: { schoolYear: number; unit: string }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const held = useQuery({
    queryKey: ['letters-held', schoolYear, unit],
    queryFn: () => get<HeldLetters>(`/letters/${schoolYear}/${unit}/held`),
    refetchInterval: 10_000,
  });
  return (
    <section className="ot-stack" aria-labelledby="letters-held">
      <Heading level={3} data-size="sm" id="letters-held">
        {t.heldHeading}
      </Heading>
      <Paragraph>{t.heldIntro}</Paragraph>
      {held.isPending && <Loading />}
      {held.error && <Failure error={held.error} what={t.heldFailed} />}
      {held.data &&
        (held.data.held.length === 0 ? (
          <Paragraph>{t.noHeld}</Paragraph>
        ) : (
          <div className="ot-table-wrap">
            <Table>
              <TableHead>
                <TableRow>
                  <TableHeaderCell scope="col">{t.name}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.recipient}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.reason}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.osCode}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.batch}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {held.data.held.map((h) => (
                  <TableRow key={`${h.caseId}-${h.recipient}`}>
                    <TableCell>{h.name}</TableCell>
                    <TableCell>{recipientText(h.recipient, lang)}</TableCell>
                    <TableCell>{reasonText(h.reason, lang)}</TableCell>
                    <TableCell>{h.osCode}</TableCell>
                    <TableCell>{h.batchNumber}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
    </section>
  );
}

/** The admissions office's list now: youth with no address left to send their letter to. */
export function AdmissionsSection({ schoolYear, unit, files }: { schoolYear: number; unit: string; files: string[] }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const list = useQuery({
    queryKey: ['letters-admissions', schoolYear, unit],
    queryFn: () => get<AdmissionsOfficeList>(`/letters/${schoolYear}/${unit}/admissions-office`),
    refetchInterval: 10_000,
  });
  return (
    <section className="ot-stack" aria-labelledby="letters-admissions">
      <Heading level={3} data-size="sm" id="letters-admissions">
        {t.admissionsHeading}
      </Heading>
      <Paragraph>{t.admissionsIntro}</Paragraph>
      {list.isPending && <Loading />}
      {list.error && <Failure error={list.error} what={t.admissionsFailed} />}
      {list.data &&
        (list.data.entries.length === 0 ? (
          <Paragraph>{t.noAdmissions}</Paragraph>
        ) : (
          <div className="ot-table-wrap">
            <Table>
              <TableHead>
                <TableRow>
                  <TableHeaderCell scope="col">{t.name}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.born}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.osCode}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.reason}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.lastAddress}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {list.data.entries.map((e) => (
                  <TableRow key={e.caseId}>
                    <TableCell>{e.name}</TableCell>
                    <TableCell>{formatDate(e.birthDate, lang)}</TableCell>
                    <TableCell>{e.osCode}</TableCell>
                    <TableCell>{reasonText(e.reason, lang)}</TableCell>
                    <TableCell>{e.lastAddress ? `${e.lastAddress.street}, ${e.lastAddress.postcode} ${e.lastAddress.city}` : '–'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
      {files.length > 0 && (
        <>
          <Paragraph>{t.lastFiles}</Paragraph>
          <DownloadList className="ot-letters__files" files={files.map((f) => ({ href: f, label: fileLabel(f, lang) }))} />
        </>
      )}
    </section>
  );
}
