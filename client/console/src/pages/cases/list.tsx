import { Alert, Button, Heading, Paragraph, Select, Table, Tag, Textfield } from '@digdir/designsystemet-react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, get, post, query } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { useLanguage, useText, type Texts } from '../../i18n';
import { useMay, useMe } from '../../session';
import { statusLabel } from '../../words';
import type { UnitsAnswer } from '../../../../../schemas/api/calls';
import type { CaseLookup, CasePage } from '../../../../../schemas/api/cases';
import { FLAG_NAMES, FLAGS, REACH, REACH_NAMES, STAGE_NAMES, STAGES, named } from './case-words';
import { SelectField, StatusOptions } from './fields';
import './cases.css';
import { SCHOOL_YEAR_PARAM, schoolYearOf, schoolYearProblem } from '../../school-year';

const TEXT: Texts<{
  heading: string;
  views: string;
  mine: string;
  unit: string;
  filters: string;
  schoolYear: string;
  unitField: string;
  allUnits: string;
  status: string;
  stage: string;
  flag: string;
  reach: string;
  any: string;
  name: string;
  birthDate: string;
  caseId: string;
  search: string;
  clear: string;
  results: string;
  none: string;
  noneMine: string;
  columns: { name: string; unit: string; status: string; stage: string; caseworker: string; flags: string };
  previous: string;
  next: string;
  pageOf: (page: number) => string;
  failed: string;
  lookup: string;
  lookupHelp: string;
  nationalId: string;
  lookupSubmit: string;
  lookupFailed: string;
  notFound: string;
}> = {
  nn: {
    heading: 'Saker',
    views: 'Kva saker',
    mine: 'Mine saker',
    unit: 'Eininga',
    filters: 'Filter og søk',
    schoolYear: 'Skuleår',
    unitField: 'Eining',
    allUnits: 'Alle einingane mine',
    status: 'Status',
    stage: 'Steg',
    flag: 'Merknad',
    reach: 'Nådd?',
    any: 'Alle',
    name: 'Namn (heilt eller delvis)',
    birthDate: 'Fødselsdato',
    caseId: 'Saksnummer',
    search: 'Søk',
    clear: 'Nullstill',
    results: 'Saker som passar',
    none: 'Ingen saker passar med filtera.',
    noneMine: 'Du har ingen saker som passar med filtera.',
    columns: { name: 'Namn', unit: 'Eining', status: 'Status', stage: 'Steg', caseworker: 'Saksbehandlar', flags: 'Merknader' },
    previous: 'Førre side',
    next: 'Neste side',
    pageOf: (page) => `Side ${page}`,
    failed: 'Kunne ikkje hente sakene',
    lookup: 'Slå opp på fødselsnummer',
    lookupHelp: 'Fødselsnummeret blir sendt i sjølve førespurnaden, aldri i adressa, og blir ikkje lagra i nettlesaren.',
    nationalId: 'Fødselsnummer (11 siffer)',
    lookupSubmit: 'Slå opp',
    lookupFailed: 'Fann inga sak',
    notFound: 'Ingen sak i einingane dine har dette fødselsnummeret i skuleåret.',
  },
  nb: {
    heading: 'Saker',
    views: 'Hvilke saker',
    mine: 'Mine saker',
    unit: 'Enheten',
    filters: 'Filter og søk',
    schoolYear: 'Skoleår',
    unitField: 'Enhet',
    allUnits: 'Alle enhetene mine',
    status: 'Status',
    stage: 'Steg',
    flag: 'Merknad',
    reach: 'Nådd?',
    any: 'Alle',
    name: 'Navn (helt eller delvis)',
    birthDate: 'Fødselsdato',
    caseId: 'Saksnummer',
    search: 'Søk',
    clear: 'Nullstill',
    results: 'Saker som passer',
    none: 'Ingen saker passer med filtrene.',
    noneMine: 'Du har ingen saker som passer med filtrene.',
    columns: { name: 'Navn', unit: 'Enhet', status: 'Status', stage: 'Steg', caseworker: 'Saksbehandler', flags: 'Merknader' },
    previous: 'Forrige side',
    next: 'Neste side',
    pageOf: (page) => `Side ${page}`,
    failed: 'Kunne ikke hente sakene',
    lookup: 'Slå opp på fødselsnummer',
    lookupHelp: 'Fødselsnummeret sendes i selve forespørselen, aldri i adressen, og lagres ikke i nettleseren.',
    nationalId: 'Fødselsnummer (11 siffer)',
    lookupSubmit: 'Slå opp',
    lookupFailed: 'Fant ingen sak',
    notFound: 'Ingen sak i enhetene dine har dette fødselsnummeret i skoleåret.',
  },
};

/** The filters the URL keeps (never the national id): the same names GET /cases takes. */
const FILTERS = ['unit', 'status', 'stage', 'flag', 'reach', 'name', 'birthDate', 'caseId'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

const PAGE_SIZE = 25;

/** What a case opened from the list carries back to it: the list's query string. */
export interface ListState {
  list: string;
}

/** Mine saker / Eininga: the cases a caseworker holds and their units' cases, filtered and searched, with the national-id lookup. */
export function CaseList() {
  const t = useText(TEXT);
  const lang = useLanguage();
  const me = useMe();
  const holdsCases = useMay('case.outcome');
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'mine' || (!params.get('view') && holdsCases && me.role === 'caseworker') ? 'mine' : 'unit';
  const yearParam = params.get(SCHOOL_YEAR_PARAM);
  // A year the API refuses is sent as typed, so its reason shows beside the field.
  const schoolYear = yearParam !== null && schoolYearProblem(yearParam) ? yearParam : String(schoolYearOf(yearParam));
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Number(params.get('pageSize')) || PAGE_SIZE;
  const applied = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Filters;

  // What is typed stays typed until it is searched for; the URL holds what was searched.
  const [draft, setDraft] = useState<Filters & { schoolYear: string }>({ ...applied, schoolYear });
  const set = (field: keyof typeof draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  // The URL changed by a link or the browser's back button: the form shows what is searched for now.
  const [searched, setSearched] = useState(params.toString());
  if (searched !== params.toString()) {
    setSearched(params.toString());
    setDraft({ ...applied, schoolYear });
  }

  const search = {
    schoolYear,
    ...applied,
    unit: view === 'mine' ? undefined : applied.unit,
    caseworker: view === 'mine' ? me.displayName : undefined,
    page,
    pageSize,
  };
  const cases = useQuery({
    queryKey: ['cases', search],
    queryFn: () => get<CasePage>(`/cases${query(search)}`),
    placeholderData: keepPreviousData,
    // Others change cases all day: the list follows without a reload.
    refetchInterval: 15_000,
  });
  const reasons = cases.error instanceof ApiError ? cases.error.fieldReasons() : {};

  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { schoolYear: year, ...filters } = draft;
    go({ ...filters, [SCHOOL_YEAR_PARAM]: year, page: undefined });
  };
  const clear = () => {
    const empty = Object.fromEntries(FILTERS.map((f) => [f, ''])) as Filters;
    setDraft({ ...empty, schoolYear });
    go({ ...empty, page: undefined });
  };

  // The units this user sees, as the county configured them (the same answer the call list asks for).
  const unitList = useQuery({
    queryKey: ['units'],
    queryFn: () => get<UnitsAnswer>('/units'),
    staleTime: 300_000,
    enabled: useMay('units.read'),
  });
  const units = unitList.data?.units.map((u) => u.code) ?? me.units;
  const unitName = (code: string) => unitList.data?.units.find((u) => u.code === code)?.name;
  const rows = cases.data?.cases ?? [];

  return (
    <div className="ot-stack">
      <Heading level={2} data-size="md">
        {t.heading}
      </Heading>
      {holdsCases && (
        <nav aria-label={t.views} className="ot-cases-views">
          <ul>
            {(['mine', 'unit'] as const).map((v) => (
              <li key={v}>
                <Link
                  to={`?${new URLSearchParams({ ...Object.fromEntries(params), view: v, page: '1' }).toString()}`}
                  className="ds-link"
                  aria-current={view === v ? 'page' : undefined}
                >
                  {v === 'mine' ? t.mine : t.unit}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}

      <form onSubmit={submit} className="ot-stack" aria-labelledby="case-filters" noValidate>
        <Heading level={3} data-size="xs" id="case-filters">
          {t.filters}
        </Heading>
        <div className="ot-cases-filters">
          <Textfield
            label={t.schoolYear}
            name="schoolYear"
            inputMode="numeric"
            value={draft.schoolYear}
            onChange={(e) => set('schoolYear')(e.target.value)}
            error={reasons.schoolYear}
          />
          {view === 'unit' && units.length > 1 && (
            <SelectField label={t.unitField} name="unit" value={draft.unit} onChange={set('unit')} error={reasons.unit}>
              <Select.Option value="">{t.allUnits}</Select.Option>
              {units.map((u) => (
                <Select.Option key={u} value={u}>
                  {unitName(u) ? `${u} ${unitName(u)}` : u}
                </Select.Option>
              ))}
            </SelectField>
          )}
          <SelectField label={t.status} name="status" value={draft.status} onChange={set('status')} error={reasons.status}>
            <Select.Option value="">{t.any}</Select.Option>
            <StatusOptions groups={[1, 2, 3, 4, 5]} withOsCodes />
          </SelectField>
          <SelectField label={t.stage} name="stage" value={draft.stage} onChange={set('stage')} error={reasons.stage}>
            <Select.Option value="">{t.any}</Select.Option>
            {STAGES.map((s) => (
              <Select.Option key={s} value={s}>
                {STAGE_NAMES[lang][s]}
              </Select.Option>
            ))}
          </SelectField>
          <SelectField label={t.flag} name="flag" value={draft.flag} onChange={set('flag')} error={reasons.flag}>
            <Select.Option value="">{t.any}</Select.Option>
            {FLAGS.map((f) => (
              <Select.Option key={f} value={f}>
                {FLAG_NAMES[lang][f]}
              </Select.Option>
            ))}
          </SelectField>
          <SelectField label={t.reach} name="reach" value={draft.reach} onChange={set('reach')} error={reasons.reach}>
            <Select.Option value="">{t.any}</Select.Option>
            {REACH.map((r) => (
              <Select.Option key={r} value={r}>
                {REACH_NAMES[lang][r]}
              </Select.Option>
            ))}
          </SelectField>
          <Textfield label={t.name} name="name" value={draft.name} onChange={(e) => set('name')(e.target.value)} error={reasons.name} />
          <Textfield
            label={t.birthDate}
            name="birthDate"
            type="date"
            value={draft.birthDate}
            onChange={(e) => set('birthDate')(e.target.value)}
            error={reasons.birthDate}
          />
          <Textfield label={t.caseId} name="caseId" value={draft.caseId} onChange={(e) => set('caseId')(e.target.value)} error={reasons.caseId} />
        </div>
        <div className="ot-row">
          <Button type="submit">{t.search}</Button>
          <Button type="button" variant="secondary" onClick={clear}>
            {t.clear}
          </Button>
        </div>
      </form>

      <NationalIdLookup schoolYear={schoolYear} />

      <section aria-labelledby="case-results" className="ot-stack">
        <Heading level={3} data-size="xs" id="case-results">
          {t.results}
        </Heading>
        {cases.isPending && <Loading />}
        {cases.error && Object.keys(reasons).length === 0 && <Failure error={cases.error} what={t.failed} />}
        {cases.data && rows.length === 0 && <Paragraph>{view === 'mine' ? t.noneMine : t.none}</Paragraph>}
        {rows.length > 0 && (
          <div className="ot-table-wrap">
            <Table zebra>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>{t.columns.name}</Table.HeaderCell>
                  <Table.HeaderCell>{t.columns.unit}</Table.HeaderCell>
                  <Table.HeaderCell>{t.columns.status}</Table.HeaderCell>
                  <Table.HeaderCell>{t.columns.stage}</Table.HeaderCell>
                  <Table.HeaderCell>{t.columns.caseworker}</Table.HeaderCell>
                  <Table.HeaderCell>{t.columns.flags}</Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {rows.map((c) => (
                  <Table.Row key={c.caseId}>
                    <Table.Cell>
                      <Link to={`/saker/${c.caseId}`} state={{ list: `?${params.toString()}` } satisfies ListState} className="ds-link">
                        {c.name}
                      </Link>
                    </Table.Cell>
                    <Table.Cell>{c.unit}</Table.Cell>
                    <Table.Cell>{statusLabel(c.otStatus, lang)}</Table.Cell>
                    <Table.Cell>{named(STAGE_NAMES[lang], c.stage)}</Table.Cell>
                    <Table.Cell>{c.caseworker ?? '–'}</Table.Cell>
                    <Table.Cell>
                      <span className="ot-cases-flags">
                        {c.flags.map((f) => (
                          <Tag key={f} data-size="sm" data-color="neutral">
                            {named(FLAG_NAMES[lang], f)}
                          </Tag>
                        ))}
                      </span>
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </div>
        )}
        {cases.data && (page > 1 || cases.data.more) && (
          <nav aria-label={t.pageOf(page)} className="ot-row">
            {page > 1 && (
              <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), page: String(page - 1) }).toString()}`} className="ds-link">
                {t.previous}
              </Link>
            )}
            <span>{t.pageOf(page)}</span>
            {cases.data.more && (
              <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), page: String(page + 1) }).toString()}`} className="ds-link">
                {t.next}
              </Link>
            )}
          </nav>
        )}
      </section>
    </div>
  );
}

/**
 * The national-id lookup: the number goes in a POST body only (never the URL, the history or a query key),
 * and the answer opens the case.
 */
function NationalIdLookup({ schoolYear }: { schoolYear: string }) {
  const t = useText(TEXT);
  const navigate = useNavigate();
  const [nationalId, setNationalId] = useState('');
  const lookup = useMutation({
    mutationFn: () => post<CaseLookup>('/cases/lookup', { nationalId: nationalId.replace(/\s/g, ''), schoolYear: Number(schoolYear) }),
    onSuccess: ({ caseId }) => {
      setNationalId('');
      void navigate(`/saker/${caseId}`);
    },
  });
  const error = lookup.error instanceof ApiError ? lookup.error : undefined;
  const reasons = error?.fieldReasons() ?? {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    lookup.mutate();
  };
  return (
    // method="post" and no action: even without the script the number would never be put in a query string.
    <form method="post" onSubmit={submit} className="ot-stack ot-narrow" aria-labelledby="case-lookup" noValidate autoComplete="off">
      <Heading level={3} data-size="xs" id="case-lookup">
        {t.lookup}
      </Heading>
      <Textfield
        label={t.nationalId}
        description={t.lookupHelp}
        name="nationalId"
        inputMode="numeric"
        autoComplete="off"
        value={nationalId}
        onChange={(e) => setNationalId(e.target.value)}
        error={reasons.nationalId}
      />
      {lookup.error && !reasons.nationalId && (
        <Alert data-color={error?.status === 404 ? 'warning' : 'danger'} role="alert">
          <Heading level={4} data-size="xs">
            {t.lookupFailed}
          </Heading>
          <Paragraph>{error?.status === 404 ? t.notFound : lookup.error.message}</Paragraph>
        </Alert>
      )}
      <div>
        <Button type="submit" variant="secondary" loading={lookup.isPending}>
          {t.lookupSubmit}
        </Button>
      </div>
    </form>
  );
}
