import { Alert, Button, Fieldset, Heading, Paragraph, Select, Table, Textfield } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { ApiError, get } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatDate } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import { useMay } from '../../session';
import { MEASURE_RESPONSIBLE, type MeasureResponsible } from '../../../../../schemas/follow-up-plan';
import type { storedPlanSchema } from '../../../../../schemas/api/follow-up';
import type { CaseDetail } from './case-api';
import { CaseRequestAlerts, useCaseRequest } from './case-request';
import { SelectField, StatusOptions } from './fields';

type StoredPlan = z.infer<typeof storedPlanSchema>;
type ReviewState = NonNullable<CaseDetail['review']>['state'];

const TEXT: Texts<{
  heading: string;
  none: string;
  goal: string;
  measures: string;
  what: string;
  responsible: string;
  responsibleNames: Record<MeasureResponsible, string>;
  from: string;
  to: string;
  reviewDates: string;
  nextReview: string;
  reviewStates: Record<ReviewState, string>;
  makePlan: string;
  changePlan: string;
  registerReview: string;
  savePlan: string;
  saveReview: string;
  cancel: string;
  addMeasure: string;
  removeMeasure: (n: number) => string;
  measure: (n: number) => string;
  addDate: string;
  reviewDate: (n: number) => string;
  datesHelp: string;
  note: string;
  noteHelp: string;
  next: string;
  nextHelp: string;
  outcome: string;
  outcomeNone: string;
  saved: string;
  reviewed: string;
  notNow: string;
  loadFailed: string;
}> = {
  nn: {
    heading: 'Oppfølgingsplan',
    none: 'Saka har inga oppfølgingsplan.',
    goal: 'Mål',
    measures: 'Tiltak',
    what: 'Kva',
    responsible: 'Ansvarleg',
    responsibleNames: { OT: 'OT', NAV: 'NAV', school: 'Skule', trainingOffice: 'Opplæringskontor' },
    from: 'Frå',
    to: 'Til',
    reviewDates: 'Gjennomgangar',
    nextReview: 'Neste gjennomgang',
    reviewStates: { planned: 'planlagd', due: 'skal gjerast no', overdue: 'over fristen' },
    makePlan: 'Lag oppfølgingsplan',
    changePlan: 'Endre planen',
    registerReview: 'Registrer gjennomgang',
    savePlan: 'Lagre planen',
    saveReview: 'Lagre gjennomgangen',
    cancel: 'Avbryt',
    addMeasure: 'Legg til tiltak',
    removeMeasure: (n) => `Fjern tiltak ${n}`,
    measure: (n) => `Tiltak ${n}`,
    addDate: 'Legg til dato',
    reviewDate: (n) => `Gjennomgang ${n}`,
    datesHelp: 'Dag (2026-03-01) eller tidspunkt (2026-03-01T10:00) på ein prøvekalender.',
    note: 'Kva skjedde',
    noteHelp: 'Skriv aldri fødselsnummer i notatet.',
    next: 'Neste gjennomgang',
    nextHelp: 'Tomt: neste dato i planen, eller eit utfall.',
    outcome: 'Utfall',
    outcomeNone: 'Inkje utfall: oppfølginga held fram',
    saved: 'Planen er lagra.',
    reviewed: 'Gjennomgangen er registrert.',
    notNow: 'Saka tek ikkje imot dette no',
    loadFailed: 'Kunne ikkje hente planen',
  },
  nb: {
    heading: 'Oppfølgingsplan',
    none: 'Saken har ingen oppfølgingsplan.',
    goal: 'Mål',
    measures: 'Tiltak',
    what: 'Hva',
    responsible: 'Ansvarlig',
    responsibleNames: { OT: 'OT', NAV: 'NAV', school: 'Skole', trainingOffice: 'Opplæringskontor' },
    from: 'Fra',
    to: 'Til',
    reviewDates: 'Gjennomganger',
    nextReview: 'Neste gjennomgang',
    reviewStates: { planned: 'planlagt', due: 'skal gjøres nå', overdue: 'over fristen' },
    makePlan: 'Lag oppfølgingsplan',
    changePlan: 'Endre planen',
    registerReview: 'Registrer gjennomgang',
    savePlan: 'Lagre planen',
    saveReview: 'Lagre gjennomgangen',
    cancel: 'Avbryt',
    addMeasure: 'Legg til tiltak',
    removeMeasure: (n) => `Fjern tiltak ${n}`,
    measure: (n) => `Tiltak ${n}`,
    addDate: 'Legg til dato',
    reviewDate: (n) => `Gjennomgang ${n}`,
    datesHelp: 'Dag (2026-03-01) eller tidspunkt (2026-03-01T10:00) på en prøvekalender.',
    note: 'Hva skjedde',
    noteHelp: 'Skriv aldri fødselsnummer i notatet.',
    next: 'Neste gjennomgang',
    nextHelp: 'Tomt: neste dato i planen, eller et utfall.',
    outcome: 'Utfall',
    outcomeNone: 'Intet utfall: oppfølgingen fortsetter',
    saved: 'Planen er lagret.',
    reviewed: 'Gjennomgangen er registrert.',
    notNow: 'Saken tar ikke imot dette nå',
    loadFailed: 'Kunne ikke hente planen',
  },
};

const planKey = (caseId: string) => ['case', caseId, 'plan'] as const;

/** A moment as typed (a day, or a day and time on a compressed calendar) in the user's words. */
function whenText(s: string, lang: 'nn' | 'nb'): string {
  return s.length > 10 ? `${formatDate(s.slice(0, 10), lang)} ${s.slice(11, 16)}` : formatDate(s, lang);
}

/**
 * The case's follow-up plan (VIGO OT's oppfølgingsplan): its goal, measures and review dates, where its next review
 * stands, and the forms to make or change it and to register a review, each offered only while the case takes it.
 */
export function FollowUpPlan({ detail }: { detail: CaseDetail }) {
  const t = useText(TEXT);
  const mayPlan = useMay('case.plan');
  const mayReview = useMay('case.review');
  const [open, setOpen] = useState<{ form: 'plan' | 'review'; version?: number } | undefined>();
  const [done, setDone] = useState<string>();
  const panelId = useId();
  const plan = useQuery({
    queryKey: planKey(detail.caseId),
    queryFn: async () => {
      try {
        return await get<StoredPlan>(`/cases/${encodeURIComponent(detail.caseId)}/plan`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    enabled: Boolean(detail.planId),
  });
  const accepted = (r: 'plan' | 'review') => detail.accepts?.[r]?.accepted === true;
  const offered = [...(mayPlan && accepted('plan') ? (['plan'] as const) : []), ...(mayReview && accepted('review') ? (['review'] as const) : [])];
  const stored = detail.planId ? plan.data : null;
  // Nothing to show and nothing to do: the section stays away (a case before any follow-up).
  if (!detail.planId && offered.length === 0 && !open) return null;
  const label = (form: 'plan' | 'review') => (form === 'review' ? t.registerReview : stored ? t.changePlan : t.makePlan);
  const refusal = open && detail.accepts?.[open.form];

  return (
    <section aria-labelledby="case-plan" className="ot-stack">
      <Heading level={3} data-size="xs" id="case-plan">
        {t.heading}
      </Heading>
      {done && (
        <Alert data-color="success" role="status">
          <Paragraph>{done}</Paragraph>
        </Alert>
      )}
      {detail.planId && plan.isPending && <Loading />}
      {plan.isError && <Failure error={plan.error} what={t.loadFailed} />}
      {!detail.planId && <Paragraph>{t.none}</Paragraph>}
      {stored && <PlanFacts plan={stored} review={detail.review} />}
      <div className="ot-row">
        {offered.map((form) => (
          <Button
            key={form}
            variant={open?.form === form ? 'primary' : 'secondary'}
            aria-expanded={open?.form === form}
            aria-controls={open?.form === form ? panelId : undefined}
            onClick={() => {
              setDone(undefined);
              setOpen(open?.form === form ? undefined : { form, version: detail.version });
            }}
          >
            {label(form)}
          </Button>
        ))}
      </div>
      {open && (
        <div id={panelId} className="ot-case-form">
          {refusal && !refusal.accepted && (
            <Alert data-color="warning">
              <Paragraph>
                {t.notNow}: {refusal.reason}
              </Paragraph>
            </Alert>
          )}
          {open.form === 'plan' ? (
            <PlanForm
              detail={detail}
              stored={stored ?? undefined}
              title={label('plan')}
              version={open.version}
              onVersion={(version) => setOpen({ form: 'plan', version })}
              onCancel={() => setOpen(undefined)}
              onDone={() => {
                setDone(t.saved);
                setOpen(undefined);
              }}
            />
          ) : (
            <ReviewForm
              detail={detail}
              version={open.version}
              onVersion={(version) => setOpen({ form: 'review', version })}
              onCancel={() => setOpen(undefined)}
              onDone={() => {
                setDone(t.reviewed);
                setOpen(undefined);
              }}
            />
          )}
        </div>
      )}
    </section>
  );
}

function PlanFacts({ plan, review }: { plan: StoredPlan; review: CaseDetail['review'] }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const names = t.responsibleNames as Record<string, string>;
  return (
    <div className="ot-stack">
      <dl className="ot-case-facts">
        <dt>{t.goal}</dt>
        <dd data-testid="plan-goal">{plan.goal}</dd>
        <dt>{t.reviewDates}</dt>
        <dd data-testid="plan-review-dates">{plan.reviewDates.map((d) => whenText(d, lang)).join(', ')}</dd>
        {review && (
          <>
            <dt>{t.nextReview}</dt>
            <dd data-testid="plan-next-review">{`${whenText(review.on, lang)}: ${t.reviewStates[review.state]}`}</dd>
          </>
        )}
      </dl>
      <Table data-size="sm" aria-label={t.measures}>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t.what}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t.responsible}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t.from}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t.to}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {plan.measures.map((m, i) => (
            <Table.Row key={i}>
              <Table.Cell>{m.what}</Table.Cell>
              <Table.Cell>{names[m.responsible] ?? m.responsible}</Table.Cell>
              <Table.Cell>{formatDate(m.from, lang)}</Table.Cell>
              <Table.Cell>{formatDate(m.to, lang)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  );
}

interface FormProps {
  detail: CaseDetail;
  version: number | undefined;
  onVersion: (version: number | undefined) => void;
  onCancel: () => void;
  onDone: () => void;
}

interface MeasureDraft {
  what: string;
  responsible: string;
  from: string;
  to: string;
}

/** Make or change the plan: the whole plan is sent each time (a change replaces the one in force). */
function PlanForm({ detail, stored, title, ...props }: FormProps & { stored?: StoredPlan; title: string }) {
  const t = useText(TEXT);
  const [goal, setGoal] = useState(stored?.goal ?? '');
  const [measures, setMeasures] = useState<MeasureDraft[]>(stored?.measures ?? [{ what: '', responsible: 'OT', from: '', to: '' }]);
  const [dates, setDates] = useState<string[]>(stored?.reviewDates ?? ['']);
  const answer = useCaseRequest({ detail, path: 'plan', alsoRefresh: [planKey(detail.caseId)], ...props });
  const { request, reasons } = answer;
  const setMeasure = (i: number, field: keyof MeasureDraft, value: string) =>
    setMeasures((old) => old.map((m, j) => (j === i ? { ...m, [field]: value } : m)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate({
      goal: goal.trim(),
      measures: measures.map((m) => ({ what: m.what.trim(), responsible: m.responsible, from: m.from.trim(), to: m.to.trim() })),
      reviewDates: dates.map((d) => d.trim()).filter(Boolean),
    });
  };
  return (
    <form onSubmit={submit} className="ot-stack ot-narrow" aria-label={title} noValidate>
      <Heading level={4} data-size="2xs">
        {title}
      </Heading>
      <Textfield label={t.goal} name="goal" multiline rows={2} value={goal} onChange={(e) => setGoal(e.target.value)} error={reasons.goal} />
      {measures.map((m, i) => (
        <Fieldset key={i}>
          <Fieldset.Legend>{t.measure(i + 1)}</Fieldset.Legend>
          <Textfield label={t.what} name={`measure-${i}-what`} value={m.what} onChange={(e) => setMeasure(i, 'what', e.target.value)} />
          <SelectField
            label={t.responsible}
            name={`measure-${i}-responsible`}
            value={m.responsible}
            onChange={(v) => setMeasure(i, 'responsible', v)}
          >
            {MEASURE_RESPONSIBLE.map((r) => (
              <Select.Option key={r} value={r}>
                {t.responsibleNames[r]}
              </Select.Option>
            ))}
          </SelectField>
          <div className="ot-row">
            <Textfield label={t.from} name={`measure-${i}-from`} value={m.from} onChange={(e) => setMeasure(i, 'from', e.target.value)} />
            <Textfield label={t.to} name={`measure-${i}-to`} value={m.to} onChange={(e) => setMeasure(i, 'to', e.target.value)} />
          </div>
          {measures.length > 1 && (
            <div>
              <Button type="button" variant="tertiary" data-size="sm" onClick={() => setMeasures((old) => old.filter((_, j) => j !== i))}>
                {t.removeMeasure(i + 1)}
              </Button>
            </div>
          )}
        </Fieldset>
      ))}
      {reasons.measures && <Paragraph data-color="danger">{reasons.measures}</Paragraph>}
      <div>
        <Button
          type="button"
          variant="secondary"
          data-size="sm"
          onClick={() => setMeasures((old) => [...old, { what: '', responsible: 'OT', from: '', to: '' }])}
        >
          {t.addMeasure}
        </Button>
      </div>
      <Fieldset>
        <Fieldset.Legend>{t.reviewDates}</Fieldset.Legend>
        <Fieldset.Description>{t.datesHelp}</Fieldset.Description>
        {dates.map((d, i) => (
          <Textfield
            key={i}
            label={t.reviewDate(i + 1)}
            name={`review-${i}`}
            value={d}
            onChange={(e) => setDates((old) => old.map((x, j) => (j === i ? e.target.value : x)))}
          />
        ))}
        <div>
          <Button type="button" variant="secondary" data-size="sm" onClick={() => setDates((old) => [...old, ''])}>
            {t.addDate}
          </Button>
        </div>
      </Fieldset>
      <CaseRequestAlerts answer={answer} />
      <div className="ot-row">
        <Button type="submit" loading={request.isPending}>
          {t.savePlan}
        </Button>
        <Button type="button" variant="tertiary" onClick={props.onCancel}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}

/** A review: what happened, then the next review date, or an outcome (OTOV goes on, another code ends the follow-up). */
function ReviewForm({ detail, ...props }: FormProps) {
  const t = useText(TEXT);
  const [note, setNote] = useState('');
  const [next, setNext] = useState('');
  const [outcome, setOutcome] = useState('');
  const answer = useCaseRequest({ detail, path: 'review', alsoRefresh: [planKey(detail.caseId)], ...props });
  const { request, reasons } = answer;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate({ note, nextReview: next.trim() || undefined, outcome: outcome || undefined });
  };
  return (
    <form onSubmit={submit} className="ot-stack ot-narrow" aria-label={t.registerReview} noValidate>
      <Heading level={4} data-size="2xs">
        {t.registerReview}
      </Heading>
      <Textfield
        label={t.note}
        description={t.noteHelp}
        name="note"
        multiline
        rows={3}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={reasons.note}
      />
      <Textfield
        label={t.next}
        description={t.nextHelp}
        name="nextReview"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        error={reasons.nextReview}
      />
      <SelectField label={t.outcome} name="outcome" value={outcome} onChange={setOutcome} error={reasons.outcome}>
        <Select.Option value="">{t.outcomeNone}</Select.Option>
        <StatusOptions groups={[2, 3, 4, 5]} />
      </SelectField>
      <CaseRequestAlerts answer={answer} />
      <div className="ot-row">
        <Button type="submit" loading={request.isPending}>
          {t.saveReview}
        </Button>
        <Button type="button" variant="tertiary" onClick={props.onCancel}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}
