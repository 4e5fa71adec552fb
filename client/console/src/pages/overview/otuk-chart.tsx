import { Details, Heading, Paragraph, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@digdir/designsystemet-react';
import { useId } from 'react';
import type { ChartMark, OtukPoint } from '../../../../../schemas/api/figures';
import { formatDateTime, formatNumber } from '../../format';
import { LOCALE, useLanguage, useText, type Language, type Texts } from '../../i18n';

const TEXT: Texts<{
  empty: string;
  summary: (from: string, to: string, first: number, last: number, least: number, most: number) => string;
  table: string;
  tableCaption: string;
  at: string;
  otuk: string;
  marks: string;
  axis: string;
}> = {
  nn: {
    empty: 'Ingen tal enno: diagrammet byrjar når dei første breva er stadfesta sende.',
    summary: (from, to, first, last, least, most) =>
      `Frå ${from} til ${to} gjekk talet på OTUK frå ${first} til ${last} (lågast ${least}, høgast ${most}).`,
    table: 'Tala i diagrammet som tabell',
    tableCaption: 'OTUK ved starten, ved kvar endring og no',
    at: 'Tidspunkt',
    otuk: 'OTUK',
    marks: 'Stipla linjer: hendingar i kalenderen',
    axis: 'Talet på OTUK',
  },
  nb: {
    empty: 'Ingen tall ennå: diagrammet begynner når de første brevene er bekreftet sendt.',
    summary: (from, to, first, last, least, most) =>
      `Fra ${from} til ${to} gikk antallet OTUK fra ${first} til ${last} (lavest ${least}, høyest ${most}).`,
    table: 'Tallene i diagrammet som tabell',
    tableCaption: 'OTUK ved starten, ved hver endring og nå',
    at: 'Tidspunkt',
    otuk: 'OTUK',
    marks: 'Stiplede linjer: hendelser i kalenderen',
    axis: 'Antall OTUK',
  },
};

/** The calendar marks the evaluation names (client/use-cases/evaluation.ts), in words. */
function markLabel(label: string, lang: Language): string {
  const nn = lang === 'nn';
  const letters = /^letters (.+)$/.exec(label);
  if (letters) return `${nn ? 'brev' : 'brev'} ${letters[1]}`;
  const known: Record<string, [string, string]> = {
    'OTUK count': ['OTUK-teljinga', 'OTUK-tellingen'],
    'autumn phoning': ['ringjedugnaden i haust', 'ringedugnaden i høst'],
    'winter phoning': ['ringjedugnaden i vinter', 'ringedugnaden i vinter'],
    'report 15 Nov': ['rapporten 15. november', 'rapporten 15. november'],
    'report 15 Feb': ['rapporten 15. februar', 'rapporten 15. februar'],
    'report 15 Jun': ['rapporten 15. juni', 'rapporten 15. juni'],
  };
  return known[label]?.[nn ? 0 : 1] ?? label;
}

const W = 720;
const H = 300;
const M = { left: 48, right: 16, top: 16, bottom: 36 };

/** A step of 1, 2 or 5 times a power of ten giving about `n` intervals up to `max`. */
function niceStep(max: number, n: number): number {
  const raw = Math.max(1, max / n);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  return Math.max(1, Math.round(step));
}

function tickLabel(ms: number, spanMs: number, lang: Language): string {
  const parts: Intl.DateTimeFormatOptions =
    spanMs < 2 * 3600_000
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
      : spanMs < 36 * 3600_000
        ? { hour: '2-digit', minute: '2-digit' }
        : { day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(LOCALE[lang], { timeZone: 'Europe/Oslo', ...parts }).format(new Date(ms));
}

/** A moment of the chart in words: to the second on a compressed trial calendar, whose events lie seconds apart. */
function moment(iso: string, spanMs: number, lang: Language): string {
  if (spanMs >= 36 * 3600_000) return formatDateTime(iso, lang);
  return new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone: 'Europe/Oslo',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(new Date(iso));
}

/** The points where the count changed, with the first and the last: the chart's table without repeats. */
function changes(points: OtukPoint[]): OtukPoint[] {
  return points.filter((p, i) => i === 0 || i === points.length - 1 || p.otuk !== points[i - 1].otuk);
}

/**
 * How OTUK fell over the year, as an SVG step line drawn here (no chart library in the browser), with a text
 * alternative: a summary read out as the image's description, and the figures as a table.
 */
export function OtukChart({ title, points, marks }: { title: string; points: OtukPoint[]; marks: ChartMark[] }) {
  const t = useText(TEXT);
  const lang = useLanguage();
  const id = useId();
  if (points.length === 0) return <Paragraph>{t.empty}</Paragraph>;

  const times = points.map((p) => Date.parse(p.at));
  const t0 = times[0];
  const t1 = Math.max(times[times.length - 1], t0 + 60_000);
  const values = points.map((p) => p.otuk);
  const most = Math.max(...values);
  const least = Math.min(...values);
  const step = niceStep(Math.max(1, most), 4);
  const yMax = Math.max(step, Math.ceil(Math.max(1, most) / step) * step);
  const x = (ms: number) => M.left + ((ms - t0) / (t1 - t0)) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);
  let d = `M${x(times[0]).toFixed(1)},${y(values[0]).toFixed(1)}`;
  for (let i = 1; i < points.length; i++) d += ` H${x(times[i]).toFixed(1)} V${y(values[i]).toFixed(1)}`;
  const yTicks = Array.from({ length: Math.round(yMax / step) + 1 }, (_, i) => i * step);
  const xTicks = Array.from({ length: 5 }, (_, i) => t0 + ((t1 - t0) * i) / 4);
  const shownMarks = marks.filter((m) => Date.parse(m.at) >= t0 && Date.parse(m.at) <= t1);
  const span = t1 - t0;
  const summary = t.summary(
    moment(points[0].at, span, lang),
    moment(points[points.length - 1].at, span, lang),
    values[0],
    values[values.length - 1],
    least,
    most,
  );

  return (
    <figure className="ot-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="ot-chart__svg">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {yTicks.map((v) => (
          <g key={`y${v}`}>
            <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} className="ot-chart__grid" />
            <text x={M.left - 6} y={y(v)} className="ot-chart__label" textAnchor="end" dominantBaseline="middle">
              {formatNumber(v, lang)}
            </text>
          </g>
        ))}
        {xTicks.map((ms) => (
          <text key={`x${ms}`} x={x(ms)} y={H - M.bottom + 18} className="ot-chart__label" textAnchor="middle">
            {tickLabel(ms, t1 - t0, lang)}
          </text>
        ))}
        <text
          x={12}
          y={M.top + (H - M.top - M.bottom) / 2}
          className="ot-chart__label"
          textAnchor="middle"
          transform={`rotate(-90 12 ${M.top + (H - M.top - M.bottom) / 2})`}
        >
          {t.axis}
        </text>
        {shownMarks.map((m) => (
          <line key={`${m.label}${m.at}`} x1={x(Date.parse(m.at))} x2={x(Date.parse(m.at))} y1={M.top} y2={H - M.bottom} className="ot-chart__mark" />
        ))}
        <line x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} className="ot-chart__axis" />
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} className="ot-chart__axis" />
        <path d={d} className="ot-chart__line" />
      </svg>
      <figcaption className="ot-stack">
        <Paragraph data-size="sm">{summary}</Paragraph>
        {shownMarks.length > 0 && (
          <div>
            <Heading level={4} data-size="2xs">
              {t.marks}
            </Heading>
            <ul className="ot-chart__marks">
              {shownMarks.map((m) => (
                <li key={`${m.label}${m.at}`}>
                  {markLabel(m.label, lang)}: {moment(m.at, span, lang)}
                </li>
              ))}
            </ul>
          </div>
        )}
        <Details>
          <Details.Summary>{t.table}</Details.Summary>
          <Details.Content>
            <Table data-size="sm">
              <caption>{t.tableCaption}</caption>
              <TableHead>
                <TableRow>
                  <TableHeaderCell scope="col">{t.at}</TableHeaderCell>
                  <TableHeaderCell scope="col">{t.otuk}</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {changes(points).map((p) => (
                  <TableRow key={p.at}>
                    <TableCell>{moment(p.at, span, lang)}</TableCell>
                    <TableCell>{formatNumber(p.otuk, lang)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Details.Content>
        </Details>
      </figcaption>
    </figure>
  );
}
