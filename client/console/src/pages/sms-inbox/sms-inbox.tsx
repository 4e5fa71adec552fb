import { Alert, Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { post, get } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { formatDateTime, formatNumber } from '../../format';
import { useLanguage, useText, type Language, type Texts } from '../../i18n';
import { useMay } from '../../session';
import { SCHOOL_YEAR_PARAM, schoolYearOf } from '../../school-year';
import type { Inbox, InboxEntry } from '../../../../../schemas/api/calls';
import type { CaseRow } from '../../../../../schemas/api/cases';
import { CaseSearch } from './case-search';
import './sms-inbox.css';

const INBOX_KEY = ['sms', 'inbox'] as const;
const POLL_MS = 5000;

const TEXT: Texts<{
  heading: string;
  intro: string;
  waiting: (n: string) => string;
  empty: string;
  from: string;
  received: string;
  why: string;
  find: string;
  close: string;
  assigned: (mobile: string, name: string) => string;
  assignFailed: string;
  listFailed: string;
  reasons: (reason: string) => string;
}> = {
  nn: {
    heading: 'Svar som ventar',
    intro: 'SMS-svar som ikkje fann saka si sjølv: finn saka og gi svaret til henne, så vert det registrert som svar på SMS.',
    waiting: (n) => `${n} svar ventar`,
    empty: 'Ingen svar ventar no.',
    from: 'Frå',
    received: 'Motteke',
    why: 'Kvifor det ventar',
    find: 'Finn saka',
    close: 'Lukk søket',
    assigned: (mobile, name) => `Svaret frå ${mobile} er gitt til saka til ${name}.`,
    assignFailed: 'Svaret vart ikkje gitt til saka',
    listFailed: 'Svara kunne ikkje hentast',
    reasons: (reason) => {
      if (reason === 'no open case has this mobile number') return 'Inga open sak har dette mobilnummeret.';
      const several = /^(\d+) open cases have this mobile number$/.exec(reason);
      if (several) return `${several[1]} opne saker har dette mobilnummeret.`;
      const refused = /^the case did not take the reply: (.*)$/.exec(reason);
      if (refused) return `Saka tok ikkje imot svaret: ${refused[1]}`;
      return reason;
    },
  },
  nb: {
    heading: 'Svar som venter',
    intro: 'SMS-svar som ikke fant saken sin selv: finn saken og gi svaret til den, så blir det registrert som svar på SMS.',
    waiting: (n) => `${n} svar venter`,
    empty: 'Ingen svar venter nå.',
    from: 'Fra',
    received: 'Mottatt',
    why: 'Hvorfor det venter',
    find: 'Finn saken',
    close: 'Lukk søket',
    assigned: (mobile, name) => `Svaret fra ${mobile} er gitt til saken til ${name}.`,
    assignFailed: 'Svaret ble ikke gitt til saken',
    listFailed: 'Svarene kunne ikke hentes',
    reasons: (reason) => {
      if (reason === 'no open case has this mobile number') return 'Ingen åpen sak har dette mobilnummeret.';
      const several = /^(\d+) open cases have this mobile number$/.exec(reason);
      if (several) return `${several[1]} åpne saker har dette mobilnummeret.`;
      const refused = /^the case did not take the reply: (.*)$/.exec(reason);
      if (refused) return `Saken tok ikke imot svaret: ${refused[1]}`;
      return reason;
    },
  },
};

/**
 * The SMS inbox: replies that matched no case by themselves (or several), oldest first, asked again every few seconds.
 * Each can be given to its case once it is found.
 */
export function SmsInbox() {
  const t = useText(TEXT);
  const lang = useLanguage();
  const maySearch = useMay('cases.search');
  const mayAssign = useMay('sms.inbox.assign') && maySearch;
  const [params] = useSearchParams();
  const schoolYear = schoolYearOf(params.get(SCHOOL_YEAR_PARAM));
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | undefined>();
  const [announced, setAnnounced] = useState('');
  const announcement = useRef<HTMLParagraphElement>(null);

  const inbox = useQuery({ queryKey: INBOX_KEY, queryFn: () => get<Inbox>('/sms/inbox'), refetchInterval: POLL_MS });
  const entries = inbox.data?.entries ?? [];

  return (
    <div className="ot-stack">
      <Heading level={2} data-size="md">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <p ref={announcement} role="status" tabIndex={-1} className="ot-inbox__announcement">
        {announced}
      </p>
      {inbox.isPending && <Loading />}
      {inbox.isError && <Failure error={inbox.error} what={t.listFailed} />}
      {inbox.data && (
        <section className="ot-stack" aria-labelledby="ot-inbox-count">
          <Heading level={3} data-size="sm" id="ot-inbox-count">
            {entries.length ? t.waiting(formatNumber(entries.length, lang)) : t.empty}
          </Heading>
          <ul className="ot-inbox">
            {entries.map((e) => (
              <li key={e.inboundId}>
                <Entry
                  entry={e}
                  lang={lang}
                  searching={open === e.inboundId}
                  mayAssign={mayAssign}
                  schoolYear={schoolYear}
                  onToggle={() => setOpen(open === e.inboundId ? undefined : e.inboundId)}
                  onAssigned={(found) => {
                    setOpen(undefined);
                    setAnnounced(t.assigned(e.mobile, found.name));
                    void queryClient.invalidateQueries({ queryKey: INBOX_KEY });
                    requestAnimationFrame(() => announcement.current?.focus());
                  }}
                  onConflict={() => void queryClient.invalidateQueries({ queryKey: INBOX_KEY })}
                />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function Entry({
  entry,
  lang,
  searching,
  mayAssign,
  schoolYear,
  onToggle,
  onAssigned,
  onConflict,
}: {
  entry: InboxEntry;
  lang: Language;
  searching: boolean;
  mayAssign: boolean;
  schoolYear: number;
  onToggle: () => void;
  onAssigned: (c: CaseRow) => void;
  onConflict: () => void;
}) {
  const t = useText(TEXT);
  const id = useId();
  const key = useRef<{ caseId: string; key: string } | undefined>(undefined);
  const assign = useMutation({
    mutationFn: (c: CaseRow) => {
      if (key.current?.caseId !== c.caseId) key.current = { caseId: c.caseId, key: crypto.randomUUID() };
      return post<InboxEntry>(`/sms/inbox/${encodeURIComponent(entry.inboundId)}/assign`, { caseId: c.caseId }, { idempotencyKey: key.current.key });
    },
    onSuccess: (_, c) => onAssigned(c),
    onError: onConflict,
  });
  return (
    // The card's look only: Designsystemet's Card would make the whole card a click on the heading's tel: link.
    <article className="ds-card ot-inbox__entry" data-color="neutral" aria-labelledby={`${id}-h`}>
      <Heading level={3} data-size="xs" id={`${id}-h`}>
        {t.from}{' '}
        <a className="ds-link" href={`tel:${entry.mobile}`}>
          {entry.mobile}
        </a>
      </Heading>
      <blockquote className="ot-inbox__text">{entry.text}</blockquote>
      <dl className="ot-inbox__facts">
        <dt>{t.received}</dt>
        <dd>{formatDateTime(entry.receivedAt, lang)}</dd>
        {entry.reason && (
          <>
            <dt>{t.why}</dt>
            <dd>{t.reasons(entry.reason)}</dd>
          </>
        )}
      </dl>
      {mayAssign && (
        <div>
          <Button variant={searching ? 'tertiary' : 'secondary'} aria-expanded={searching} onClick={onToggle}>
            {searching ? t.close : t.find}
          </Button>
        </div>
      )}
      {searching && <CaseSearch initialYear={schoolYear} onAssign={(c) => assign.mutate(c)} assigning={assign.isPending} />}
      {assign.error && (
        <Alert data-color="danger" role="alert">
          <Heading level={4} data-size="2xs">
            {t.assignFailed}
          </Heading>
          <Paragraph>{assign.error.message}</Paragraph>
        </Alert>
      )}
    </article>
  );
}
