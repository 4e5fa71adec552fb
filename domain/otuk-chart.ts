import { DateTime } from 'luxon';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartMark, OtukPoint } from './flow-counters';

/**
 * The chart of how OTUK fell over the school year, for the evaluation page: one line per series, the
 * campaign's calendar marks as labelled rules. Rendered headless to an SVG string that is inlined in HTML.
 * Nothing here is clipped or filled with a gradient, so vega writes no element ids: ids count up per process
 * (the same input would give another SVG) and would clash between the charts inlined on one page.
 */

export interface OtukChartOptions {
  title?: string;
  width?: number;
  height?: number;
}

const DEFAULT_WIDTH = 520;
const DEFAULT_HEIGHT = 260;

/**
 * Dates for spans of days and more, clock times for the compressed test calendars whose events lie seconds
 * or minutes apart: vega picks the key by the tick's precision, as its default multi-format does.
 */
const TIME_FORMAT = {
  year: '%Y',
  quarter: '%-d %b',
  month: '%-d %b',
  week: '%-d %b',
  date: '%-d %b',
  hours: '%H:%M',
  minutes: '%H:%M',
  seconds: '%H:%M:%S',
  milliseconds: '%H:%M:%S.%L',
};

/**
 * The instant as Oslo wall-clock time written as if it were UTC. The chart then works in UTC throughout, so
 * the SVG shows Oslo dates and does not depend on the time zone of the machine that renders it.
 */
function osloWallClock(iso: string): string {
  const at = DateTime.fromISO(iso, { setZone: true });
  if (!at.isValid) throw new Error(`otuk chart: "${iso}" is not an ISO instant (${at.invalidExplanation ?? at.invalidReason})`);
  return at.setZone('Europe/Oslo').toFormat("yyyy-LL-dd'T'HH:mm:ss.SSS'Z'");
}

function chartSpec(series: { label: string; points: OtukPoint[] }[], marks: ChartMark[], opts: OtukChartOptions): TopLevelSpec {
  const width = opts.width ?? DEFAULT_WIDTH;
  const height = opts.height ?? DEFAULT_HEIGHT;
  const frame = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width,
    height,
    background: 'white',
    ...(opts.title ? { title: opts.title } : {}),
    config: { view: { stroke: '#ccc' }, font: 'sans-serif' },
  } as const;

  const drawn = series.filter((s) => s.points.length > 0);
  if (drawn.length === 0) {
    return {
      ...frame,
      data: { values: [{ text: 'no data' }] },
      mark: { type: 'text', fontSize: 14, fill: '#666' },
      encoding: { text: { field: 'text' }, x: { value: width / 2 }, y: { value: height / 2 } },
    };
  }

  // The series index keeps two series apart even if they share a label; the colour goes by label.
  const rows = drawn.flatMap((s, i) => s.points.map((p) => ({ series: i, label: s.label, at: osloWallClock(p.at), otuk: p.otuk })));
  const labels = [...new Set(drawn.map((s) => s.label))];
  // A year of zeros still needs a y axis to stand on.
  const yMax = Math.max(1, ...rows.map((r) => r.otuk));
  // Vega's tickMinStep still gives half steps on a domain of a few units, so small counts get their ticks spelled out.
  const yTicks = yMax < 8 ? { values: Array.from({ length: yMax + 1 }, (_, i) => i) } : { tickMinStep: 1 };
  const x = {
    field: 'at',
    type: 'temporal',
    scale: { type: 'utc' },
    axis: { title: null, format: TIME_FORMAT, labelOverlap: true, description: 'Time axis, Oslo time' },
  } as const;

  return {
    ...frame,
    layer: [
      {
        data: { values: marks.map((m) => ({ label: m.label, at: osloWallClock(m.at) })) },
        layer: [
          { mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { x } },
          {
            // Along the rule, so marks a few days apart do not write over one another.
            mark: { type: 'text', angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -2, fontSize: 10, fill: '#555' },
            encoding: { x, y: { value: 0 }, text: { field: 'label' } },
          },
        ],
      },
      {
        data: { values: rows },
        mark: { type: 'line', point: true, interpolate: 'step-after' },
        encoding: {
          x,
          y: {
            field: 'otuk',
            type: 'quantitative',
            scale: { domain: [0, yMax], nice: true, zero: true },
            axis: { title: 'OTUK', format: 'd', ...yTicks },
          },
          color: { field: 'label', type: 'nominal', scale: { domain: labels }, legend: { title: null, orient: 'bottom' } },
          detail: { field: 'series', type: 'nominal' },
          order: { field: 'at', type: 'temporal' },
        },
      },
    ],
  };
}

export async function otukChartSvg(
  series: { label: string; points: OtukPoint[] }[],
  marks: ChartMark[],
  opts: OtukChartOptions = {},
): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(series, marks, opts)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
