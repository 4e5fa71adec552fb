import { Alert, Button, Fieldset, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trialCalendarFromNow } from '../../../../../domain/trial-calendar';
import type { CalendarChanged, StoredCalendarView } from '../../../../../schemas/api/figures';
import type { CampaignCalendar } from '../../../../../schemas/calendar';
import { ApiError, get, put } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatDateTime } from '../../format';
import { useLanguage, useText, type Language, type Texts } from '../../i18n';
import { useMay } from '../../session';
import { SchoolYearField, type SchoolYearState } from './common';

/** The groups of a calendar, in its order, each a fieldset of its values by dotted key. */
const GROUPS = [
  'washing',
  'crosscheck',
  'letters',
  'smsAfterLetters',
  'secondSmsAfterFirst',
  'otukCountDue',
  'phoneCampaigns',
  'reports',
  'evaluations',
  'staffDeadlines',
  'ageOut',
  'schoolYearEnd',
] as const;
type Group = (typeof GROUPS)[number];

/** The groups that are not a key of the calendar themselves, by the keys they hold. */
const GROUP_KEYS: Partial<Record<Group, readonly string[]>> = { staffDeadlines: ['replyOverdueAfter', 'reviewOverdueAfter'] };

/**
 * The calendar's optional values (schemas/calendar.ts): a field each even when absent, empty meaning absent (no second
 * SMS; the default deadline; the school year's own 1 January). An empty one is left out of the calendar saved.
 */
const OPTIONAL_KEYS = ['secondSmsAfterFirst', 'replyOverdueAfter', 'reviewOverdueAfter', 'ageOut'] as const;

const WORDS: Texts<{
  groups: Record<Group, string>;
  parts: Record<string, string>;
}> = {
  nn: {
    groups: {
      washing: 'Vaskefrist per OS-kode',
      crosscheck: 'Krysssjekk mot inntakskontoret',
      letters: 'Brevdato per OS-kode',
      smsAfterLetters: 'SMS etter breva',
      secondSmsAfterFirst: 'Andre SMS',
      staffDeadlines: 'Fristar for saksbehandlarane',
      ageOut: 'Ut av målgruppa ved aldersgrensa',
      otukCountDue: 'OTUK-teljing',
      phoneCampaigns: 'Ringjekampanjar',
      reports: 'Rapportar til UDIR',
      evaluations: 'Evalueringsmøte',
      schoolYearEnd: 'Slutten av skuleåret',
    },
    parts: {
      from: 'frå',
      until: 'til og med',
      autumn: 'haust',
      winter: 'vinter',
      spring: 'vår',
      november: 'november',
      february: 'februar',
      june: 'juni',
      smsAfterLetters: 'Tid frå breva er sende til SMS-en går (ISO-varigheit, til dømes P14D)',
      secondSmsAfterFirst: 'Tid frå første SMS til den andre (ISO-varigheit, til dømes P14D). Tomt: ingen andre SMS',
      replyOverdueAfter: 'Svar utan utfall er over fristen etter (10 working days, eller ISO-varigheit). Tomt: 10 arbeidsdagar',
      reviewOverdueAfter: 'Gjennomgang er over fristen etter (ISO-varigheit). Tomt: P14D',
      ageOut: 'Første augneblinken utanfor målgruppa (1. januar). Tomt: 1. januar i skuleåret',
      otukCountDue: 'Frist for OTUK-teljinga',
      schoolYearEnd: 'Siste dag i skuleåret',
    },
  },
  nb: {
    groups: {
      washing: 'Vaskefrist per OS-kode',
      crosscheck: 'Krysssjekk mot inntakskontoret',
      letters: 'Brevdato per OS-kode',
      smsAfterLetters: 'SMS etter brevene',
      secondSmsAfterFirst: 'Andre SMS',
      staffDeadlines: 'Frister for saksbehandlerne',
      ageOut: 'Ut av målgruppen ved aldersgrensen',
      otukCountDue: 'OTUK-telling',
      phoneCampaigns: 'Ringekampanjer',
      reports: 'Rapporter til UDIR',
      evaluations: 'Evalueringsmøter',
      schoolYearEnd: 'Slutten av skoleåret',
    },
    parts: {
      from: 'fra',
      until: 'til og med',
      autumn: 'høst',
      winter: 'vinter',
      spring: 'vår',
      november: 'november',
      february: 'februar',
      june: 'juni',
      smsAfterLetters: 'Tid fra brevene er sendt til SMS-en går (ISO-varighet, for eksempel P14D)',
      secondSmsAfterFirst: 'Tid fra første SMS til den andre (ISO-varighet, for eksempel P14D). Tomt: ingen andre SMS',
      replyOverdueAfter: 'Svar uten utfall er over fristen etter (10 working days, eller ISO-varighet). Tomt: 10 arbeidsdager',
      reviewOverdueAfter: 'Gjennomgang er over fristen etter (ISO-varighet). Tomt: P14D',
      ageOut: 'Første øyeblikk utenfor målgruppen (1. januar). Tomt: 1. januar i skoleåret',
      otukCountDue: 'Frist for OTUK-tellingen',
      schoolYearEnd: 'Siste dag i skoleåret',
    },
  },
};

const TEXT: Texts<{
  heading: string;
  intro: string;
  loadFailed: string;
  origin: (version: number, custom: boolean, changedAt: string) => string;
  save: string;
  saveFailed: string;
  saved: (version: number, told: number) => string;
  readOnly: string;
  trialHeading: string;
  trialIntro: string;
  step: string;
  stepHelp: string;
  stepBad: string;
  trial: string;
  trialSaved: (version: number) => string;
  unchanged: string;
  secondSms: (after: string | undefined) => string;
}> = {
  nn: {
    heading: 'Kampanjekalenderen',
    intro: 'Datoa er dagar i Europe/Oslo (2026-09-10) eller tidspunkt (2026-09-10T08:00:00). Opne saker følgjer ein ny kalender med ein gong.',
    loadFailed: 'Kunne ikkje hente kalenderen',
    origin: (version, custom, changedAt) => (custom ? `Versjon ${version}, endra ${changedAt}.` : 'Standardkalenderen for skuleåret (ikkje endra).'),
    save: 'Lagre kalenderen',
    saveFailed: 'Kalenderen vart ikkje lagra',
    saved: (version, told) => `Lagra som versjon ${version}. ${told} opne saker fekk beskjed.`,
    readOnly: 'Du kan lese kalenderen, men ikkje endre han.',
    trialHeading: 'Prøvekalender',
    trialIntro:
      'For prøving og opplæring: heile skuleåret frå no av, kvar dato eit fast tal sekund etter den førre, i same rekkjefølgje. Kalenderen over blir erstatta.',
    step: 'Steg i sekund',
    stepHelp: 'Til dømes 60: ein ny dato kvart minutt.',
    stepBad: 'Eit heilt tal sekund, minst 1.',
    trial: 'Byt til prøvekalender',
    trialSaved: (version) => `Prøvekalenderen er lagra som versjon ${version}.`,
    unchanged: 'Ingenting er endra.',
    secondSms: (after) => (after ? `Kohorten får ein andre SMS, ${after} etter den første.` : 'Kohorten får ingen andre SMS.'),
  },
  nb: {
    heading: 'Kampanjekalenderen',
    intro: 'Datoene er dager i Europe/Oslo (2026-09-10) eller tidspunkt (2026-09-10T08:00:00). Åpne saker følger en ny kalender med en gang.',
    loadFailed: 'Kunne ikke hente kalenderen',
    origin: (version, custom, changedAt) => (custom ? `Versjon ${version}, endret ${changedAt}.` : 'Standardkalenderen for skoleåret (ikke endret).'),
    save: 'Lagre kalenderen',
    saveFailed: 'Kalenderen ble ikke lagret',
    saved: (version, told) => `Lagret som versjon ${version}. ${told} åpne saker fikk beskjed.`,
    readOnly: 'Du kan lese kalenderen, men ikke endre den.',
    trialHeading: 'Prøvekalender',
    trialIntro:
      'For prøving og opplæring: hele skoleåret fra nå av, hver dato et fast antall sekunder etter den forrige, i samme rekkefølge. Kalenderen over blir erstattet.',
    step: 'Steg i sekunder',
    stepHelp: 'For eksempel 60: en ny dato hvert minutt.',
    stepBad: 'Et helt antall sekunder, minst 1.',
    trial: 'Bytt til prøvekalender',
    trialSaved: (version) => `Prøvekalenderen er lagret som versjon ${version}.`,
    unchanged: 'Ingenting er endret.',
    secondSms: (after) => (after ? `Kohorten får en andre SMS, ${after} etter den første.` : 'Kohorten får ingen andre SMS.'),
  },
};

/** Every value of a calendar by its dotted key, in the calendar's order. */
function calendarValues(calendar: CampaignCalendar): [string, string][] {
  const out: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'string') out.push([prefix, value]);
    else for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(prefix ? `${prefix}.${k}` : k, v);
  };
  walk('', calendar);
  for (const key of OPTIONAL_KEYS) if (!out.some(([k]) => k === key)) out.push([key, '']);
  return out;
}

/** The calendar as saved: an optional value left empty is absent. */
function withoutEmpty(calendar: CampaignCalendar): CampaignCalendar {
  const copy = { ...calendar } as Record<string, unknown>;
  for (const key of OPTIONAL_KEYS) if (typeof copy[key] === 'string' && !copy[key].trim()) delete copy[key];
  return copy as unknown as CampaignCalendar;
}

function withValue(calendar: CampaignCalendar, key: string, value: string): CampaignCalendar {
  const copy = structuredClone(calendar) as unknown as Record<string, unknown>;
  const parts = key.split('.');
  let node = copy;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
  return copy as unknown as CampaignCalendar;
}

/** A value's label: the group's words for its key (`phoneCampaigns.autumn.from` → haust frå; `letters.OSON` → OSON). */
function labelOf(key: string, lang: Language): string {
  const { parts } = WORDS[lang];
  const [, ...rest] = key.split('.');
  if (rest.length === 0) return parts[key] ?? key;
  return rest.map((p) => parts[p] ?? p).join(' ');
}

/**
 * The API's reason for a calendar it refused, by the field it names: `calendar: letters.OSON: must be a date …`,
 * `calendar: letters.OSON (…) is not before the school year ends`, or `calendar: crosscheck must end after it starts` (a span: its end).
 */
function calendarReason(error: Error, keys: string[]): { key?: string; reason: string } {
  const reason = error instanceof ApiError ? error.message.replace(/^calendar: /, '') : error.message;
  const named = /^([A-Za-z][\w.]*)[: ]/.exec(reason)?.[1];
  if (named && keys.includes(named)) return { key: named, reason: reason.replace(new RegExp(`^${named}: `), '') };
  if (named && keys.includes(`${named}.until`)) return { key: `${named}.until`, reason };
  return { reason };
}

/** What the last save did: shown above the form while the stored calendar is that version. */
interface Saved {
  schoolYear: string;
  version: number;
  told: number;
  trial: boolean;
}

export function CalendarTab(year: SchoolYearState) {
  const t = useText(TEXT);
  const valid = /^\d{4}$/.test(year.schoolYear);
  const [saved, setSaved] = useState<Saved>();
  const stored = useQuery({
    queryKey: ['calendar', year.schoolYear],
    queryFn: () => get<StoredCalendarView>(`/calendar/${year.schoolYear}`),
    enabled: valid,
  });
  const shown = saved && stored.data && saved.schoolYear === year.schoolYear && saved.version === stored.data.version ? saved : undefined;
  return (
    <section className="ot-stack" aria-labelledby="calendar-heading">
      <Heading level={3} data-size="sm" id="calendar-heading">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <SchoolYearField {...year} error={stored.error instanceof ApiError ? stored.error.fieldReasons().schoolYear : undefined} />
      {stored.isLoading && <Loading />}
      {stored.isError && <Failure error={stored.error} what={t.loadFailed} />}
      {shown && (
        <Alert data-color="success" role="status">
          <Paragraph>{shown.trial ? t.trialSaved(shown.version) : t.saved(shown.version, shown.told)}</Paragraph>
        </Alert>
      )}
      {/* A new version (saved here or elsewhere) starts the form afresh from what is stored; a refetch of the same one keeps what was typed. */}
      {stored.data && (
        <CalendarForm key={`${year.schoolYear}:${stored.data.version}`} schoolYear={year.schoolYear} stored={stored.data} onSaved={setSaved} />
      )}
    </section>
  );
}

function CalendarForm({ schoolYear, stored, onSaved }: { schoolYear: string; stored: StoredCalendarView; onSaved: (saved: Saved) => void }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const words = WORDS[lang];
  const mayWrite = useMay('calendar.write');
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(stored.calendar);
  const [step, setStep] = useState('60');
  const [stepError, setStepError] = useState<string>();
  const values = calendarValues(draft);
  const keys = values.map(([k]) => k);

  const remember = ({ told, ...answer }: CalendarChanged, trial: boolean) => {
    onSaved({ schoolYear, version: answer.version, told: told.signalled, trial });
    queryClient.setQueryData<StoredCalendarView>(['calendar', schoolYear], answer);
  };
  const save = useMutation({
    mutationFn: (calendar: CampaignCalendar) => put<CalendarChanged>(`/calendar/${schoolYear}`, { calendar }),
    onSuccess: (answer) => remember(answer, false),
  });
  const trial = useMutation({
    // The CLI's --compressed: from now, on this browser's clock.
    mutationFn: (stepSeconds: number) =>
      put<CalendarChanged>(`/calendar/${schoolYear}`, { calendar: trialCalendarFromNow(stored.calendar, stepSeconds) }),
    onSuccess: (answer) => remember(answer, true),
  });

  const failure = save.error ? calendarReason(save.error, keys) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    trial.reset();
    save.mutate(withoutEmpty(draft));
  };
  const switchToTrial = () => {
    const n = Number(step);
    if (!/^\d+$/.test(step) || n < 1) {
      setStepError(t.stepBad);
      return;
    }
    setStepError(undefined);
    save.reset();
    trial.mutate(n);
  };

  const byGroup = (group: Group) => values.filter(([k]) => GROUP_KEYS[group]?.includes(k) ?? (k === group || k.startsWith(`${group}.`)));
  // Whether the cohort has a second SMS: as stored, not as typed.
  const secondSmsAfter = stored.calendar.secondSmsAfterFirst;
  return (
    <div className="ot-stack">
      <Paragraph>{t.origin(stored.version, stored.custom, formatDateTime(stored.changedAt, lang))}</Paragraph>
      {!mayWrite && <Paragraph>{t.readOnly}</Paragraph>}
      <form onSubmit={submit} className="ot-stack" noValidate>
        <div className="ot-calendar-grid">
          {GROUPS.map((group) => {
            const fields = byGroup(group);
            if (fields.length === 0) return null;
            return (
              <Fieldset key={group}>
                <Fieldset.Legend>{words.groups[group]}</Fieldset.Legend>
                {group === 'secondSmsAfterFirst' && (
                  <Fieldset.Description data-testid="second-sms">{t.secondSms(secondSmsAfter)}</Fieldset.Description>
                )}
                {fields.map(([key, value]) => (
                  <Textfield
                    key={key}
                    label={labelOf(key, lang)}
                    name={key}
                    autoComplete="off"
                    value={value}
                    readOnly={!mayWrite}
                    onChange={(e) => setDraft(withValue(draft, key, e.target.value))}
                    error={failure?.key === key ? failure.reason : undefined}
                    data-size="sm"
                  />
                ))}
              </Fieldset>
            );
          })}
        </div>
        {save.error && !failure?.key && <Failure error={new Error(failure?.reason ?? save.error.message)} what={t.saveFailed} />}
        {save.error && (
          <Paragraph data-size="sm" role="status">
            {t.unchanged}
          </Paragraph>
        )}
        {mayWrite && (
          <div>
            <Button type="submit" loading={save.isPending}>
              {t.save}
            </Button>
          </div>
        )}
      </form>
      {mayWrite && (
        <section className="ot-stack ot-form ot-step" aria-labelledby="trial-heading">
          <Heading level={4} data-size="xs" id="trial-heading">
            {t.trialHeading}
          </Heading>
          <Paragraph>{t.trialIntro}</Paragraph>
          <Textfield
            label={t.step}
            description={t.stepHelp}
            name="step"
            inputMode="numeric"
            value={step}
            onChange={(e) => setStep(e.target.value.trim())}
            error={stepError}
            className="ot-field-short"
          />
          {trial.error && <Failure error={trial.error} what={t.saveFailed} />}
          <div>
            <Button type="button" variant="secondary" onClick={switchToTrial} loading={trial.isPending}>
              {t.trial}
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}
