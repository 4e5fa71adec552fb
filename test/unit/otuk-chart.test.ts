import type { ChartMark, OtukPoint } from '../../domain/flow-counters';
import { otukChartSvg } from '../../domain/otuk-chart';

/** The SVG is read as vega writes it: each mark is a <g class="mark-<type> role-<role>"> of flat elements. */

function groups(svg: string, cls: string): string[] {
  return [...svg.matchAll(new RegExp(`<g class="${cls}[ "][^>]*>(.*?)</g>`, 'g'))].map((m) => m[1]);
}
const texts = (group: string) => [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const allTexts = (svg: string, cls: string) => groups(svg, cls).flatMap(texts);
/** The drawn lines: one path per series, with a real outline. */
const linePaths = (svg: string) =>
  groups(svg, 'mark-line role-mark')
    .flatMap((g) => [...g.matchAll(/<path[^>]* d="([^"]*)"/g)].map((m) => m[1]))
    .filter((d) => d !== '');

const points = (...pairs: [string, number][]): OtukPoint[] => pairs.map(([at, otuk]) => ({ at, otuk }));

const SENTRUM = {
  label: 'Bergen & <Sentrum>',
  points: points(['2026-09-01T08:00:00Z', 120], ['2026-09-20T08:00:00Z', 80], ['2026-11-15T09:00:00Z', 31]),
};
const ASANE = { label: 'Åsane', points: points(['2026-09-01T08:00:00Z', 60], ['2026-10-20T08:00:00Z', 20], ['2026-12-01T09:00:00Z', 0]) };
const MARKS: ChartMark[] = [
  { label: 'Letters', at: '2026-09-05T08:00:00Z' },
  { label: 'SMS', at: '2026-09-19T08:00:00Z' },
  { label: 'Autumn phone campaign', at: '2026-10-05T06:00:00Z' },
];

describe('otukChartSvg', () => {
  it('draws one line per series that has points, named in the legend', async () => {
    const svg = await otukChartSvg([SENTRUM, { label: 'Arna', points: [] }, ASANE], MARKS);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(linePaths(svg)).toHaveLength(2);
    expect(allTexts(svg, 'mark-text role-legend-label')).toEqual(['Bergen &amp; &lt;Sentrum&gt;', 'Åsane']);
    // Vega escapes the label; a raw < would break the markup of the page it is inlined in.
    expect(svg).not.toContain('<Sentrum>');
  });

  it('draws each calendar mark as a rule with its label', async () => {
    const svg = await otukChartSvg([SENTRUM], MARKS);
    expect(allTexts(svg, 'mark-text role-mark')).toEqual(['Letters', 'SMS', 'Autumn phone campaign']);
    const rules = groups(svg, 'mark-rule role-mark');
    expect(rules).toHaveLength(1);
    expect(rules[0].match(/<line/g)).toHaveLength(MARKS.length);
  });

  it('counts OTUK in whole numbers from 0', async () => {
    // A unit with one OTUK youth left: no half steps on the axis.
    const svg = await otukChartSvg([{ label: 'Voss', points: points(['2026-09-01T08:00:00Z', 1], ['2026-10-01T08:00:00Z', 0]) }], []);
    const [, yLabels] = groups(svg, 'mark-text role-axis-label').map(texts);
    expect(yLabels).toEqual(['0', '1']);
    const big = await otukChartSvg([SENTRUM], []);
    const [, bigLabels] = groups(big, 'mark-text role-axis-label').map(texts);
    expect(bigLabels[0]).toBe('0');
    expect(bigLabels.every((l) => /^\d+$/.test(l))).toBe(true);
  });

  it('writes the time axis as dates over a school year and as clock times over a compressed calendar', async () => {
    const year = await otukChartSvg([SENTRUM, ASANE], MARKS);
    const [dates] = groups(year, 'mark-text role-axis-label').map(texts);
    expect(dates.length).toBeGreaterThan(2);
    expect(dates).toContain('1 Nov');
    expect(dates.every((l) => /^\d{1,2} (Sep|Oct|Nov|Dec)$/.test(l))).toBe(true);

    const compressed = await otukChartSvg(
      [{ label: 'Test', points: points(['2026-09-01T08:00:00Z', 4], ['2026-09-01T08:00:20Z', 2], ['2026-09-01T08:00:40Z', 1]) }],
      [{ label: 'SMS', at: '2026-09-01T08:00:10Z' }],
    );
    const [times] = groups(compressed, 'mark-text role-axis-label').map(texts);
    expect(times.length).toBeGreaterThan(2);
    expect(times.every((l) => /^\d\d:\d\d(:\d\d)?$/.test(l))).toBe(true);
  });

  it('says "no data" when there is nothing to draw', async () => {
    for (const series of [[], [{ label: 'Arna', points: [] }]]) {
      const svg = await otukChartSvg(series, MARKS, { title: 'Arna' });
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.endsWith('</svg>')).toBe(true);
      expect(allTexts(svg, 'mark-text role-mark')).toEqual(['no data']);
      expect(linePaths(svg)).toHaveLength(0);
    }
  });

  it('gives the same SVG for the same input, with no ids to clash between charts on one page', async () => {
    const input = () => otukChartSvg([SENTRUM, ASANE], MARKS, { title: 'Vestland', width: 400, height: 200 });
    const first = await input();
    await otukChartSvg([ASANE], MARKS.slice(1));
    const second = await input();
    expect(second).toBe(first);
    expect(first).not.toMatch(/\sid="/);
    // The plot keeps the size asked for; axes, legend and title go around it.
    expect(first).toContain('d="M0.5,0.5h400v200h-400Z"');
  });

  it('refuses an instant that is not ISO', async () => {
    await expect(otukChartSvg([{ label: 'x', points: points(['1 Sep 2026', 3]) }], [])).rejects.toThrow('not an ISO instant');
  });
});
