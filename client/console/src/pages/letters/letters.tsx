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
  Textfield,
} from '@digdir/designsystemet-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, get, post } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatDate, formatDateTime, formatNumber } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import { useMay, useMe } from '../../session';
import { AdmissionsSection, HeldSection } from './held-letters';
import { ReturnedLetterForm } from './returned-letter';
import { SchoolYearField, useSchoolYear } from './school-year';
import type { LetterOverview, MailingResultAnswer, PrintedBatchAnswer, UnitLetters } from '../../../../../schemas/api/operator';
import { fileLabel } from './words';
import './letters.css';

const TEXT: Texts<{
  heading: string;
  intro: string;
  unit: string;
  noUnits: string;
  failed: string;
  codesHeading: string;
  osCode: string;
  due: string;
  returned: string;
  awaiting: string;
  print: string;
  printCode: (code: string) => string;
  nothingToPrint: string;
  printFailed: string;
  printed: (b: PrintedBatchAnswer, code: string) => string;
  printedFiles: string;
  confirmHeading: string;
  confirmIntro: string;
  confirmCode: string;
  sentOn: string;
  sentOnHelp: string;
  confirm: string;
  confirmFailed: string;
  confirmed: (r: MailingResultAnswer, code: string) => string;
  nothingAwaiting: string;
  mailingsHeading: string;
  noMailings: string;
  sentOnColumn: string;
  confirmedBy: string;
  progress: string;
  progressText: (done: number, all: number) => string;
  progressLabel: (code: string, sentOn: string) => string;
  batchesHeading: string;
  noBatches: string;
  number: string;
  letterDate: string;
  madeBy: string;
  letters: string;
  lettersText: (standard: number, resent: number, copies: number) => string;
  held: string;
  state: string;
  mailed: (sentOn: string) => string;
  notMailed: string;
  files: string;
}> = {
  nn: {
    heading: 'Brev',
    intro: 'Skriv ut standardbreva til eininga, last ned PDF-en og listene, og stadfest når breva er sende. Då blir sakene omkoda til OTUK.',
    unit: 'Eining',
    noUnits: 'Du har inga eining å skrive ut brev for.',
    failed: 'Klarte ikkje å hente breva',
    codesHeading: 'Brev per OS-kode',
    osCode: 'OS-kode',
    due: 'Klare til utskrift',
    returned: 'Returnerte, skal sendast på nytt',
    awaiting: 'Skrivne ut, ikkje stadfesta sende',
    print: 'Utskrift',
    printCode: (code) => `Skriv ut brev for ${code}`,
    nothingToPrint: 'Ingenting å skrive ut',
    printFailed: 'Utskrifta gjekk ikkje',
    printed: (b, code) =>
      `Bunke ${b.number} for ${code} er klar: ${b.letters} brev på ${b.pages} sider (${b.standard} standardbrev, ${b.resent} sende på nytt, ${b.guardianCopies} kopiar til føresette), ${b.held} haldne tilbake.`,
    printedFiles: 'Last ned filene:',
    confirmHeading: 'Stadfest at breva er sende',
    confirmIntro: 'Når breva er posta: vel OS-koden og datoen dei gjekk. Berre sakene i dei utskrivne bunkane blir omkoda til OTUK.',
    confirmCode: 'OS-kode',
    sentOn: 'Sendt dato',
    sentOnHelp: 'Datoen breva vart posta. Han kan ikkje vere fram i tid.',
    confirm: 'Stadfest at breva er sende',
    confirmFailed: 'Stadfestinga gjekk ikkje',
    confirmed: (r, code) =>
      r.firstConfirmation
        ? `Breva for ${code} er stadfesta sende: ${r.cases} saker blir omkoda til OTUK${r.resent ? `, og ${r.resent} brev sende på nytt er talde som sende` : ''}.`
        : `Denne utsendinga var stadfesta alt: ${r.cases} saker.`,
    nothingAwaiting: 'Ingen utskrivne brev ventar på stadfesting.',
    mailingsHeading: 'Utsendingar',
    noMailings: 'Ingen utsending er stadfesta enno.',
    sentOnColumn: 'Sendt',
    confirmedBy: 'Stadfesta av',
    progress: 'Omkoda til OTUK',
    progressText: (done, all) => `${done} av ${all} saker`,
    progressLabel: (code, sentOn) => `Omkoding av utsendinga ${code} ${sentOn}`,
    batchesHeading: 'Utskrivne bunkar',
    noBatches: 'Ingen bunke er skriven ut enno.',
    number: 'Bunke',
    letterDate: 'Brevdato',
    madeBy: 'Skriven ut av',
    letters: 'Brev',
    lettersText: (s, r, c) => `${s} standardbrev, ${r} på nytt, ${c} kopiar`,
    held: 'Haldne',
    state: 'Status',
    mailed: (sentOn) => `sendt ${sentOn}`,
    notMailed: 'ventar på stadfesting',
    files: 'Filer',
  },
  nb: {
    heading: 'Brev',
    intro: 'Skriv ut standardbrevene til enheten, last ned PDF-en og listene, og bekreft når brevene er sendt. Da blir sakene omkodet til OTUK.',
    unit: 'Enhet',
    noUnits: 'Du har ingen enhet å skrive ut brev for.',
    failed: 'Klarte ikke å hente brevene',
    codesHeading: 'Brev per OS-kode',
    osCode: 'OS-kode',
    due: 'Klare til utskrift',
    returned: 'Returnert, skal sendes på nytt',
    awaiting: 'Skrevet ut, ikke bekreftet sendt',
    print: 'Utskrift',
    printCode: (code) => `Skriv ut brev for ${code}`,
    nothingToPrint: 'Ingenting å skrive ut',
    printFailed: 'Utskriften mislyktes',
    printed: (b, code) =>
      `Bunke ${b.number} for ${code} er klar: ${b.letters} brev på ${b.pages} sider (${b.standard} standardbrev, ${b.resent} sendt på nytt, ${b.guardianCopies} kopier til foresatte), ${b.held} holdt tilbake.`,
    printedFiles: 'Last ned filene:',
    confirmHeading: 'Bekreft at brevene er sendt',
    confirmIntro: 'Når brevene er postet: velg OS-koden og datoen de gikk. Bare sakene i de utskrevne bunkene blir omkodet til OTUK.',
    confirmCode: 'OS-kode',
    sentOn: 'Sendt dato',
    sentOnHelp: 'Datoen brevene ble postet. Den kan ikke være frem i tid.',
    confirm: 'Bekreft at brevene er sendt',
    confirmFailed: 'Bekreftelsen mislyktes',
    confirmed: (r, code) =>
      r.firstConfirmation
        ? `Brevene for ${code} er bekreftet sendt: ${r.cases} saker blir omkodet til OTUK${r.resent ? `, og ${r.resent} brev sendt på nytt er telt som sendt` : ''}.`
        : `Denne utsendelsen var bekreftet allerede: ${r.cases} saker.`,
    nothingAwaiting: 'Ingen utskrevne brev venter på bekreftelse.',
    mailingsHeading: 'Utsendelser',
    noMailings: 'Ingen utsendelse er bekreftet ennå.',
    sentOnColumn: 'Sendt',
    confirmedBy: 'Bekreftet av',
    progress: 'Omkodet til OTUK',
    progressText: (done, all) => `${done} av ${all} saker`,
    progressLabel: (code, sentOn) => `Omkoding av utsendelsen ${code} ${sentOn}`,
    batchesHeading: 'Utskrevne bunker',
    noBatches: 'Ingen bunke er skrevet ut ennå.',
    number: 'Bunke',
    letterDate: 'Brevdato',
    madeBy: 'Skrevet ut av',
    letters: 'Brev',
    lettersText: (s, r, c) => `${s} standardbrev, ${r} på nytt, ${c} kopier`,
    held: 'Holdt',
    state: 'Status',
    mailed: (sentOn) => `sendt ${sentOn}`,
    notMailed: 'venter på bekreftelse',
    files: 'Filer',
  },
};

/** Today in Oslo as yyyy-mm-dd: the day a mailing is usually confirmed for. */
function osloToday(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export const lettersKey = (schoolYear: number) => ['letters', schoolYear] as const;

/** Brev: office staff and operators print each unit's letter batches, confirm them sent, and register letters that came back. */
export function Letters() {
  const t = useText(TEXT);
  const me = useMe();
  const [schoolYear, setSchoolYear] = useSchoolYear();
  const [chosenUnit, setChosenUnit] = useState<string>('');
  const letters = useQuery({
    queryKey: lettersKey(schoolYear),
    queryFn: () => get<LetterOverview>(`/letters/${schoolYear}`),
    // A mailing's progress and what others print move while the page is open.
    refetchInterval: 3000,
  });
  const units = letters.data?.units ?? [];
  const unit = units.find((u) => u.unit === chosenUnit) ?? units.find((u) => me.units.includes(u.unit)) ?? units[0];

  return (
    <div className="ot-stack ot-letters">
      <Heading level={2} data-size="md">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <div className="ot-row">
        <SchoolYearField year={schoolYear} onChange={setSchoolYear} />
        {units.length > 1 && unit && (
          <Field className="ot-letters__unit">
            <Label>{t.unit}</Label>
            <Select value={unit.unit} onChange={(e) => setChosenUnit(e.target.value)} width="auto">
              {units.map((u) => (
                <Select.Option key={u.unit} value={u.unit}>
                  {u.unit} {u.unitName}
                </Select.Option>
              ))}
            </Select>
          </Field>
        )}
      </div>
      {letters.isPending && <Loading />}
      {letters.error && <Failure error={letters.error} what={t.failed} />}
      {letters.data && !unit && <Paragraph>{t.noUnits}</Paragraph>}
      {unit && <UnitLettersView key={`${schoolYear}-${unit.unit}`} schoolYear={schoolYear} unit={unit} />}
    </div>
  );
}

function FileLinks({ files }: { files: string[] }) {
  const lang = useLanguage();
  return <DownloadList className="ot-letters__files" files={files.map((f) => ({ href: f, label: fileLabel(f, lang) }))} />;
}

function UnitLettersView({ schoolYear, unit }: { schoolYear: number; unit: UnitLetters }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const mayConfirm = useMay('letters.confirm');
  const mayReturn = useMay('case.returnedLetter');
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: lettersKey(schoolYear) });
    void queryClient.invalidateQueries({ queryKey: ['letters-held', schoolYear, unit.unit] });
    void queryClient.invalidateQueries({ queryKey: ['letters-admissions', schoolYear, unit.unit] });
  };

  const print = useMutation({
    mutationFn: (osCode: string) => post<PrintedBatchAnswer>('/letters/batches', { schoolYear, unit: unit.unit, osCode }),
    onSettled: refresh,
  });

  const awaitingCodes = unit.codes.filter((c) => c.awaitingConfirmation > 0).map((c) => c.osCode);
  const [confirmCode, setConfirmCode] = useState('');
  const [sentOn, setSentOn] = useState(osloToday);
  const code = awaitingCodes.includes(confirmCode) ? confirmCode : (awaitingCodes[0] ?? confirmCode);
  const confirm = useMutation({
    mutationFn: (v: { osCode: string; sentOn: string }) => post<MailingResultAnswer>('/letters/confirm', { schoolYear, unit: unit.unit, ...v }),
    onSettled: refresh,
  });
  const confirmReasons = confirm.error instanceof ApiError ? confirm.error.fieldReasons() : {};
  const submitConfirm = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate({ osCode: code, sentOn });
  };
  const mailingOf = (id?: string) => unit.mailings.find((m) => m.mailingId === id);

  return (
    <>
      <section className="ot-stack" aria-labelledby="letters-codes">
        <Heading level={3} data-size="sm" id="letters-codes">
          {t.codesHeading}
        </Heading>
        <div className="ot-table-wrap">
          <Table>
            <TableHead>
              <TableRow>
                <TableHeaderCell scope="col">{t.osCode}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.due}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.returned}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.awaiting}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.print}</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {unit.codes.map((c) => (
                <TableRow key={c.osCode}>
                  <TableHeaderCell scope="row">{c.osCode}</TableHeaderCell>
                  <TableCell>{formatNumber(c.due, lang)}</TableCell>
                  <TableCell>{formatNumber(c.returned, lang)}</TableCell>
                  <TableCell>{formatNumber(c.awaitingConfirmation, lang)}</TableCell>
                  <TableCell>
                    {c.due + c.returned > 0 ? (
                      <Button
                        data-size="sm"
                        onClick={() => print.mutate(c.osCode)}
                        loading={print.isPending && print.variables === c.osCode}
                        disabled={print.isPending}
                      >
                        {t.printCode(c.osCode)}
                      </Button>
                    ) : (
                      t.nothingToPrint
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
        {print.error && <Failure error={print.error} what={t.printFailed} />}
        {print.data && (
          <Alert data-color="success" role="status">
            <Paragraph>{t.printed(print.data, print.variables ?? '')}</Paragraph>
            <Paragraph>{t.printedFiles}</Paragraph>
            <FileLinks files={print.data.files} />
          </Alert>
        )}
      </section>

      {mayConfirm && (
        <section className="ot-stack" aria-labelledby="letters-confirm">
          <Heading level={3} data-size="sm" id="letters-confirm">
            {t.confirmHeading}
          </Heading>
          {awaitingCodes.length === 0 && !confirm.isPending ? (
            <Paragraph>{t.nothingAwaiting}</Paragraph>
          ) : (
            <form className="ot-stack ot-narrow" onSubmit={submitConfirm} noValidate>
              <Paragraph>{t.confirmIntro}</Paragraph>
              <Field>
                <Label>{t.confirmCode}</Label>
                <Select name="osCode" value={code} onChange={(e) => setConfirmCode(e.target.value)} width="auto">
                  {(awaitingCodes.length ? awaitingCodes : [code]).map((c) => (
                    <Select.Option key={c} value={c}>
                      {c}
                    </Select.Option>
                  ))}
                </Select>
              </Field>
              <Textfield
                label={t.sentOn}
                description={t.sentOnHelp}
                type="date"
                name="sentOn"
                value={sentOn}
                max={osloToday()}
                onChange={(e) => setSentOn(e.target.value)}
                error={confirmReasons.sentOn}
                required
              />
              {confirm.error && !confirmReasons.sentOn && <Failure error={confirm.error} what={t.confirmFailed} />}
              <div>
                <Button type="submit" loading={confirm.isPending}>
                  {t.confirm}
                </Button>
              </div>
            </form>
          )}
          {confirm.data && (
            <Alert data-color="success" role="status">
              <Paragraph>{t.confirmed(confirm.data, confirm.variables.osCode)}</Paragraph>
            </Alert>
          )}
        </section>
      )}

      <section className="ot-stack" aria-labelledby="letters-mailings">
        <Heading level={3} data-size="sm" id="letters-mailings">
          {t.mailingsHeading}
        </Heading>
        {unit.mailings.length === 0 ? (
          <Paragraph>{t.noMailings}</Paragraph>
        ) : (
          <div className="ot-table-wrap">
            <Table>
              <TableHead>
                <TableRow>
                  <TableHeaderCell scope="col">{t.osCode}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.sentOnColumn}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.confirmedBy}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.progress}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {unit.mailings.map((m) => (
                  <TableRow key={m.mailingId}>
                    <TableCell>{m.osCode}</TableCell>
                    <TableCell>{formatDate(m.sentOn.slice(0, 10), lang)}</TableCell>
                    <TableCell>
                      {m.confirmedBy} ({formatDateTime(m.confirmedAt, lang)})
                    </TableCell>
                    <TableCell>
                      <div className="ot-letters__progress">
                        <progress max={m.cases} value={m.recoded} aria-label={t.progressLabel(m.osCode, m.sentOn.slice(0, 10))} />
                        <span data-testid="mailing-progress">{t.progressText(m.recoded, m.cases)}</span>
                      </div>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>

      <section className="ot-stack" aria-labelledby="letters-batches">
        <Heading level={3} data-size="sm" id="letters-batches">
          {t.batchesHeading}
        </Heading>
        {unit.batches.length === 0 ? (
          <Paragraph>{t.noBatches}</Paragraph>
        ) : (
          <div className="ot-table-wrap">
            <Table>
              <TableHead>
                <TableRow>
                  <TableHeaderCell scope="col">{t.number}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.osCode}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.letterDate}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.madeBy}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.letters}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.held}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.state}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.files}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {unit.batches.map((b) => {
                  const m = mailingOf(b.mailingId);
                  return (
                    <TableRow key={b.batchId}>
                      <TableCell>{b.number}</TableCell>
                      <TableCell>{b.osCode}</TableCell>
                      <TableCell>{formatDate(b.letterDate, lang)}</TableCell>
                      <TableCell>
                        {b.createdBy} ({formatDateTime(b.createdAt, lang)})
                      </TableCell>
                      <TableCell>{t.lettersText(b.standard, b.resent, b.guardianCopies)}</TableCell>
                      <TableCell>{b.held}</TableCell>
                      <TableCell>{m ? t.mailed(formatDate(m.sentOn.slice(0, 10), lang)) : t.notMailed}</TableCell>
                      <TableCell>
                        <FileLinks files={b.files} />
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        )}
      </section>

      {mayReturn && <ReturnedLetterForm schoolYear={schoolYear} unit={unit.unit} onRegistered={refresh} />}
      <HeldSection schoolYear={schoolYear} unit={unit.unit} />
      <AdmissionsSection schoolYear={schoolYear} unit={unit.unit} files={unit.admissionsOfficeFiles} />
    </>
  );
}
