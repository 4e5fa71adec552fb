import { Alert, Button, Heading, Link, Paragraph, Table, Textfield } from '@digdir/designsystemet-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link as RouterLink } from 'react-router';
import { ApiError, call, post } from '../../api';
import { Failure } from '../../components/query-state';
import { useText, type Texts } from '../../i18n';
import { reasonsOf, SchoolYearField, type SchoolYearState } from './common';
import type { MailingResultAnswer, SmsCampaignAnswer } from '../../../../../schemas/api/operator';

const TEXT: Texts<{
  heading: string;
  intro: string;
  unit: string;
  unitHelp: string;
  campaignHeading: string;
  campaignIntro: string;
  start: string;
  startFailed: string;
  campaignResult: (a: SmsCampaignAnswer) => string;
  noMobileCaption: string;
  name: string;
  caseId: string;
  exportHeading: string;
  exportIntro: string;
  export: string;
  exportFailed: string;
  exported: (messages: number) => string;
  download: (unit: string) => string;
  confirmHeading: string;
  confirmIntro: string;
  sentOn: string;
  sentOnHelp: string;
  confirm: string;
  confirmFailed: string;
  confirmed: (a: MailingResultAnswer) => string;
}> = {
  nn: {
    heading: 'SMS-utsendinga',
    intro: 'SMS til dei som framleis har ukjend aktivitet etter breva. Ingen får same SMS to gonger.',
    unit: 'OT-eining',
    unitHelp: 'Einingskoden, til dømes 12250.',
    campaignHeading: '1. Start kampanjen',
    campaignIntro: 'Legg SMS-ane til eininga i utboksen (eller send dei med SMS-portalen med ein gong, om han er sett opp).',
    start: 'Start SMS-kampanjen',
    startFailed: 'Kampanjen kunne ikkje startast',
    campaignResult: (a) =>
      `Sende: ${a.sent}. I utboksen: ${a.queued}. Feila: ${a.failed}. Lagt i utboksen før: ${a.already}. Utan mobilnummer: ${a.noMobile}.`,
    noMobileCaption: 'Utan mobilnummer: nå dei på anna vis',
    name: 'Namn',
    caseId: 'Sak',
    exportHeading: '2. Eksporter fila',
    exportIntro: 'Fila til masse-SMS-verktøyet. Kvar melding kjem med éin gong; ein ny eksport tek berre med nye meldingar.',
    export: 'Eksporter SMS-fila',
    exportFailed: 'Eksporten gjekk ikkje',
    exported: (messages) => `Fila har ${messages} meldingar.`,
    download: (unit) => `Last ned sms-${unit}.csv`,
    confirmHeading: '3. Stadfest at SMS-ane er sende',
    confirmIntro: 'Når fila er send: sakene blir registrerte med SMS sendt.',
    sentOn: 'Sendt',
    sentOnHelp: 'Dato (2026-09-24) eller dato og klokkeslett (2026-09-24T10:00), ikkje fram i tid.',
    confirm: 'Stadfest sendinga',
    confirmFailed: 'Sendinga vart ikkje stadfesta',
    confirmed: (a) =>
      a.firstConfirmation ? `Stadfesta: ${a.cases} saker er registrerte med SMS sendt.` : `Denne sendinga var stadfesta før (${a.cases} saker).`,
  },
  nb: {
    heading: 'SMS-utsendelsen',
    intro: 'SMS til dem som fortsatt har ukjent aktivitet etter brevene. Ingen får samme SMS to ganger.',
    unit: 'OT-enhet',
    unitHelp: 'Enhetskoden, for eksempel 12250.',
    campaignHeading: '1. Start kampanjen',
    campaignIntro: 'Legger enhetens SMS-er i utboksen (eller sender dem med SMS-portalen med en gang, om den er satt opp).',
    start: 'Start SMS-kampanjen',
    startFailed: 'Kampanjen kunne ikke startes',
    campaignResult: (a) =>
      `Sendt: ${a.sent}. I utboksen: ${a.queued}. Feilet: ${a.failed}. Lagt i utboksen før: ${a.already}. Uten mobilnummer: ${a.noMobile}.`,
    noMobileCaption: 'Uten mobilnummer: nå dem på annen måte',
    name: 'Navn',
    caseId: 'Sak',
    exportHeading: '2. Eksporter filen',
    exportIntro: 'Filen til masse-SMS-verktøyet. Hver melding kommer med én gang; en ny eksport tar bare med nye meldinger.',
    export: 'Eksporter SMS-filen',
    exportFailed: 'Eksporten mislyktes',
    exported: (messages) => `Filen har ${messages} meldinger.`,
    download: (unit) => `Last ned sms-${unit}.csv`,
    confirmHeading: '3. Bekreft at SMS-ene er sendt',
    confirmIntro: 'Når filen er sendt: sakene registreres med SMS sendt.',
    sentOn: 'Sendt',
    sentOnHelp: 'Dato (2026-09-24) eller dato og klokkeslett (2026-09-24T10:00), ikke frem i tid.',
    confirm: 'Bekreft sendingen',
    confirmFailed: 'Sendingen ble ikke bekreftet',
    confirmed: (a) =>
      a.firstConfirmation ? `Bekreftet: ${a.cases} saker er registrert med SMS sendt.` : `Denne sendingen var bekreftet før (${a.cases} saker).`,
  },
};

/** Today in Europe/Oslo, as the confirmation's default. */
function todayInOslo(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
}

/** A fresh idempotency key (getRandomValues works on a plain-http address too, where randomUUID does not). */
function newKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const FIELDS = ['schoolYear', 'unit', 'sentOn'] as const;

/** A unit's SMS campaign: start it, export the outbox for the bulk SMS tool, confirm the export went. */
export function SmsTab(year: SchoolYearState) {
  const t = useText(TEXT);
  const [unit, setUnit] = useState('');
  const [sentOn, setSentOn] = useState(todayInOslo);
  // One key per export: a retry of the same export after a lost answer (no answer, or a server fault) gets the same
  // file, where a new key would find the messages exported already. An answer (the file, or a refusal) ends the key.
  const [exportKey, setExportKey] = useState<{ key: string; body: string }>();
  const [file, setFile] = useState<{ url: string; unit: string; messages: number }>();
  const body = { schoolYear: year.schoolYear, unit: unit.trim() };

  const campaign = useMutation({ mutationFn: () => post<SmsCampaignAnswer>('/sms/campaign', body) });
  const exportSms = useMutation({
    mutationFn: async (key: string) => (await call<string>('POST', '/sms/export', body, { idempotencyKey: key })).data,
    onError: (err) => {
      if (err instanceof ApiError && err.status > 0 && err.status < 500) setExportKey(undefined);
    },
    onSuccess: (csv) => {
      setExportKey(undefined);
      const messages = Math.max(csv.trim().split('\n').length - 1, 0);
      setFile({ url: URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' })), unit: body.unit, messages });
    },
  });
  const confirm = useMutation({ mutationFn: () => post<MailingResultAnswer>('/sms/confirm', { ...body, sentOn: sentOn.trim() }) });
  useEffect(() => () => (file ? URL.revokeObjectURL(file.url) : undefined), [file]);

  // The reasons beside the shared fields are those of the step asked last, if it failed; each step keeps its own result.
  const latest = [campaign, exportSms, confirm].reduce((a, b) => (b.submittedAt > a.submittedAt ? b : a));
  const shared = reasonsOf(latest.error, FIELDS);
  const own = (m: typeof campaign | typeof exportSms | typeof confirm) => (m.error ? reasonsOf(m.error, FIELDS).rest : undefined);

  const start = (e: FormEvent) => {
    e.preventDefault();
    campaign.mutate();
  };
  const doExport = () => {
    const same = JSON.stringify(body);
    const key = exportKey?.body === same ? exportKey.key : newKey();
    setExportKey({ key, body: same });
    exportSms.mutate(key);
  };
  const doConfirm = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate();
  };

  return (
    <section className="ot-stack" aria-labelledby="sms-heading">
      <Heading level={3} data-size="sm" id="sms-heading">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <div className="ot-row">
        <SchoolYearField {...year} error={shared.by.schoolYear} />
        <Textfield
          label={t.unit}
          description={t.unitHelp}
          name="unit"
          inputMode="numeric"
          value={unit}
          onChange={(e) => setUnit(e.target.value)}
          error={shared.by.unit}
          className="ot-field-short"
        />
      </div>

      <form onSubmit={start} className="ot-stack ot-step" aria-labelledby="sms-campaign-heading">
        <Heading level={4} data-size="xs" id="sms-campaign-heading">
          {t.campaignHeading}
        </Heading>
        <Paragraph>{t.campaignIntro}</Paragraph>
        {own(campaign) && <Failure error={own(campaign)!} what={t.startFailed} />}
        {campaign.data && (
          <Alert data-color="success" role="status">
            <Paragraph>{t.campaignResult(campaign.data)}</Paragraph>
          </Alert>
        )}
        {campaign.data && campaign.data.noMobileCases.length > 0 && (
          <Table>
            <caption>{t.noMobileCaption}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell scope="col">{t.name}</Table.HeaderCell>
                <Table.HeaderCell scope="col">{t.caseId}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {campaign.data.noMobileCases.map((c) => (
                <Table.Row key={c.caseId}>
                  <Table.Cell>{c.name}</Table.Cell>
                  <Table.Cell>
                    <RouterLink to={`/saker/${c.caseId}`} className="ds-link">
                      {c.caseId}
                    </RouterLink>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
        <div>
          <Button type="submit" loading={campaign.isPending}>
            {t.start}
          </Button>
        </div>
      </form>

      <section className="ot-stack ot-step" aria-labelledby="sms-export-heading">
        <Heading level={4} data-size="xs" id="sms-export-heading">
          {t.exportHeading}
        </Heading>
        <Paragraph>{t.exportIntro}</Paragraph>
        {own(exportSms) && <Failure error={own(exportSms)!} what={t.exportFailed} />}
        {file && (
          <Alert data-color="success" role="status">
            <Paragraph>{t.exported(file.messages)}</Paragraph>
            <Paragraph>
              <Link href={file.url} download={`sms-${file.unit}.csv`}>
                {t.download(file.unit)}
              </Link>
            </Paragraph>
          </Alert>
        )}
        <div>
          <Button type="button" variant="secondary" onClick={doExport} loading={exportSms.isPending}>
            {t.export}
          </Button>
        </div>
      </section>

      <form onSubmit={doConfirm} className="ot-stack ot-step" aria-labelledby="sms-confirm-heading" noValidate>
        <Heading level={4} data-size="xs" id="sms-confirm-heading">
          {t.confirmHeading}
        </Heading>
        <Paragraph>{t.confirmIntro}</Paragraph>
        <Textfield
          label={t.sentOn}
          description={t.sentOnHelp}
          name="sentOn"
          value={sentOn}
          onChange={(e) => setSentOn(e.target.value)}
          error={shared.by.sentOn}
          className="ot-field-short"
        />
        {own(confirm) && <Failure error={own(confirm)!} what={t.confirmFailed} />}
        {confirm.data && (
          <Alert data-color="success" role="status">
            <Paragraph>{t.confirmed(confirm.data)}</Paragraph>
          </Alert>
        )}
        <div>
          <Button type="submit" variant="secondary" loading={confirm.isPending}>
            {t.confirm}
          </Button>
        </div>
      </form>
    </section>
  );
}
