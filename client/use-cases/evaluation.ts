import type { Pool } from 'pg';
import { firstLettersSentAt } from '../../db/cases';
import { otukAt } from '../../db/case-status-at';
import { readCohortCalendar } from '../../db/cohort-calendar';
import { evaluationPage } from '../../domain/evaluation-page';
import type { ChartMark, Evaluation, OtukPoint } from '../../domain/flow-counters';
import { otukChartSvg } from '../../domain/otuk-chart';
import type { OtUnit } from '../../schemas/units';
import { endInstantOf, instantOf, letterDates } from '../../workflows/calendar';
import { flowCounters } from './counters';
import { type CampaignCalendar } from '../../schemas/calendar';

/** Points on each chart: enough for the fall of OTUK to show its steps, few enough to read back quickly. */
const POINTS = 48;

/** The calendar's moments worth a line on the chart. */
function calendarMarks(calendar: CampaignCalendar): ChartMark[] {
  const marks: [string, number][] = [
    ...letterDates(calendar).map((l): [string, number] => [`letters ${l.codes.join(', ')}`, l.at]),
    ['OTUK count', instantOf(calendar.otukCountDue)],
    ['autumn phoning', instantOf(calendar.phoneCampaigns.autumn.from)],
    ['report 15 Nov', instantOf(calendar.reports.november)],
    ['winter phoning', instantOf(calendar.phoneCampaigns.winter.from)],
    ['report 15 Feb', instantOf(calendar.reports.february)],
    ['report 15 Jun', instantOf(calendar.reports.june)],
  ];
  return marks.map(([label, at]) => ({ label, at: new Date(at).toISOString() }));
}

/**
 * The evaluation meeting's figures: each unit's counters, and OTUK at evenly spaced moments from the
 * first letters to now, read back from the cases' journal.
 */
export async function evaluation(
  pool: Pool,
  schoolYear: number,
  units: readonly OtUnit[],
  opts: { meeting?: 'autumn' | 'spring'; unit?: string; now?: number } = {},
): Promise<Evaluation> {
  const now = opts.now ?? Date.now();
  const { calendar } = await readCohortCalendar(pool, schoolYear);
  const counters = await flowCounters(
    pool,
    schoolYear,
    units.map((u) => u.code),
    now,
  );
  const start = (await firstLettersSentAt(pool, schoolYear)) ?? Math.min(now, letterDates(calendar)[0].at);
  const moments = Array.from({ length: POINTS + 1 }, (_, i) => new Date(Math.round(start + ((now - start) * i) / POINTS)));
  const counts = start < now ? await otukAt(pool, schoolYear, moments) : [];
  const seriesOf = (unit?: string): OtukPoint[] =>
    moments.map((m) => ({
      at: m.toISOString(),
      otuk: counts.filter((c) => c.at === m && (!unit || c.unit === unit)).reduce((a, c) => a + c.otuk, 0),
    }));
  const shown = units.filter((u) => !opts.unit || u.code === opts.unit);
  return {
    schoolYear,
    meeting: opts.meeting,
    asOf: new Date(now).toISOString(),
    county: { unit: 'county', unitName: 'All units', counters: counters.county, series: start < now ? seriesOf() : [] },
    units: shown.map((u) => ({ unit: u.code, unitName: u.name, counters: counters.units[u.code], series: start < now ? seriesOf(u.code) : [] })),
    marks: calendarMarks(calendar).filter(
      (m) => Date.parse(m.at) >= start && Date.parse(m.at) <= now && Date.parse(m.at) < endInstantOf(calendar.schoolYearEnd),
    ),
  };
}

/** The meeting's page and each chart as its own SVG file, keyed 'county' or by unit code. */
export async function renderEvaluation(e: Evaluation): Promise<{ html: string; charts: Map<string, string> }> {
  const charts = new Map<string, string>();
  for (const u of [e.county, ...e.units]) {
    // The title names the unit; the legend need only say what the line counts.
    charts.set(
      u.unit,
      await otukChartSvg([{ label: 'OTUK', points: u.series }], e.marks, { title: u.unit === 'county' ? u.unitName : `${u.unit} ${u.unitName}` }),
    );
  }
  return { html: evaluationPage(e, charts), charts };
}
