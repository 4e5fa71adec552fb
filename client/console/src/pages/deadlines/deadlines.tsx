import { Heading, Link, Paragraph, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router';
import type { z } from 'zod';
import type { worklistSchema } from '../../../../../schemas/api/follow-up';
import { get } from '../../api';
import { Failure, Loading } from '../../components/query-state';
import { deadlineWords } from '../../deadline-words';
import { formatDateTime } from '../../format';
import { useLanguage, useText, type Texts } from '../../i18n';
import { SchoolYearField, useSchoolYear } from '../letters/school-year';

type Worklist = z.infer<typeof worklistSchema>;

const TEXT: Texts<{
  heading: Record<Kind, string>;
  intro: Record<Kind, string>;
  reviews: Record<Kind, string>;
  replies: (deadline: string) => string;
  noReviews: string;
  noReplies: string;
  failed: string;
  name: string;
  caseId: string;
  caseworker: string;
  reviewOn: string;
  state: string;
  forwardedAt: string;
  states: Record<'due' | 'overdue', string>;
}> = {
  nn: {
    heading: { worklist: 'Fristar', overdue: 'Over fristen' },
    intro: {
      worklist: 'Gjennomgangar av oppfølgingsplanar som er komne, og svar som har venta på utfall lenger enn fristen.',
      overdue: 'Gjennomgangar og svar som har gått over fristen, per rådgjevar. Lista viser saksnummer, ikkje namn.',
    },
    reviews: { worklist: 'Gjennomgangar av oppfølgingsplanar', overdue: 'Gjennomgangar over fristen' },
    replies: (d) => `Svar som ventar på utfall (frist: ${d})`,
    noReviews: 'Ingen gjennomgangar ventar.',
    noReplies: 'Ingen svar er over fristen.',
    failed: 'Klarte ikkje å hente fristane',
    name: 'Namn',
    caseId: 'Sak',
    caseworker: 'Rådgjevar',
    reviewOn: 'Gjennomgang',
    state: 'Står',
    forwardedAt: 'Sendt vidare',
    states: { due: 'skal gjerast', overdue: 'over fristen' },
  },
  nb: {
    heading: { worklist: 'Frister', overdue: 'Over fristen' },
    intro: {
      worklist: 'Gjennomganger av oppfølgingsplaner som er kommet, og svar som har ventet på utfall lenger enn fristen.',
      overdue: 'Gjennomganger og svar som har gått over fristen, per rådgiver. Listen viser saksnummer, ikke navn.',
    },
    reviews: { worklist: 'Gjennomganger av oppfølgingsplaner', overdue: 'Gjennomganger over fristen' },
    replies: (d) => `Svar som venter på utfall (frist: ${d})`,
    noReviews: 'Ingen gjennomganger venter.',
    noReplies: 'Ingen svar er over fristen.',
    failed: 'Klarte ikke å hente fristene',
    name: 'Navn',
    caseId: 'Sak',
    caseworker: 'Rådgiver',
    reviewOn: 'Gjennomgang',
    state: 'Står',
    forwardedAt: 'Sendt videre',
    states: { due: 'skal gjøres', overdue: 'over fristen' },
  },
};

type Kind = 'worklist' | 'overdue';

/** The caseworker's deadlines (`worklist`, with names and links to the cases) or the unit leader's list (`overdue`, case ids only). */
export function Deadlines({ kind }: { kind: Kind }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const [year, setYear] = useSchoolYear();
  const list = useQuery({ queryKey: [kind, year], queryFn: () => get<Worklist>(`/${kind}/${year}`), refetchInterval: 10_000 });
  const names = kind === 'worklist';
  const caseCell = (caseId: string, name?: string) =>
    names ? (
      <Link asChild>
        <RouterLink to={`/saker/${caseId}`}>{name ?? caseId}</RouterLink>
      </Link>
    ) : (
      caseId
    );
  return (
    <section className="ot-stack" aria-labelledby="deadlines-heading">
      <Heading level={1} data-size="md" id="deadlines-heading">
        {t.heading[kind]}
      </Heading>
      <Paragraph>{t.intro[kind]}</Paragraph>
      <SchoolYearField year={year} onChange={setYear} />
      {list.isPending && <Loading />}
      {list.error && <Failure error={list.error} what={t.failed} />}
      {list.data && (
        <>
          <Heading level={2} data-size="sm">
            {t.reviews[kind]}
          </Heading>
          {list.data.reviewsDue.length === 0 ? (
            <Paragraph>{t.noReviews}</Paragraph>
          ) : (
            <div className="ot-table-wrap">
              <Table data-testid="reviews-due">
                <TableHead>
                  <TableRow>
                    <TableHeaderCell scope="col">{names ? t.name : t.caseId}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.caseworker}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.reviewOn}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.state}</TableHeaderCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {list.data.reviewsDue.map((r) => (
                    <TableRow key={r.caseId}>
                      <TableCell>{caseCell(r.caseId, r.name)}</TableCell>
                      <TableCell>{r.caseworker ?? '–'}</TableCell>
                      <TableCell>{formatDateTime(r.reviewAt, lang)}</TableCell>
                      <TableCell>{t.states[r.state]}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
          <Heading level={2} data-size="sm">
            {t.replies(deadlineWords(list.data.replyDeadline, lang))}
          </Heading>
          {list.data.repliesOverdue.length === 0 ? (
            <Paragraph>{t.noReplies}</Paragraph>
          ) : (
            <div className="ot-table-wrap">
              <Table data-testid="replies-overdue">
                <TableHead>
                  <TableRow>
                    <TableHeaderCell scope="col">{names ? t.name : t.caseId}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.caseworker}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.forwardedAt}</TableHeaderCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {list.data.repliesOverdue.map((r) => (
                    <TableRow key={r.caseId}>
                      <TableCell>{caseCell(r.caseId, r.name)}</TableCell>
                      <TableCell>{r.caseworker ?? '–'}</TableCell>
                      <TableCell>{formatDateTime(r.forwardedAt, lang)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
