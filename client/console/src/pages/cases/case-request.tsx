import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, call } from '../../api';
import { formatDateTime } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import { statusLabel } from '../../words';
import type { CaseState, CaseWithName } from '../../../../../schemas/api/cases';
import { etagOf, type CaseDetail } from './case-api';
import { EVENT_NAMES, STAGE_NAMES, named } from './case-words';

const TEXT: Texts<{
  refused: string;
  failed: string;
  conflict: string;
  conflictNow: (status: string, stage: string) => string;
  conflictLast: (event: string, by: string, at: string) => string;
  conflictKept: string;
}> = {
  nn: {
    refused: 'Saka tok ikkje imot dette',
    failed: 'Det gjekk ikkje å lagre',
    conflict: 'Nokon andre har endra saka medan du hadde skjemaet ope',
    conflictNow: (status, stage) => `Slik står saka no: status ${status}, steg «${stage}».`,
    conflictLast: (event, by, at) => `Sist registrert: ${event} av ${by}, ${at}.`,
    conflictKept: 'Det du skreiv er teke vare på. Sjå over saka og send på nytt om det framleis stemmer.',
  },
  nb: {
    refused: 'Saken tok ikke imot dette',
    failed: 'Det gikk ikke å lagre',
    conflict: 'Noen andre har endret saken mens du hadde skjemaet åpent',
    conflictNow: (status, stage) => `Slik står saken nå: status ${status}, steg «${stage}».`,
    conflictLast: (event, by, at) => `Sist registrert: ${event} av ${by}, ${at}.`,
    conflictKept: 'Det du skrev er tatt vare på. Se over saken og send på nytt om det fortsatt stemmer.',
  },
};

/**
 * One request a case form sends (POST /cases/:caseId/<path> with If-Match), shared by every form of the case page:
 * on success the case is read again (its answer has no journal) before onDone; a 409 puts the case as it is now on the
 * page and keeps the form, based on the new version; other failures give the API's reasons by field, or one unplaced.
 */
export function useCaseRequest(opts: {
  detail: CaseDetail;
  path: string;
  version: number | undefined;
  onVersion: (version: number | undefined) => void;
  onDone: () => void;
  /** Queries to read again as well after a success (the plan beside the case). */
  alsoRefresh?: readonly (readonly unknown[])[];
}) {
  const queryClient = useQueryClient();
  const key = ['case', opts.detail.caseId];
  const [conflict, setConflict] = useState<CaseWithName | undefined>();
  const request = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      call<CaseState>('POST', `/cases/${opts.detail.caseId}/${opts.path}`, body, { ifMatch: etagOf(opts.version) }),
    onMutate: () => setConflict(undefined),
    onSuccess: async () => {
      setConflict(undefined);
      await Promise.all([key, ...(opts.alsoRefresh ?? [])].map((k) => queryClient.invalidateQueries({ queryKey: k })));
      opts.onDone();
    },
    onError: (err) => {
      if (!(err instanceof ApiError)) return;
      const now = err.status === 409 ? (err.body.case as CaseWithName | undefined) : undefined;
      if (now) {
        // The case as it is now replaces what the page showed; what was typed stays, and the next try is based on it.
        queryClient.setQueryData<CaseDetail>(key, (old) => ({ ...now, accepts: old?.accepts }));
        void queryClient.invalidateQueries({ queryKey: key });
        setConflict(now);
        opts.onVersion(now.version);
      }
    },
  });
  const error = request.error instanceof ApiError ? request.error : undefined;
  const reasons = error?.fieldReasons() ?? {};
  const unplaced = Boolean(request.error && !conflict && Object.keys(reasons).length === 0);
  return { request, conflict, reasons, unplaced, error };
}

/** What a case form's request answered, when no field holds it: someone changed the case meanwhile (409), or a refusal (422) or failure in the API's words. */
export function CaseRequestAlerts({ answer }: { answer: ReturnType<typeof useCaseRequest> }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const { conflict, unplaced, error, request } = answer;
  const last = conflict?.journal.at(-1);
  return (
    <>
      {conflict && (
        <Alert data-color="warning" role="alert">
          <Heading level={5} data-size="2xs">
            {t.conflict}
          </Heading>
          <Paragraph>{t.conflictNow(statusLabel(conflict.otStatus, lang), named(STAGE_NAMES[lang], conflict.stage))}</Paragraph>
          {last && <Paragraph>{t.conflictLast(named(EVENT_NAMES[lang], last.event), last.by ?? '–', formatDateTime(last.at, lang))}</Paragraph>}
          <Paragraph>{t.conflictKept}</Paragraph>
        </Alert>
      )}
      {unplaced && request.error && (
        <Alert data-color="danger" role="alert">
          <Heading level={5} data-size="2xs">
            {error?.status === 422 ? t.refused : t.failed}
          </Heading>
          <Paragraph>{request.error.message}</Paragraph>
        </Alert>
      )}
    </>
  );
}
