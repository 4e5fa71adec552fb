import { Alert, Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { caseIdSchema } from '../../../../../schemas/case-id';
import { schoolYearSchema } from '../../../../../schemas/cohort-policy';
import { nationalIdSchema } from '../../../../../schemas/national-id';
import type { CaseLookup, CasePage, CaseRow } from '../../../../../schemas/api/cases';
import { ApiError, get, post, query } from '../../api';
import { useLanguage, useText, type Texts } from '../../i18n';
import { statusLabel } from '../../words';

/** The search fields of GET /cases the inbox uses, with the API's rules (client/api/bodies.ts caseSearchQuery). */
const searchSchema = z.object({
  schoolYear: schoolYearSchema,
  name: z.string().trim().min(2, 'name: at least 2 characters').max(100).optional(),
  birthDate: z.iso.date('birthDate: a date such as 2008-05-17').optional(),
  caseId: caseIdSchema.optional(),
});
const lookupSchema = z.object({ nationalId: nationalIdSchema, schoolYear: schoolYearSchema });

type SearchField = 'schoolYear' | 'name' | 'birthDate' | 'caseId';

function problemsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of error.issues) out[String(i.path[0])] ??= i.message;
  return out;
}

const TEXT: Texts<{
  heading: string;
  searchLegend: string;
  schoolYear: string;
  name: string;
  birthDate: string;
  caseId: string;
  search: string;
  needOne: string;
  lookupHeading: string;
  nationalId: string;
  nationalIdHelp: string;
  lookup: string;
  results: (n: number, more: boolean) => string;
  none: string;
  unit: string;
  caseworker: string;
  assign: (name: string) => string;
  failed: string;
}> = {
  nn: {
    heading: 'Finn saka',
    searchLegend: 'Søk på namn, fødselsdato eller saksnummer',
    schoolYear: 'Skuleår',
    name: 'Namn',
    birthDate: 'Fødselsdato',
    caseId: 'Saksnummer',
    search: 'Søk',
    needOne: 'skriv namn, fødselsdato eller saksnummer',
    lookupHeading: 'Eller slå opp fødselsnummeret',
    nationalId: 'Fødselsnummer (11 siffer)',
    nationalIdHelp: 'Vert sendt berre i sjølve førespurnaden, aldri i adressa.',
    lookup: 'Slå opp',
    results: (n, more) => (more ? `Dei ${n} første treffa: avgrens søket` : `${n} treff`),
    none: 'Ingen saker passar.',
    unit: 'eining',
    caseworker: 'rådgjevar',
    assign: (name) => `Gi svaret til ${name}`,
    failed: 'Søket gjekk ikkje',
  },
  nb: {
    heading: 'Finn saken',
    searchLegend: 'Søk på navn, fødselsdato eller saksnummer',
    schoolYear: 'Skoleår',
    name: 'Navn',
    birthDate: 'Fødselsdato',
    caseId: 'Saksnummer',
    search: 'Søk',
    needOne: 'skriv navn, fødselsdato eller saksnummer',
    lookupHeading: 'Eller slå opp fødselsnummeret',
    nationalId: 'Fødselsnummer (11 siffer)',
    nationalIdHelp: 'Sendes bare i selve forespørselen, aldri i adressen.',
    lookup: 'Slå opp',
    results: (n, more) => (more ? `De ${n} første treffene: avgrens søket` : `${n} treff`),
    none: 'Ingen saker passer.',
    unit: 'enhet',
    caseworker: 'rådgiver',
    assign: (name) => `Gi svaret til ${name}`,
    failed: 'Søket mislyktes',
  },
};

/**
 * Finds the case an SMS reply belongs to: by name, birth date or case id (GET /cases), or by national id (POST
 * /cases/lookup: the number only ever in a body). Each case found has a button to give the reply to it.
 */
export function CaseSearch({ initialYear, onAssign, assigning }: { initialYear: number; onAssign: (c: CaseRow) => void; assigning: boolean }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const id = useId();
  const [form, setForm] = useState<Record<SearchField, string>>({ schoolYear: String(initialYear), name: '', birthDate: '', caseId: '' });
  const [nationalId, setNationalId] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});

  const search = useMutation({
    mutationFn: async (q: z.infer<typeof searchSchema>) => get<CasePage>(`/cases${query({ ...q, pageSize: 20 })}`),
    onError: (err) => err instanceof ApiError && setProblems(err.fieldReasons()),
  });
  const lookup = useMutation({
    mutationFn: async (body: z.infer<typeof lookupSchema>) => {
      const found = await post<CaseLookup>('/cases/lookup', body);
      // The case's name and status: asked by its case id, never by the number.
      return get<CasePage>(`/cases${query({ schoolYear: body.schoolYear, caseId: found.caseId })}`);
    },
    onError: (err) => err instanceof ApiError && setProblems(err.fieldReasons()),
  });

  const set = (field: SearchField) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    lookup.reset();
    const typed = {
      schoolYear: form.schoolYear,
      name: form.name.trim() || undefined,
      birthDate: form.birthDate || undefined,
      caseId: form.caseId.trim().toLowerCase() || undefined,
    };
    const parsed = searchSchema.safeParse(typed);
    const found = parsed.success ? {} : problemsOf(parsed.error);
    if (!typed.name && !typed.birthDate && !typed.caseId) found.name ??= t.needOne;
    setProblems(found);
    if (parsed.success && !Object.keys(found).length) search.mutate(parsed.data);
  };
  const submitLookup = (e: FormEvent) => {
    e.preventDefault();
    search.reset();
    const parsed = lookupSchema.safeParse({ nationalId, schoolYear: form.schoolYear });
    setProblems(parsed.success ? {} : problemsOf(parsed.error));
    if (parsed.success) lookup.mutate(parsed.data);
  };

  const answer = search.data ?? lookup.data;
  const failure = [search.error, lookup.error].find((e) => e && !(e instanceof ApiError && Object.keys(e.fieldReasons()).length));
  return (
    <section className="ot-stack ot-inbox__search" aria-labelledby={`${id}-h`}>
      <Heading level={4} data-size="xs" id={`${id}-h`}>
        {t.heading}
      </Heading>
      <form className="ot-stack" onSubmit={submitSearch} noValidate aria-label={t.searchLegend}>
        <Paragraph data-size="sm">{t.searchLegend}</Paragraph>
        <div className="ot-row">
          <Textfield
            label={t.schoolYear}
            inputMode="numeric"
            value={form.schoolYear}
            onChange={set('schoolYear')}
            error={problems.schoolYear}
            className="ot-inbox__year"
          />
          <Textfield label={t.name} value={form.name} onChange={set('name')} error={problems.name} autoComplete="off" />
          <Textfield label={t.birthDate} type="date" value={form.birthDate} onChange={set('birthDate')} error={problems.birthDate} />
          <Textfield label={t.caseId} value={form.caseId} onChange={set('caseId')} error={problems.caseId} autoComplete="off" />
        </div>
        <div>
          <Button type="submit" variant="secondary" loading={search.isPending}>
            {t.search}
          </Button>
        </div>
      </form>
      <form className="ot-stack" onSubmit={submitLookup} noValidate aria-label={t.lookupHeading}>
        <Paragraph data-size="sm">{t.lookupHeading}</Paragraph>
        <div className="ot-row">
          <Textfield
            label={t.nationalId}
            description={t.nationalIdHelp}
            inputMode="numeric"
            autoComplete="off"
            value={nationalId}
            onChange={(e) => setNationalId(e.target.value)}
            error={problems.nationalId}
          />
        </div>
        <div>
          <Button type="submit" variant="secondary" loading={lookup.isPending}>
            {t.lookup}
          </Button>
        </div>
      </form>
      {failure && (
        <Alert data-color="danger" role="alert">
          <Heading level={5} data-size="2xs">
            {t.failed}
          </Heading>
          <Paragraph>{failure.message}</Paragraph>
        </Alert>
      )}
      {answer && (
        <div className="ot-stack" role="region" aria-label={t.results(answer.cases.length, answer.more)}>
          <Paragraph data-size="sm">{answer.cases.length ? t.results(answer.cases.length, answer.more) : t.none}</Paragraph>
          <ul className="ot-inbox__found">
            {answer.cases.map((c) => (
              <li key={c.caseId}>
                <span>
                  <strong>{c.name}</strong> · {t.unit} {c.unit} · {statusLabel(c.otStatus, lang)}
                  {c.caseworker ? ` · ${t.caseworker} ${c.caseworker}` : ''} · <code>{c.caseId}</code>
                </span>
                <Button data-size="sm" onClick={() => onAssign(c)} disabled={assigning}>
                  {t.assign(c.name)}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
