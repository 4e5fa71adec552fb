import {
  Alert,
  Button,
  Heading,
  Paragraph,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Textarea,
  Field,
  Label,
  Textfield,
} from '@digdir/designsystemet-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CASE_ID_PATTERN } from '../../../../../schemas/case-id';
import { ApiError, get, post, query } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { useLanguage, useText, type Texts } from '../../i18n';
import { statusLabel } from '../../words';
import type { CaseRow } from './types';
import { STAGE_NAMES } from './words';

const TEXT: Texts<{
  heading: string;
  intro: string;
  search: string;
  searchHelp: string;
  find: string;
  searchFailed: string;
  none: string;
  more: string;
  name: string;
  osCode: string;
  status: string;
  stage: string;
  action: string;
  register: string;
  registerFor: (name: string) => string;
  note: string;
  registerFailed: string;
  registered: (name: string, stage: string) => string;
}> = {
  nn: {
    heading: 'Registrer brev i retur',
    intro:
      'Eit brev kom tilbake: finn saka og registrer returen. Brevet går då på nytt til ei anna kjend adresse, elles kjem ungdomen på lista til inntakskontoret.',
    search: 'Saksreferanse eller namn',
    searchHelp: 'Saksreferansen står på brevet (24 teikn). Eller skriv minst to bokstavar av namnet.',
    find: 'Finn saka',
    searchFailed: 'Søket gjekk ikkje',
    none: 'Inga sak i eininga passar med søket.',
    more: 'Det finst fleire treff: skriv meir av namnet eller bruk saksreferansen.',
    name: 'Namn',
    osCode: 'OS-kode',
    status: 'Status',
    stage: 'Steg',
    action: 'Retur',
    register: 'Registrer retur',
    registerFor: (name) => `for ${name}`,
    note: 'Merknad til returen (valfri)',
    registerFailed: 'Returen vart ikkje registrert',
    registered: (name, stage) => `Returen er registrert for ${name}. Saka står no på steget «${stage}».`,
  },
  nb: {
    heading: 'Registrer brev i retur',
    intro:
      'Et brev kom tilbake: finn saken og registrer returen. Brevet går da på nytt til en annen kjent adresse, ellers kommer ungdommen på listen til inntakskontoret.',
    search: 'Saksreferanse eller navn',
    searchHelp: 'Saksreferansen står på brevet (24 tegn). Eller skriv minst to bokstaver av navnet.',
    find: 'Finn saken',
    searchFailed: 'Søket mislyktes',
    none: 'Ingen sak i enheten passer med søket.',
    more: 'Det finnes flere treff: skriv mer av navnet eller bruk saksreferansen.',
    name: 'Navn',
    osCode: 'OS-kode',
    status: 'Status',
    stage: 'Steg',
    action: 'Retur',
    register: 'Registrer retur',
    registerFor: (name) => `for ${name}`,
    note: 'Merknad til returen (valgfri)',
    registerFailed: 'Returen ble ikke registrert',
    registered: (name, stage) => `Returen er registrert for ${name}. Saken står nå på steget «${stage}».`,
  },
};

interface Search {
  caseId?: string;
  name?: string;
}

/** A returned letter: find the case by the reference printed on the letter (or the name), then register the return. */
export function ReturnedLetterForm({ schoolYear, unit, onRegistered }: { schoolYear: number; unit: string; onRegistered: () => void }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const [typed, setTyped] = useState('');
  const [note, setNote] = useState('');
  const [search, setSearch] = useState<Search | undefined>();
  const found = useQuery({
    queryKey: ['letters-returned-search', schoolYear, unit, search],
    queryFn: () =>
      get<{ cases: CaseRow[]; more: boolean }>(`/cases${query({ schoolYear, unit, caseId: search?.caseId, name: search?.name, pageSize: 20 })}`),
    enabled: search !== undefined,
  });
  const register = useMutation({
    mutationFn: (c: CaseRow) => post<{ stage: string }>(`/cases/${c.caseId}/returned-letter`, note.trim() ? { note: note.trim() } : {}),
    onSuccess: () => {
      setNote('');
      onRegistered();
      void found.refetch();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = typed.trim();
    register.reset();
    setSearch(CASE_ID_PATTERN.test(v.toLowerCase()) ? { caseId: v.toLowerCase() } : { name: v });
  };
  const reasons = found.error instanceof ApiError ? found.error.fieldReasons() : {};
  const searchReason = reasons.name ?? reasons.caseId;
  const registerReasons = register.error instanceof ApiError ? register.error.fieldReasons() : {};

  return (
    <section className="ot-stack" aria-labelledby="letters-returned">
      <Heading level={3} data-size="sm" id="letters-returned">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <form className="ot-row" onSubmit={submit} noValidate role="search" aria-label={t.heading}>
        <Textfield
          className="ot-letters__search"
          label={t.search}
          description={t.searchHelp}
          name="returnedSearch"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          error={searchReason}
          autoComplete="off"
        />
        <div>
          <Button type="submit" variant="secondary">
            {t.find}
          </Button>
        </div>
      </form>
      {found.isFetching && !found.data && <Loading />}
      {found.error && !searchReason && <Failure error={found.error} what={t.searchFailed} />}
      {found.data &&
        (found.data.cases.length === 0 ? (
          <Paragraph>{t.none}</Paragraph>
        ) : (
          <>
            <Field className="ot-narrow">
              <Label>{t.note}</Label>
              <Textarea name="returnedNote" value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
              {registerReasons.note && <Paragraph data-color="danger">{registerReasons.note}</Paragraph>}
            </Field>
            <div className="ot-table-wrap">
              <Table>
                <TableHead>
                  <TableRow>
                    <TableHeaderCell scope="col">{t.name}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.osCode}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.status}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.stage}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.action}</TableHeaderCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {found.data.cases.map((c) => (
                    <TableRow key={c.caseId}>
                      <TableCell>{c.name}</TableCell>
                      <TableCell>{c.osCode}</TableCell>
                      <TableCell>{statusLabel(c.otStatus, lang)}</TableCell>
                      <TableCell>{STAGE_NAMES[lang][c.stage] ?? c.stage}</TableCell>
                      <TableCell>
                        <Button
                          data-size="sm"
                          variant="secondary"
                          onClick={() => register.mutate(c)}
                          loading={register.isPending && register.variables?.caseId === c.caseId}
                          disabled={register.isPending}
                        >
                          {t.register} <span className="ot-sr-only">{t.registerFor(c.name)}</span>
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            {found.data.more && <Paragraph>{t.more}</Paragraph>}
          </>
        ))}
      {register.error && !registerReasons.note && <Failure error={register.error} what={t.registerFailed} />}
      {register.data && register.variables && (
        <Alert data-color="success" role="status">
          <Paragraph>{t.registered(register.variables.name, STAGE_NAMES[lang][register.data.stage] ?? register.data.stage)}</Paragraph>
        </Alert>
      )}
    </section>
  );
}
