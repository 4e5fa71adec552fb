import { DateTime } from 'luxon';
import { COUNTER_KEYS, COUNTER_LABELS, type Evaluation, type FlowCounters, type UnitEvaluation } from './flow-counters';

/**
 * The summary handed round at the evaluation meetings: one self-contained HTML page (no scripts, no fetched
 * assets) that opens from a mail attachment and prints on A4 landscape, one unit to a page.
 */

const MEETINGS = { autumn: 'Autumn evaluation meeting, week 50', spring: 'Spring evaluation meeting, week 22' } as const;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Unit names and labels come from the county's own data; they are text, never markup. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** 2026 → "2026–27", as the school year is written on the meeting's papers. */
export const formatSchoolYearShort = (schoolYear: number) => `${schoolYear}–${String((schoolYear + 1) % 100).padStart(2, '0')}`;

function formatAsOf(iso: string): string {
  const at = DateTime.fromISO(iso, { setZone: true });
  if (!at.isValid) throw new Error(`evaluation page: asOf "${iso}" is not an ISO instant (${at.invalidExplanation ?? at.invalidReason})`);
  // The locale is fixed so the month reads the same whatever machine writes the page.
  return at.setZone('Europe/Oslo').setLocale('en-GB').toFormat('d LLL yyyy HH:mm');
}

const formatCount = (n: number) => n.toLocaleString('en-GB');

function countersTable(counters: FlowCounters): string {
  const rows = COUNTER_KEYS.map((key) => {
    const value = counters[key];
    const cell = value === null ? '<td class="num pending">–</td>' : `<td class="num">${formatCount(value)}</td>`;
    return `<tr><th scope="row">${escapeHtml(COUNTER_LABELS[key])}</th>${cell}</tr>`;
  });
  const pending = COUNTER_KEYS.some((key) => counters[key] === null);
  const note = pending ? '<tfoot><tr><td colspan="2">– not reached yet</td></tr></tfoot>' : '';
  return `<table class="counters"><tbody>\n${rows.join('\n')}\n</tbody>${note}</table>`;
}

function unitSection(unit: UnitEvaluation, chart: string | undefined, isCounty: boolean): string {
  const code = isCounty ? '' : ` <span class="code">${escapeHtml(unit.unit)}</span>`;
  return [
    `<section class="unit" data-unit="${escapeHtml(unit.unit)}">`,
    `<h2>${escapeHtml(unit.unitName)}${code}</h2>`,
    '<div class="figures">',
    countersTable(unit.counters),
    ...(chart === undefined ? [] : [`<figure class="chart">${chart}</figure>`]),
    '</div>',
    '</section>',
  ].join('\n');
}

const STYLE = `
  body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #222; margin: 1.5em; }
  h1 { font-size: 16pt; margin: 0 0 0.2em; }
  .meta { color: #555; margin: 0 0 1.2em; }
  h2 { font-size: 13pt; margin: 1.2em 0 0.5em; }
  h2 .code { font-weight: normal; color: #666; font-size: 10pt; }
  .figures { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
  table.counters { border-collapse: collapse; min-width: 22em; }
  table.counters th, table.counters td { padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; }
  table.counters th { text-align: left; font-weight: normal; }
  table.counters td.num { text-align: right; font-variant-numeric: tabular-nums; }
  table.counters td.pending { color: #888; }
  table.counters tfoot td { border: none; font-size: 9pt; color: #666; padding-top: 0.5em; }
  figure.chart { margin: 0; flex: 1 1 30em; }
  figure.chart svg { max-width: 100%; height: auto; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print {
    body { margin: 0; font-size: 10pt; }
    section.unit { break-inside: avoid; }
    section.unit + section.unit { break-before: page; }
    .figures { flex-wrap: nowrap; }
  }
`;

export function evaluationPage(evaluation: Evaluation, charts: Map<string, string>): string {
  const title = `Evaluation of the OT campaign, school year ${formatSchoolYearShort(evaluation.schoolYear)}`;
  const meeting = evaluation.meeting ? MEETINGS[evaluation.meeting] : undefined;
  const meta = [...(meeting ? [meeting] : []), `Figures as of ${formatAsOf(evaluation.asOf)}`].join(' · ');
  const sections = [
    unitSection(evaluation.county, charts.get('county'), true),
    ...evaluation.units.map((u) => unitSection(u, charts.get(u.unit), false)),
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(meeting ? `${title} – ${meeting}` : title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(meta)}</p>`,
    '</header>',
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
