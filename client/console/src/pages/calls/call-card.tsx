import {
  Alert,
  Button,
  Field,
  Fieldset,
  Heading,
  Label,
  Paragraph,
  Radio,
  Select,
  Tag,
  Textfield,
  ValidationMessage,
} from '@digdir/designsystemet-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { OT_STATUS_GROUPS, type OtGroup } from '../../../../../schemas/ot-codes';
import { callRegistrationSchema, type CallRegistration } from '../../../../../schemas/requests';
import { ApiError, post } from '../../api';
import { formatDateTime } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import { GROUP_NAMES, statusLabel } from '../../words';
import type { CallListRow } from '../../../../../schemas/api/calls';

/** The groups a reached youth's outcome is set from: OTOV, or what they do (UDIR groups 3–5). */
const OUTCOME_GROUPS: OtGroup[] = [2, 3, 4, 5];

type Result = CallRegistration['result'];
type FormField = 'note' | 'status' | 'forwardTo';

interface CardText {
  mobile: string;
  noMobile: string;
  wrong: string;
  otherNumbers: string;
  none: string;
  lastAttempt: string;
  never: string;
  attempts: string;
  caller: string;
  unshared: string;
  moved: string;
  movedText: (from: string, at: string, by: string, staffRemoved: boolean) => string;
  notes: string;
  results: Record<string, string>;
  by: string;
  note: string;
  noteHelp: string;
  notReached: string;
  wrongNumber: string;
  reached: string;
  reachedLegend: string;
  setStatus: string;
  forward: string;
  status: string;
  chooseStatus: string;
  needStatus: string;
  forwardTo: string;
  forwardHelp: string;
  register: string;
  cancel: string;
  failed: string;
  callOf: (name: string) => string;
}

const TEXT: Texts<CardText> = {
  nn: {
    mobile: 'Mobil',
    noMobile: 'ingen mobil',
    wrong: 'feil nummer',
    otherNumbers: 'Andre nummer',
    none: 'ingen',
    lastAttempt: 'Siste forsøk',
    never: 'ikkje ringt enno',
    attempts: 'Forsøk',
    caller: 'Ringjar',
    unshared: 'ikkje fordelt',
    moved: 'Flytta hit',
    movedText: (from, at, by, staffRemoved) =>
      `frå ${from} ${at}, av ${by} (${staffRemoved ? 'ringjaren gjekk ut av eininga' : 'flytt til ein annan ringjar'})`,
    notes: 'Notat',
    results: { notReached: 'ikkje nådd', wrongNumber: 'feil nummer', reached: 'nådd' },
    by: 'av',
    note: 'Notat om samtalen',
    noteHelp: 'Valfritt. Aldri fødselsnummer.',
    notReached: 'Ikkje nådd',
    wrongNumber: 'Feil nummer',
    reached: 'Nådd …',
    reachedLegend: 'Nådd: kva kom ut av samtalen?',
    setStatus: 'Set status: eg veit kva ungdommen gjer',
    forward: 'Send vidare til ein rådgjevar',
    status: 'Status',
    chooseStatus: 'Vel status',
    needStatus: 'vel ein status',
    forwardTo: 'Rådgjevar',
    forwardHelp: 'Tomt: saka går til rådgjevaren ho har.',
    register: 'Registrer: nådd',
    cancel: 'Avbryt',
    failed: 'Samtalen vart ikkje registrert',
    callOf: (name) => `Samtale med ${name}`,
  },
  nb: {
    mobile: 'Mobil',
    noMobile: 'ingen mobil',
    wrong: 'feil nummer',
    otherNumbers: 'Andre nummer',
    none: 'ingen',
    lastAttempt: 'Siste forsøk',
    never: 'ikke ringt ennå',
    attempts: 'Forsøk',
    caller: 'Ringer',
    unshared: 'ikke fordelt',
    moved: 'Flyttet hit',
    movedText: (from, at, by, staffRemoved) =>
      `fra ${from} ${at}, av ${by} (${staffRemoved ? 'ringeren gikk ut av enheten' : 'flyttet til en annen ringer'})`,
    notes: 'Notater',
    results: { notReached: 'ikke nådd', wrongNumber: 'feil nummer', reached: 'nådd' },
    by: 'av',
    note: 'Notat om samtalen',
    noteHelp: 'Valgfritt. Aldri fødselsnummer.',
    notReached: 'Ikke nådd',
    wrongNumber: 'Feil nummer',
    reached: 'Nådd …',
    reachedLegend: 'Nådd: hva kom ut av samtalen?',
    setStatus: 'Sett status: jeg vet hva ungdommen gjør',
    forward: 'Send videre til en rådgiver',
    status: 'Status',
    chooseStatus: 'Velg status',
    needStatus: 'velg en status',
    forwardTo: 'Rådgiver',
    forwardHelp: 'Tomt: saken går til rådgiveren den har.',
    register: 'Registrer: nådd',
    cancel: 'Avbryt',
    failed: 'Samtalen ble ikke registrert',
    callOf: (name) => `Samtale med ${name}`,
  },
};

/**
 * The API's reasons by field: "field: reason" parts, and a refusal of the case about the note (the case names it as
 * "the note …", e.g. one that holds a national id), which belongs beside the note too.
 */
function reasonsOf(err: Error): Partial<Record<FormField, string>> {
  if (!(err instanceof ApiError)) return {};
  const reasons = err.fieldReasons();
  if (!Object.keys(reasons).length && /^the note\b/.test(err.message)) return { note: err.message };
  return reasons;
}

/** A number as a link the phone dials: the digits and a leading +, nothing else. */
function TelLink({ number }: { number: string }) {
  return (
    <a className="ds-link" href={`tel:${number.replace(/[^\d+]/g, '')}`}>
      {number}
    </a>
  );
}

export interface Registered {
  name: string;
  result: Result;
  status?: string;
  forwardTo?: string;
}

/**
 * One youth on the call list, with one button per result of a call: not reached and wrong number register at once,
 * reached asks for the outcome (a status, or a forward to a caseworker) first. The note goes with whichever is pressed.
 */
export function CallCard({
  row,
  mayCall,
  showCaller,
  staff,
  onRegistered,
  footer,
}: {
  row: CallListRow;
  mayCall: boolean;
  showCaller: boolean;
  staff: string[];
  onRegistered: (r: Registered) => void;
  /** More the card holds under its forms (the move of the call to another caller). */
  footer?: ReactNode;
}) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const id = useId();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [reachedOpen, setReachedOpen] = useState(false);
  const [how, setHow] = useState<'status' | 'forward'>('status');
  const [status, setStatus] = useState('');
  const [forwardTo, setForwardTo] = useState('');
  const [problems, setProblems] = useState<Partial<Record<FormField, string>>>({});
  // One key per request body: a retry of the same call (a lost answer, a double click) is answered once by the API.
  const key = useRef<{ body: string; key: string } | undefined>(undefined);

  const register = useMutation({
    mutationFn: (body: CallRegistration) => {
      const json = JSON.stringify(body);
      if (key.current?.body !== json) key.current = { body: json, key: crypto.randomUUID() };
      return post(`/cases/${row.caseId}/call`, body, { idempotencyKey: key.current.key });
    },
    onSuccess: (_, body) => {
      key.current = undefined;
      setNote('');
      setReachedOpen(false);
      setStatus('');
      setForwardTo('');
      onRegistered({ name: row.name, result: body.result, status: body.status, forwardTo: body.forwardTo });
    },
    onError: (err) => {
      setProblems(reasonsOf(err));
      // Refused because someone else got there first (the youth reached, the number already flagged): the list catches up.
      void queryClient.invalidateQueries({ queryKey: ['calls'] });
    },
  });

  const send = (result: Result) => {
    const body = {
      result,
      note: note.trim() || undefined,
      ...(result === 'reached' && how === 'status' ? { status: status || undefined } : {}),
      ...(result === 'reached' && how === 'forward' ? { forwardTo: forwardTo.trim() || undefined } : {}),
    };
    // The API's own rules first (schemas/requests.ts), so the reason stands beside the field before anything is sent.
    const parsed = callRegistrationSchema.safeParse(body);
    const found: Partial<Record<FormField, string>> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) found[issue.path[0] as FormField] ??= issue.message;
    if (result === 'reached' && how === 'status' && !status) found.status = t.needStatus;
    setProblems(found);
    register.reset();
    if (Object.keys(found).length || !parsed.success) return;
    register.mutate(parsed.data);
  };
  const submitReached = (e: FormEvent) => {
    e.preventDefault();
    send('reached');
  };

  const unfielded = register.error && !Object.keys(reasonsOf(register.error)).length ? register.error : undefined;
  const headingId = `${id}-name`;
  const last = row.lastAttempt;
  return (
    // The card's look only: Designsystemet's Card would make the whole card a click on the heading's link, and this one holds a form.
    <article className="ds-card ot-call" data-color="neutral" aria-labelledby={headingId}>
      <Heading level={3} data-size="xs" id={headingId}>
        <Link to={`/saker/${row.caseId}`} className="ds-link">
          {row.name}
        </Link>
      </Heading>
      <dl className="ot-call__facts">
        <dt>{t.mobile}</dt>
        <dd>
          {row.mobile ? (
            <>
              <TelLink number={row.mobile} />{' '}
              {row.mobileWrong && (
                <Tag data-color="danger" data-size="sm">
                  {t.wrong}
                </Tag>
              )}
            </>
          ) : (
            t.noMobile
          )}
        </dd>
        <dt>{t.otherNumbers}</dt>
        <dd>
          {row.otherNumbers.length
            ? row.otherNumbers.map((n, i) => (
                <span key={n}>
                  {i > 0 && ', '}
                  <TelLink number={n} />
                </span>
              ))
            : t.none}
        </dd>
        <dt>{t.lastAttempt}</dt>
        <dd>
          {last ? `${formatDateTime(last.at, lang)}: ${t.results[last.result] ?? last.result}${last.by ? ` (${t.by} ${last.by})` : ''}` : t.never}
        </dd>
        <dt>{t.attempts}</dt>
        <dd>{row.attempts}</dd>
        {showCaller && (
          <>
            <dt>{t.caller}</dt>
            <dd>{row.staff ?? t.unshared}</dd>
          </>
        )}
        {row.moved && (
          <>
            <dt>{t.moved}</dt>
            <dd>
              {t.movedText(row.moved.from ?? t.unshared, formatDateTime(row.moved.at, lang), row.moved.by, row.moved.reason === 'staff-removed')}
            </dd>
          </>
        )}
        {row.notes.length > 0 && (
          <>
            <dt>{t.notes}</dt>
            <dd>
              <ul className="ot-call__notes">
                {row.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      {mayCall && (
        <form className="ot-stack ot-call__form" onSubmit={submitReached} noValidate aria-label={t.callOf(row.name)}>
          <Textfield
            label={t.note}
            description={t.noteHelp}
            multiline
            rows={2}
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
              // What was said about the note before is about a note no longer there.
              if (problems.note) setProblems({ ...problems, note: undefined });
            }}
            error={problems.note}
          />
          <div className="ot-call__buttons">
            <Button type="button" variant="secondary" onClick={() => send('notReached')} disabled={register.isPending}>
              {t.notReached}
            </Button>
            <Button type="button" variant="secondary" onClick={() => send('wrongNumber')} disabled={register.isPending}>
              {t.wrongNumber}
            </Button>
            <Button
              type="button"
              variant={reachedOpen ? 'primary' : 'secondary'}
              aria-expanded={reachedOpen}
              onClick={() => setReachedOpen(!reachedOpen)}
            >
              {t.reached}
            </Button>
          </div>
          {reachedOpen && (
            <Fieldset className="ot-call__reached">
              <Fieldset.Legend>{t.reachedLegend}</Fieldset.Legend>
              <Radio name={`${id}-how`} value="status" label={t.setStatus} checked={how === 'status'} onChange={() => setHow('status')} />
              <Radio name={`${id}-how`} value="forward" label={t.forward} checked={how === 'forward'} onChange={() => setHow('forward')} />
              {how === 'status' ? (
                <Field>
                  <Label>{t.status}</Label>
                  <Select value={status} onChange={(e) => setStatus(e.target.value)} aria-invalid={problems.status ? true : undefined}>
                    <Select.Option value="">{t.chooseStatus}</Select.Option>
                    {OUTCOME_GROUPS.map((g) => (
                      <Select.Optgroup key={g} label={`${g} ${GROUP_NAMES[lang][g]}`}>
                        {OT_STATUS_GROUPS[g].map((code) => (
                          <Select.Option key={code} value={code}>
                            {statusLabel(code, lang)}
                          </Select.Option>
                        ))}
                      </Select.Optgroup>
                    ))}
                  </Select>
                  {problems.status && <ValidationMessage>{problems.status}</ValidationMessage>}
                </Field>
              ) : (
                <>
                  <Textfield
                    label={t.forwardTo}
                    description={t.forwardHelp}
                    value={forwardTo}
                    onChange={(e) => setForwardTo(e.target.value)}
                    list={`${id}-staff`}
                    autoComplete="off"
                    error={problems.forwardTo}
                  />
                  <datalist id={`${id}-staff`}>
                    {staff.map((s) => (
                      <option key={s} value={s} />
                    ))}
                  </datalist>
                </>
              )}
              <div className="ot-call__buttons">
                <Button type="submit" loading={register.isPending}>
                  {t.register}
                </Button>
                <Button type="button" variant="tertiary" onClick={() => setReachedOpen(false)}>
                  {t.cancel}
                </Button>
              </div>
            </Fieldset>
          )}
          {unfielded && (
            <Alert data-color="danger" role="alert">
              <Heading level={4} data-size="2xs">
                {t.failed}
              </Heading>
              <Paragraph>{unfielded.message}</Paragraph>
            </Alert>
          )}
        </form>
      )}
      {footer}
    </article>
  );
}
