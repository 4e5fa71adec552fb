import { evaluationPage } from '../../domain/evaluation-page';
import { COUNTER_KEYS, COUNTER_LABELS, sumCounters, type Evaluation, type FlowCounters } from '../../domain/flow-counters';
import { otukChartSvg } from '../../domain/otuk-chart';

const AUTUMN: FlowCounters = {
  osBefore: 1412,
  osAfterWashing: 1305,
  lettersToYouth: 300,
  lettersToGuardians: 210,
  otukAfterLetters: 180,
  smsSent: 150,
  secondSmsSent: 90,
  noMobile: 30,
  otukAfterSms: 120,
  otukCounted: 110,
  otukAfterAutumnCampaign: 70,
  otukAfterWinterCampaign: null,
  otukNow: 65,
  unreachedNow: 60,
  awaitingOutcomeNow: 5,
  agedOut: 2,
  twoYearsRunning: 40,
  repliesOverdue: 3,
  reviewsOverdue: 2,
};

function evaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  const units = [
    { unit: '4601', unitName: 'Bergen Sentrum', counters: AUTUMN, series: [] },
    { unit: '4624', unitName: 'Bjørnafjorden & Os <script>alert(1)</script>', counters: { ...AUTUMN, otukAfterAutumnCampaign: null }, series: [] },
  ];
  return {
    schoolYear: 2026,
    asOf: '2026-12-10T08:30:00Z',
    county: { unit: 'county', unitName: 'Vestland', counters: sumCounters(units.map((u) => u.counters)), series: [] },
    units,
    marks: [],
    ...overrides,
  };
}

/** The page cut at its sections: county first, then the units in the order given. */
const sections = (html: string) => html.split('<section').slice(1);
const rowLabels = (section: string) => [...section.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]);
const cells = (section: string) => [...section.matchAll(/<td class="num[^"]*">([^<]*)<\/td>/g)].map((m) => m[1]);

describe('evaluationPage', () => {
  it('is one self-contained HTML5 page in English, printable on A4 landscape', () => {
    const html = evaluationPage(evaluation(), new Map());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/@page \{ size: A4 landscape;/);
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|<link|\ssrc=/);
  });

  it('names the school year, the meeting and the moment in Oslo time', () => {
    const autumn = evaluationPage(evaluation({ meeting: 'autumn' }), new Map());
    expect(autumn).toContain('<h1>Evaluation of the OT campaign, school year 2026–27</h1>');
    expect(autumn).toContain('week 50');
    expect(autumn).not.toContain('week 22');
    // 08:30 UTC is 09:30 in Oslo in winter…
    expect(autumn).toContain('10 Dec 2026 09:30');

    const spring = evaluationPage(evaluation({ meeting: 'spring', asOf: '2027-06-01T10:00:00Z' }), new Map());
    expect(spring).toContain('week 22');
    // …and 12:00 in summer.
    expect(spring).toContain('1 Jun 2027 12:00');

    const plain = evaluationPage(evaluation({ schoolYear: 2099 }), new Map());
    expect(plain).toContain('school year 2099–00');
    expect(plain).not.toMatch(/week \d/);
  });

  it('has a section for the county and one per unit, each with the counters in flowchart order', () => {
    const html = evaluationPage(evaluation(), new Map());
    const [county, sentrum, bjornafjorden] = sections(html);
    expect(sections(html)).toHaveLength(3);
    expect(county).toContain('<h2>Vestland</h2>');
    expect(sentrum).toContain('Bergen Sentrum');
    for (const section of [county, sentrum, bjornafjorden]) expect(rowLabels(section)).toEqual(COUNTER_KEYS.map((k) => COUNTER_LABELS[k]));
    expect(cells(sentrum)).toEqual([
      '1,412',
      '1,305',
      '300',
      '210',
      '180',
      '150',
      '90',
      '30',
      '120',
      '110',
      '70',
      '–',
      '65',
      '60',
      '5',
      '2',
      '40',
      '3',
      '2',
    ]);
    expect(cells(county)[0]).toBe('2,824');
  });

  it('shows a count not reached yet as "–" with a footnote, and a reached zero as 0', () => {
    const html = evaluationPage(evaluation(), new Map());
    const [county, sentrum, bjornafjorden] = sections(html);
    const at = (section: string, key: keyof FlowCounters) => cells(section)[COUNTER_KEYS.indexOf(key)];
    expect(at(bjornafjorden, 'otukAfterAutumnCampaign')).toBe('–');
    expect(at(bjornafjorden, 'otukAfterWinterCampaign')).toBe('–');
    // One unit has reached the end of its autumn campaign, so the county has a count.
    expect(at(county, 'otukAfterAutumnCampaign')).toBe('70');
    expect(sentrum).toContain('– not reached yet');

    const done = evaluationPage(
      evaluation({ units: [{ unit: '4601', unitName: 'Bergen Sentrum', counters: { ...AUTUMN, otukAfterWinterCampaign: 0 }, series: [] }] }),
      new Map(),
    );
    expect(cells(sections(done)[1])[COUNTER_KEYS.indexOf('otukAfterWinterCampaign')]).toBe('0');
    expect(sections(done)[1]).not.toContain('not reached yet');
  });

  it('escapes the names it is given', () => {
    const html = evaluationPage(evaluation(), new Map());
    expect(html).not.toContain('<script>');
    expect(html).toContain('Bjørnafjorden &amp; Os &lt;script&gt;alert(1)&lt;/script&gt;');
    const odd = evaluationPage(evaluation({ county: { ...evaluation().county, unitName: 'Møre "og" <Romsdal>' } }), new Map());
    expect(odd).toContain('<h2>Møre &quot;og&quot; &lt;Romsdal&gt;</h2>');
  });

  it('puts each chart beside its table, and leaves out a chart it does not have', async () => {
    const countyChart = await otukChartSvg(
      [
        {
          label: 'Vestland',
          points: [
            { at: '2026-09-01T08:00:00Z', otuk: 300 },
            { at: '2026-12-01T08:00:00Z', otuk: 130 },
          ],
        },
      ],
      [],
    );
    const charts = new Map([
      ['county', countyChart],
      ['4624', '<svg class="marks" data-test="4624"></svg>'],
    ]);
    const [county, sentrum, bjornafjorden] = sections(evaluationPage(evaluation(), charts));
    expect(county).toContain(countyChart);
    expect(county.indexOf('</table>')).toBeLessThan(county.indexOf('<svg'));
    expect(sentrum).not.toContain('<svg');
    expect(sentrum).not.toContain('<figure');
    expect(bjornafjorden).toContain('<svg class="marks" data-test="4624"></svg>');
  });

  it('refuses an as-of moment that is not an ISO instant', () => {
    expect(() => evaluationPage(evaluation({ asOf: 'yesterday' }), new Map())).toThrow('not an ISO instant');
  });
});
