import { Alert, Button, Fieldset, Heading, Paragraph, Radio, Select, Textfield } from '@digdir/designsystemet-react';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Action } from '../../../../../domain/access-policy';
import { useLanguage, useText, type Texts } from '../../i18n';
import { useMe } from '../../session';
import type { CaseRequestName as RequestName } from '../../../../../schemas/api/cases';
import type { CaseDetail } from './case-api';
import { CaseRequestAlerts, useCaseRequest } from './case-request';
import { CHANNEL_NAMES, CHANNELS, CONTACT_SOURCES, SOURCE_NAMES } from './case-words';
import { SelectField, StatusOptions } from './fields';

/** The forms a case page offers: each with the request(s) of `accepts` it needs and the policy action the user must have. */
const FORMS = [
  { form: 'outcome', needs: ['outcome'], action: 'case.outcome' },
  { form: 'reply', needs: ['reply'], action: 'case.reply' },
  { form: 'call', needs: ['callNotReached', 'callWrongNumber'], action: 'case.call' },
  { form: 'claim', needs: ['claim'], action: 'case.claim' },
  { form: 'contact', needs: ['contact'], action: 'case.contact' },
  { form: 'returnedLetter', needs: ['returnedLetter'], action: 'case.returnedLetter' },
] as const satisfies readonly { form: string; needs: readonly RequestName[]; action: Action }[];
type FormName = (typeof FORMS)[number]['form'];

const TEXT: Texts<{
  heading: string;
  nothing: string;
  open: Record<FormName, string>;
  submit: Record<FormName, string>;
  cancel: string;
  status: string;
  choose: string;
  channel: string;
  note: string;
  noteHelp: string;
  forwardTo: string;
  forwardToHelp: string;
  claimCaseworker: string;
  claimCaseworkerHelp: (me: string) => string;
  kind: string;
  mobile: string;
  address: string;
  street: string;
  postcode: string;
  city: string;
  source: string;
  result: string;
  notReached: string;
  wrongNumber: string;
  callHelp: string;
  returnedHelp: string;
  done: (what: string) => string;
  notNow: string;
}> = {
  nn: {
    heading: 'Registrer på saka',
    nothing: 'Saka tek ikkje imot noko du kan registrere no.',
    open: {
      outcome: 'Set utfall',
      reply: 'Registrer svar',
      call: 'Registrer telefonsamtale',
      claim: 'Ta saka',
      contact: 'Nye kontaktopplysningar',
      returnedLetter: 'Brev i retur',
    },
    submit: {
      outcome: 'Lagre utfallet',
      reply: 'Lagre svaret',
      call: 'Lagre samtalen',
      claim: 'Ta saka',
      contact: 'Lagre kontaktopplysningane',
      returnedLetter: 'Registrer brevet som returnert',
    },
    cancel: 'Avbryt',
    status: 'Kva gjer ungdommen (UDIR-kode)',
    choose: 'Vel …',
    channel: 'Kanal',
    note: 'Notat',
    noteHelp: 'Skriv aldri fødselsnummer i notatet.',
    forwardTo: 'Send vidare til saksbehandlar',
    forwardToHelp: 'Tomt: saksbehandlaren saka har no.',
    claimCaseworker: 'Saksbehandlar',
    claimCaseworkerHelp: (me) => `Tomt: du (${me}).`,
    kind: 'Kva er nytt',
    mobile: 'Mobilnummer',
    address: 'Adresse',
    street: 'Gateadresse',
    postcode: 'Postnummer',
    city: 'Poststad',
    source: 'Kjelde',
    result: 'Korleis gjekk samtalen',
    notReached: 'Fekk ikkje tak i ungdommen',
    wrongNumber: 'Feil nummer',
    callHelp: 'Nådde du ungdommen, registrer svaret eller set utfallet.',
    returnedHelp: 'Brevet blir sendt på nytt til den andre adressa, elles ventar saka på ny adresse.',
    done: (what) => `Registrert: ${what}.`,
    notNow: 'Saka tek ikkje imot dette no',
  },
  nb: {
    heading: 'Registrer på saken',
    nothing: 'Saken tar ikke imot noe du kan registrere nå.',
    open: {
      outcome: 'Sett utfall',
      reply: 'Registrer svar',
      call: 'Registrer telefonsamtale',
      claim: 'Ta saken',
      contact: 'Nye kontaktopplysninger',
      returnedLetter: 'Brev i retur',
    },
    submit: {
      outcome: 'Lagre utfallet',
      reply: 'Lagre svaret',
      call: 'Lagre samtalen',
      claim: 'Ta saken',
      contact: 'Lagre kontaktopplysningene',
      returnedLetter: 'Registrer brevet som returnert',
    },
    cancel: 'Avbryt',
    status: 'Hva gjør ungdommen (UDIR-kode)',
    choose: 'Velg …',
    channel: 'Kanal',
    note: 'Notat',
    noteHelp: 'Skriv aldri fødselsnummer i notatet.',
    forwardTo: 'Send videre til saksbehandler',
    forwardToHelp: 'Tomt: saksbehandleren saken har nå.',
    claimCaseworker: 'Saksbehandler',
    claimCaseworkerHelp: (me) => `Tomt: du (${me}).`,
    kind: 'Hva er nytt',
    mobile: 'Mobilnummer',
    address: 'Adresse',
    street: 'Gateadresse',
    postcode: 'Postnummer',
    city: 'Poststed',
    source: 'Kilde',
    result: 'Hvordan gikk samtalen',
    notReached: 'Fikk ikke tak i ungdommen',
    wrongNumber: 'Feil nummer',
    callHelp: 'Nådde du ungdommen, registrer svaret eller sett utfallet.',
    returnedHelp: 'Brevet sendes på nytt til den andre adressen, ellers venter saken på ny adresse.',
    done: (what) => `Registrert: ${what}.`,
    notNow: 'Saken tar ikke imot dette nå',
  },
};

/**
 * The requests of a case as forms: only those the case takes now (`accepts`, its refusal query) and the user's
 * role may make (allowedActions). A form remembers the case version it was opened on and sends it as If-Match.
 */
export function CaseActions({ detail }: { detail: CaseDetail }) {
  const t = useText(TEXT);
  const me = useMe();
  const [open, setOpen] = useState<{ form: FormName; version?: number } | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const accepted = (r: RequestName) => detail.accepts?.[r]?.accepted === true;
  const offered = FORMS.filter((f) => me.allowedActions.includes(f.action) && f.needs.some(accepted));
  // A form stays open (with what was typed) even if the case changed so that it no longer takes it: it says so.
  const openForm = open && FORMS.find((f) => f.form === open.form);
  const panelId = useId();

  return (
    <section aria-labelledby="case-actions" className="ot-stack">
      <Heading level={3} data-size="xs" id="case-actions">
        {t.heading}
      </Heading>
      {done && (
        <Alert data-color="success" role="status">
          <Paragraph>{done}</Paragraph>
        </Alert>
      )}
      {offered.length === 0 && !open && <Paragraph>{t.nothing}</Paragraph>}
      <div className="ot-row">
        {offered.map((f) => (
          <Button
            key={f.form}
            variant={open?.form === f.form ? 'primary' : 'secondary'}
            aria-expanded={open?.form === f.form}
            aria-controls={open?.form === f.form ? panelId : undefined}
            onClick={() => {
              setDone(undefined);
              setOpen(open?.form === f.form ? undefined : { form: f.form, version: detail.version });
            }}
          >
            {t.open[f.form]}
          </Button>
        ))}
      </div>
      {open && openForm && (
        <div id={panelId} className="ot-case-form">
          {!openForm.needs.some(accepted) && detail.accepts && (
            <Alert data-color="warning">
              <Paragraph>
                {t.notNow}: {refusalOf(detail, openForm.needs)}
              </Paragraph>
            </Alert>
          )}
          <RequestForm
            key={open.form}
            form={open.form}
            detail={detail}
            version={open.version}
            onVersion={(version) => setOpen({ form: open.form, version })}
            onCancel={() => setOpen(undefined)}
            onDone={() => {
              setDone(t.done(t.open[open.form]));
              setOpen(undefined);
            }}
          />
        </div>
      )}
    </section>
  );
}

/** The case's reason for not taking any of these requests now. */
function refusalOf(detail: CaseDetail, needs: readonly RequestName[]): string | undefined {
  for (const r of needs) {
    const answer = detail.accepts?.[r];
    if (answer && !answer.accepted) return answer.reason;
  }
  return undefined;
}

interface FormProps {
  form: FormName;
  detail: CaseDetail;
  version: number | undefined;
  onVersion: (version: number | undefined) => void;
  onCancel: () => void;
  onDone: () => void;
}

/** The API's path of each form's request. */
const PATHS: Record<FormName, string> = {
  outcome: 'outcome',
  reply: 'reply',
  call: 'call',
  claim: 'claim',
  contact: 'contact',
  returnedLetter: 'returned-letter',
};

/** One form: its fields, the request with If-Match, and what the API answered (field reasons, a refusal, a conflict). */
function RequestForm({ form, detail, version, onVersion, onCancel, onDone }: FormProps) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const me = useMe();
  const [v, setV] = useState({
    status: form === 'claim' ? 'OTOV' : '',
    channel: 'phone',
    note: '',
    forwardTo: '',
    caseworker: '',
    kind: 'mobile',
    mobile: '',
    street: '',
    postcode: '',
    city: '',
    source: 'youth',
    result: detail.accepts?.callNotReached.accepted === false ? 'wrongNumber' : 'notReached',
  });
  const set = (field: keyof typeof v) => (value: string) => setV((old) => ({ ...old, [field]: value }));
  // Opened from its button: the keyboard goes on in the form's first field.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('select, input, textarea, button')?.focus();
  }, []);

  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  const body = (): Record<string, unknown> => {
    const note = opt(v.note);
    switch (form) {
      case 'outcome':
        return { status: opt(v.status), channel: v.channel, note };
      case 'reply':
        return { channel: v.channel, forwardTo: opt(v.forwardTo), note };
      case 'claim':
        return { status: v.status, caseworker: opt(v.caseworker), note };
      case 'call':
        return { result: v.result, note };
      case 'returnedLetter':
        return { note };
      case 'contact':
        return v.kind === 'mobile'
          ? { mobile: v.mobile, source: v.source, note }
          : { address: { street: v.street, postcode: v.postcode, city: v.city }, source: v.source, note };
    }
  };

  const answer = useCaseRequest({ detail, path: PATHS[form], version, onVersion, onDone });
  const { request, reasons } = answer;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate(body());
  };

  const note = (
    <Textfield
      label={t.note}
      description={t.noteHelp}
      name="note"
      multiline
      rows={3}
      value={v.note}
      onChange={(e) => set('note')(e.target.value)}
      error={reasons.note}
    />
  );
  const channel = (
    <SelectField label={t.channel} name="channel" value={v.channel} onChange={set('channel')} error={reasons.channel}>
      {CHANNELS.map((c) => (
        <Select.Option key={c} value={c}>
          {CHANNEL_NAMES[lang][c]}
        </Select.Option>
      ))}
    </SelectField>
  );

  let fields: ReactNode;
  switch (form) {
    case 'outcome':
      fields = (
        <>
          <SelectField label={t.status} name="status" value={v.status} onChange={set('status')} error={reasons.status}>
            <Select.Option value="">{t.choose}</Select.Option>
            <StatusOptions groups={[2, 3, 4, 5]} />
          </SelectField>
          {channel}
        </>
      );
      break;
    case 'reply':
      fields = (
        <>
          {channel}
          <Textfield
            label={t.forwardTo}
            description={t.forwardToHelp}
            name="forwardTo"
            value={v.forwardTo}
            onChange={(e) => set('forwardTo')(e.target.value)}
            error={reasons.forwardTo}
          />
        </>
      );
      break;
    case 'claim':
      fields = (
        <>
          <SelectField label={t.status} name="status" value={v.status} onChange={set('status')} error={reasons.status}>
            <StatusOptions groups={[2, 3, 4]} />
          </SelectField>
          <Textfield
            label={t.claimCaseworker}
            description={t.claimCaseworkerHelp(me.displayName)}
            name="caseworker"
            value={v.caseworker}
            onChange={(e) => set('caseworker')(e.target.value)}
            error={reasons.caseworker}
          />
        </>
      );
      break;
    case 'call':
      fields = (
        <Fieldset>
          <Fieldset.Legend>{t.result}</Fieldset.Legend>
          <Fieldset.Description>{t.callHelp}</Fieldset.Description>
          {detail.accepts?.callNotReached.accepted !== false && (
            <Radio
              name="result"
              value="notReached"
              label={t.notReached}
              checked={v.result === 'notReached'}
              onChange={() => set('result')('notReached')}
            />
          )}
          {detail.accepts?.callWrongNumber.accepted !== false && (
            <Radio
              name="result"
              value="wrongNumber"
              label={t.wrongNumber}
              checked={v.result === 'wrongNumber'}
              onChange={() => set('result')('wrongNumber')}
            />
          )}
        </Fieldset>
      );
      break;
    case 'returnedLetter':
      fields = <Paragraph>{t.returnedHelp}</Paragraph>;
      break;
    case 'contact':
      fields = (
        <>
          <Fieldset>
            <Fieldset.Legend>{t.kind}</Fieldset.Legend>
            <Radio name="kind" value="mobile" label={t.mobile} checked={v.kind === 'mobile'} onChange={() => set('kind')('mobile')} />
            <Radio name="kind" value="address" label={t.address} checked={v.kind === 'address'} onChange={() => set('kind')('address')} />
          </Fieldset>
          {v.kind === 'mobile' ? (
            <Textfield
              label={t.mobile}
              name="mobile"
              type="tel"
              autoComplete="off"
              value={v.mobile}
              onChange={(e) => set('mobile')(e.target.value)}
              error={reasons.mobile}
            />
          ) : (
            <>
              <Textfield
                label={t.street}
                name="street"
                value={v.street}
                onChange={(e) => set('street')(e.target.value)}
                error={reasons['address.street'] ?? reasons.address}
              />
              <Textfield
                label={t.postcode}
                name="postcode"
                inputMode="numeric"
                value={v.postcode}
                onChange={(e) => set('postcode')(e.target.value)}
                error={reasons['address.postcode']}
              />
              <Textfield label={t.city} name="city" value={v.city} onChange={(e) => set('city')(e.target.value)} error={reasons['address.city']} />
            </>
          )}
          <SelectField label={t.source} name="source" value={v.source} onChange={set('source')} error={reasons.source}>
            {CONTACT_SOURCES.map((s) => (
              <Select.Option key={s} value={s}>
                {SOURCE_NAMES[lang][s]}
              </Select.Option>
            ))}
          </SelectField>
        </>
      );
      break;
  }

  return (
    <form ref={formRef} onSubmit={submit} className="ot-stack ot-narrow" aria-label={t.open[form]} noValidate>
      <Heading level={4} data-size="2xs">
        {t.open[form]}
      </Heading>
      {fields}
      {note}
      <CaseRequestAlerts answer={answer} />
      <div className="ot-row">
        <Button type="submit" loading={request.isPending}>
          {t.submit[form]}
        </Button>
        <Button type="button" variant="tertiary" onClick={onCancel}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}
