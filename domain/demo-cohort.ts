import { defaultAgeLimit } from '../schemas/cohort-policy';
import { makeNationalId } from '../schemas/national-id';
import { OS_CODE_TABLE, type OsCode } from '../schemas/ot-codes';
import type { OtUnit } from '../schemas/units';
import { VIGO_COLUMNS } from '../schemas/vigo-row';
import { defaultCalendar } from '../workflows/calendar';

/**
 * A made-up but realistic VIGO transfer (formats/vigo-transfer.md) for demos and benchmarks: what an
 * office exports from Excel, including the untidy parts (varied mobile formats, fictitious ids,
 * rows without address) and about 0.5% rows the import must reject. No real person's data.
 */
export interface DemoCohortOptions {
  size: number;
  schoolYear: number;
  units: OtUnit[];
  seed?: number;
  /** The cohort's age limit (its policy's); by default the school year's (defaultAgeLimit). */
  ageLimit?: number;
  /**
   * Years added to every youth's age (0 when absent): a cohort of a far-off test year (2100) is born before 2040, as a
   * national id can be, and its cohort's age limit is raised by as much.
   */
  ageOffset?: number;
}

/** mulberry32: small, fast, and the same sequence on every platform for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN_F = [
  'Åse',
  'Gøril',
  'Solveig',
  'Ingrid',
  'Sigrid',
  'Ragnhild',
  'Tuva',
  'Nora',
  'Emma',
  'Ida',
  'Thea',
  'Maja',
  'Sofie',
  'Ingeborg',
  'Marte',
  'Synnøve',
  'Åshild',
  'Gunnhild',
  'Hanne',
  'Silje',
  'Tiril',
  'Frøya',
  'Ylva',
  'Live',
  'Mathilde',
  'Amalie',
  'Hedda',
  'Vilde',
  'Kaja',
  'Iselin',
  'Renée',
  'Zoë',
  'Chloé',
  'Hélène',
  'Aurora',
  'Jenny',
  'Amina',
  'Fatima',
  'Mariam',
  'Hodan',
  'Oliwia',
  'Zuzanna',
  'Linh',
  'Sara',
  'Ebba',
  'Selma',
  'Astrid',
  'Guro',
];
const GIVEN_M = [
  'Øyvind',
  'Bjørn',
  'Kåre',
  'Håkon',
  'Jakob',
  'Emil',
  'Noah',
  'Filip',
  'Sondre',
  'Eirik',
  'Sindre',
  'Magnus',
  'Tobias',
  'Henrik',
  'Sverre',
  'Ståle',
  'Even',
  'Trygve',
  'Torbjørn',
  'Snorre',
  'Gaute',
  'Jørgen',
  'Sjur',
  'Ola',
  'Aksel',
  'Brage',
  'Ådne',
  'Tormod',
  'Vebjørn',
  'André',
  'José',
  'Jérôme',
  'Mohammed',
  'Ahmed',
  'Yusuf',
  'Abdirahman',
  'Jakub',
  'Mateusz',
  'Minh',
  'Ali',
  'Mikkel',
  'Lars',
  'Kristoffer',
  'Ole',
  'Halvor',
  'Åsmund',
];
const SECOND_F = ['Marie', 'Sofie', 'Elise', 'Kristin', 'Helene', 'Emilie', 'Louise', 'Mari'];
const SECOND_M = ['Andreas', 'Martin', 'Johan', 'Olav', 'Kristian', 'Magnus', 'André', 'Mathias'];
const FAMILY = [
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Johnsen',
  'Pettersen',
  'Eriksen',
  'Berg',
  'Haugen',
  'Hagen',
  'Johannessen',
  'Andreassen',
  'Jacobsen',
  'Dahl',
  'Jørgensen',
  'Halvorsen',
  'Sørensen',
  'Moen',
  'Iversen',
  'Strand',
  'Solberg',
  'Eide',
  'Knutsen',
  'Bakken',
  'Lie',
  'Lunde',
  'Solheim',
  'Kvamme',
  'Vik',
  'Hauge',
  'Brekke',
  'Myklebust',
  'Tveit',
  'Sandvik',
  'Fosse',
  'Hovland',
  'Kleppe',
  'Sæther',
  'Løvås',
  'Bø',
  'Aasen',
  'Ødegård',
  'Næss',
  'Ærø',
  'Æsøy',
  'Ådland',
  'Aarø',
  'Østerbø',
  'Håland',
  'Grønås',
  'Måseide',
  'Bjørnstad',
  'Rød',
  'Skår',
  'Nygård',
  'Sælensminde',
  'Tøsdal',
  'Økland',
  'Vågenes',
  'Lægreid',
  'Kårstad',
  'Søvik',
  'Hjelmeland',
  'Fjæreide',
  'Mæland',
  'Åsheim',
  'Utne',
  'Nguyen',
  'Tran',
  'Ahmed',
  'Ali',
  'Mohamed',
  'Hussein',
  'Abdi',
  'Kowalski',
  'Nowak',
  'Wiśniewski',
  'Yılmaz',
  'Müller',
  'Lefèvre',
  'García',
  'Sánchez',
  'de la Cruz',
];
const PARENT_GIVEN = [
  'Kari',
  'Anne',
  'Inger',
  'Tone',
  'Hilde',
  'Randi',
  'Gunn',
  'Liv',
  'Marit',
  'Bente',
  'Wenche',
  'Gøril',
  'Åse',
  'Solfrid',
  'Per',
  'Ole',
  'Kjell',
  'Arne',
  'Jan',
  'Svein',
  'Geir',
  'Terje',
  'Bjørn',
  'Kåre',
  'Odd',
  'Ståle',
  'Øystein',
  'Rune',
  'Tor Arne',
];
const CASEWORKER = [
  'Nils Rådgjevar',
  'Ingrid Sæle',
  'Tor Håkon Vik',
  'Marte Ødegård',
  'Siv Kleppe',
  'Lars Nesheim',
  'Gro Årdal',
  'Eivind Bø',
  'Hege Mjelde',
  'Stein Økland',
  'Randi Øvretveit',
  'Jostein Hæve',
];
/** Statuses caseworkers set while washing the lists: mostly kept for follow-up, some out of the target group, some still unknown. */
const WASHED: string[] = [
  'OTOV',
  'OTOV',
  'OTOV',
  'OTOV',
  'OTEV',
  'OTEV',
  'OTAR',
  'OTLL',
  'OTAP',
  'OTOA',
  'OTKO',
  'OTNO',
  'OTSY',
  'OTBA',
  'OTMI',
  'OTFU',
  'OTFU_IM',
  'OTAR_IM',
  'OTEV_IM',
  'OTFA_IM',
  'OTVF_IM',
  'OTLL_IM',
  'OTUK',
  'OTUK',
];
const MAIL = ['gmail.com', 'hotmail.com', 'outlook.com', 'online.no', 'icloud.com', 'live.no'];

interface Area {
  places: [string, string][];
  streets: string[];
  weight: number;
}

/** Real postnummer and poststad of each default unit's area, and street names found there. */
const AREAS: Record<string, Area> = {
  '12250': {
    weight: 12,
    places: [
      ['5003', 'Bergen'],
      ['5006', 'Bergen'],
      ['5007', 'Bergen'],
      ['5008', 'Bergen'],
      ['5010', 'Bergen'],
      ['5012', 'Bergen'],
      ['5013', 'Bergen'],
      ['5014', 'Bergen'],
      ['5015', 'Bergen'],
      ['5017', 'Bergen'],
      ['5018', 'Bergen'],
    ],
    streets: [
      'Nygårdsgaten',
      'Strandgaten',
      'Kong Oscars gate',
      'Olav Kyrres gate',
      'Christies gate',
      'Marken',
      'Sydneshaugen',
      'Nøstegaten',
      'Skottegaten',
      'Håkonsgaten',
      'Welhavens gate',
      'Vestre Torggaten',
      'Kalfarveien',
      'Fjellveien',
      'Øvre Korskirkeallmenning',
    ],
  },
  '12256': {
    weight: 14,
    places: [
      ['5221', 'Nesttun'],
      ['5224', 'Nesttun'],
      ['5228', 'Nesttun'],
      ['5232', 'Paradis'],
      ['5235', 'Rådal'],
      ['5239', 'Rådal'],
      ['5243', 'Fana'],
      ['5251', 'Søreidgrend'],
      ['5259', 'Hjellestad'],
      ['5072', 'Bergen'],
    ],
    streets: [
      'Nesttunvegen',
      'Fanavegen',
      'Østre Nesttunvegen',
      'Hardangervegen',
      'Lagunevegen',
      'Søreidvegen',
      'Krokatjønnvegen',
      'Hjellestadvegen',
      'Sandslimarka',
      'Kirkevollen',
      'Smøråsvegen',
      'Skeievegen',
    ],
  },
  '12260': {
    weight: 13,
    places: [
      ['5141', 'Fyllingsdalen'],
      ['5143', 'Fyllingsdalen'],
      ['5147', 'Fyllingsdalen'],
      ['5152', 'Bønes'],
      ['5160', 'Laksevåg'],
      ['5163', 'Laksevåg'],
      ['5171', 'Loddefjord'],
      ['5174', 'Mathopen'],
      ['5178', 'Loddefjord'],
      ['5183', 'Olsvik'],
    ],
    streets: [
      'Folke Bernadottes vei',
      'Lyngbøveien',
      'Damsgårdsveien',
      'Ytre Laksevågveien',
      'Loddefjordveien',
      'Olsvikåsen',
      'Vadmyrveien',
      'Løvåsveien',
      'Sælenveien',
      'Dag Hammarskjølds vei',
      'Bønesskogen',
    ],
  },
  '12261': {
    weight: 11,
    places: [
      ['5300', 'Kleppestø'],
      ['5302', 'Strusshamn'],
      ['5310', 'Hauglandshella'],
      ['5353', 'Straume'],
      ['5357', 'Fjell'],
      ['5360', 'Kolltveit'],
      ['5363', 'Ågotnes'],
      ['5380', 'Tælavåg'],
      ['5381', 'Glesvær'],
      ['5337', 'Rong'],
    ],
    streets: [
      'Herdlevegen',
      'Ravnangervegen',
      'Straumsvegen',
      'Sartorvegen',
      'Kolltveitvegen',
      'Ågotnesvegen',
      'Sundsvegen',
      'Rongsvegen',
      'Hjeltefjordvegen',
      'Florvågvegen',
      'Fjellvegen',
    ],
  },
  '12265': {
    weight: 11,
    places: [
      ['5105', 'Eidsvåg'],
      ['5106', 'Øvre Ervik'],
      ['5107', 'Salhus'],
      ['5108', 'Hordvik'],
      ['5113', 'Tertnes'],
      ['5115', 'Ulset'],
      ['5118', 'Ulset'],
      ['5131', 'Nyborg'],
      ['5134', 'Flaktveit'],
      ['5136', 'Mjølkeråen'],
    ],
    streets: [
      'Åsamyrane',
      'Tertnesveien',
      'Ervikveien',
      'Hesthaugveien',
      'Salhusvegen',
      'Hylkjeneset',
      'Flaktveitvegen',
      'Griggastemma',
      'Åsaneveien',
      'Breisteinvegen',
      'Eidsvågveien',
    ],
  },
  '12266': {
    weight: 9,
    places: [
      ['5260', 'Indre Arna'],
      ['5262', 'Arnatveit'],
      ['5264', 'Garnes'],
      ['5265', 'Ytre Arna'],
      ['5914', 'Isdalstø'],
      ['5918', 'Frekhaug'],
      ['5936', 'Manger'],
      ['5954', 'Mongstad'],
      ['5282', 'Lonevåg'],
      ['5286', 'Haus'],
    ],
    streets: [
      'Arnavegen',
      'Garnesvegen',
      'Kvassnesvegen',
      'Lonevågvegen',
      'Hausvegen',
      'Frekhaugvegen',
      'Mangersvegen',
      'Sætrevegen',
      'Knarvikvegen',
      'Ådnavegen',
    ],
  },
  '12270': {
    weight: 9,
    places: [
      ['5411', 'Stord'],
      ['5412', 'Stord'],
      ['5416', 'Stord'],
      ['5418', 'Fitjar'],
      ['5420', 'Rubbestadneset'],
      ['5430', 'Bremnes'],
      ['5440', 'Mosterhamn'],
      ['5450', 'Sunde i Sunnhordland'],
      ['5451', 'Valen'],
      ['5470', 'Rosendal'],
    ],
    streets: [
      'Sævarhagsvegen',
      'Vabakkjen',
      'Borggata',
      'Hamnegata',
      'Fitjarvegen',
      'Rubbestadnesvegen',
      'Bremnesvegen',
      'Kyrkjevegen',
      'Valevegen',
      'Skålagata',
      'Malmangervegen',
    ],
  },
  '12275': {
    weight: 6,
    places: [
      ['5700', 'Voss'],
      ['5704', 'Voss'],
      ['5705', 'Voss'],
      ['5707', 'Evanger'],
      ['5710', 'Skulestadmo'],
      ['5713', 'Vossestrand'],
      ['5724', 'Stanghelle'],
      ['5725', 'Vaksdal'],
      ['5728', 'Eidslandet'],
    ],
    streets: [
      'Uttrågata',
      'Vangsgata',
      'Strengjarhaugen',
      'Prestegardsalléen',
      'Hestavangen',
      'Gjernesvegen',
      'Lydvo',
      'Palmafossvegen',
      'Tvildesvegen',
      'Sætreflaten',
    ],
  },
  '12276': {
    weight: 5,
    places: [
      ['5600', 'Norheimsund'],
      ['5604', 'Øystese'],
      ['5614', 'Ålvik'],
      ['5630', 'Strandebarm'],
      ['5637', 'Ølve'],
      ['5640', 'Eikelandsosen'],
      ['5641', 'Fusa'],
      ['5642', 'Holmefjord'],
      ['5650', 'Tysse'],
      ['5652', 'Årland'],
    ],
    streets: [
      'Sandvenvegen',
      'Hardangerfjordvegen',
      'Steinsdalsvegen',
      'Øystesevegen',
      'Fusavegen',
      'Holmefjordvegen',
      'Kvamskogvegen',
      'Tørvikvegen',
      'Ølvesvegen',
    ],
  },
  '12280': {
    weight: 4,
    places: [
      ['5750', 'Odda'],
      ['5760', 'Røldal'],
      ['5770', 'Tyssedal'],
      ['5778', 'Utne'],
      ['5780', 'Kinsarvik'],
      ['5781', 'Lofthus'],
      ['5783', 'Eidfjord'],
      ['5730', 'Ulvik'],
    ],
    streets: [
      'Opheimsgata',
      'Røldalsvegen',
      'Tyssedalsvegen',
      'Kinsarvikvegen',
      'Lofthusvegen',
      'Ulvikvegen',
      'Sjusetevegen',
      'Hjøllovegen',
      'Eitrheimsvegen',
    ],
  },
};
const FALLBACK_AREAS = Object.values(AREAS);
/** Student housing: a usual second address for the older youth. */
const DORMS: [string, string, string][] = [
  ['Fantoftvegen 14', '5072', 'Bergen'],
  ['Hatleberg studentheim, Hatlebergveien 2', '5096', 'Bergen'],
  ['Alrek studentby, Årstadveien 17', '5009', 'Bergen'],
];

/** Share of each age (school year minus birth year) among transferred youth: most are 16–19. */
const AGES: [number, number][] = [
  [15, 1],
  [16, 30],
  [17, 20],
  [18, 15],
  [19, 12],
  [20, 9],
  [21, 6],
  [22, 4],
  [23, 3],
];

/**
 * Share (of the AGES weights, about 100) of youth at the age limit: born in the year Y − limit, so that under the
 * calendar-year rule they leave the target group on 1 January. A few of them are born on its last day, and a few of the
 * year after on its first: the edge, where one day's difference is a whole school year in the group.
 */
const AT_AGE_LIMIT_WEIGHT = 3;
const ON_THE_EDGE = 0.25;

type BrokenKind = 'osCode' | 'mobile' | 'lastName' | 'duplicate' | 'unit';
const BROKEN: BrokenKind[] = ['osCode', 'mobile', 'lastName', 'duplicate', 'unit'];

/** RFC 4180: quote a field holding the delimiter, a quote or a line break, doubling its quotes. */
function field(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function ascii(s: string): string {
  return s
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'aa')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '');
}

export function generateTransfer(opts: DemoCohortOptions): string {
  const { size, schoolYear, units } = opts;
  if (units.length === 0) throw new Error('generateTransfer needs at least one unit');
  const rand = prng(opts.seed ?? 1);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => rand() < p;
  const weighted = <T>(xs: readonly [T, number][]): (() => T) => {
    const total = xs.reduce((s, [, w]) => s + w, 0);
    return () => {
      let r = rand() * total;
      for (const [x, w] of xs) if ((r -= w) < 0) return x;
      return xs[xs.length - 1][0];
    };
  };

  const areaOf = (code: string, i: number) => AREAS[code] ?? FALLBACK_AREAS[i % FALLBACK_AREAS.length];
  const unitIndexOf = weighted(units.map((u, i): [number, number] => [i, areaOf(u.code, i).weight]));
  const ageLimit = opts.ageLimit ?? defaultAgeLimit(schoolYear);
  const ageOf = weighted(AGES.some(([age]) => age === ageLimit) ? AGES : [...AGES, [ageLimit, AT_AGE_LIMIT_WEIGHT]]);
  const osCodeOf = weighted<OsCode>(OS_CODE_TABLE.map((row) => [row.code, row.demoWeight]));
  const letters = defaultCalendar(schoolYear).letters;
  const caseworkers = units.map(() => [pick(CASEWORKER), pick(CASEWORKER), pick(CASEWORKER)]);

  const street = (area: Area): [string, string, string] => {
    const [postnummer, poststad] = pick(area.places);
    let s = `${pick(area.streets)} ${1 + int(120)}`;
    const r = rand();
    if (r < 0.12) s += pick(['A', 'B', 'C']);
    else if (r < 0.2) s += ` ${pick(['A', 'B'])}`;
    else if (r < 0.3) s += `, H0${1 + int(4)}0${1 + int(6)}`;
    else if (r < 0.302)
      s = `c/o ${pick(FAMILY)}; ${s}`; // the delimiter inside a field, quoted by the writer
    else if (r < 0.303) s = `${s} "Gamlehuset"`;
    return [s, postnummer, poststad];
  };

  const mobile = (): string => {
    const n = `${pick(['4', '9'])}${String(int(1e7)).padStart(7, '0')}`;
    const r = rand();
    if (r < 0.4) return n;
    if (r < 0.6) return `${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`;
    if (r < 0.75) return `+47 ${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`;
    if (r < 0.85) return `+47${n}`;
    if (r < 0.9) return `0047 ${n}`;
    return `${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6)}`;
  };

  // Serials per birth date (and per D-number day), so every valid id is new.
  const serials = new Map<string, number>();
  const usedIds = new Set<string>();
  const validId = (birthDate: string, dNumber: boolean): string | undefined => {
    const key = dNumber ? `D${birthDate}` : birthDate;
    let serial = serials.get(key) ?? int(500);
    for (let tries = 0; tries < 500; tries++, serial++) {
      const id = makeNationalId(birthDate, serial, dNumber);
      if (id && !usedIds.has(id)) {
        serials.set(key, serial + 1);
        return id;
      }
    }
    return undefined;
  };
  // Birth years are moved back by the offset; ages, and the limit, are the generator's own before it.
  const bornIn = schoolYear - (opts.ageOffset ?? 0);
  const lastDayAtLimit = `${bornIn - ageLimit}-12-31`;
  const firstDayAfterLimit = `${bornIn - ageLimit + 1}-01-01`;
  const birthDateFor = (): string => {
    const age = ageOf();
    if (age === ageLimit && chance(ON_THE_EDGE)) return lastDayAtLimit;
    if (age === ageLimit - 1 && chance(ON_THE_EDGE / 10)) return firstDayAfterLimit;
    const dayMs = Date.UTC(bornIn - age, 0, 1) + int(365) * 86400000;
    return new Date(dayMs).toISOString().slice(0, 10);
  };

  const cleanIds: string[] = [];
  const lines: string[] = [VIGO_COLUMNS.join(';')];
  for (let i = 0; i < size; i++) {
    // The first rows go through every unit and OS code, so even a small file has them all.
    const unitIndex = i < units.length ? i : unitIndexOf();
    const area = areaOf(units[unitIndex].code, unitIndex);
    const osCode: OsCode = i < OS_CODE_TABLE.length ? OS_CODE_TABLE[i].code : osCodeOf();
    const broken = i >= Math.max(units.length, OS_CODE_TABLE.length) && chance(0.005) ? pick(BROKEN) : undefined;

    // The first two rows stand on the age limit's edge, so even a small file has one who ages out and one who does not.
    let birthDate = i === 0 ? lastDayAtLimit : i === 1 ? firstDayAfterLimit : birthDateFor();
    let id: string | undefined;
    const idRoll = rand();
    const fictitious = i >= 2 && idRoll < 0.004;
    while (!id) {
      id = validId(birthDate, !fictitious && idRoll < 0.02);
      if (!id) birthDate = birthDateFor();
    }
    // Fictitious ids as VIGO has them: a birth date and digits that fail the control-digit check.
    if (fictitious) id = `${id.slice(0, 10)}${(Number(id[10]) + 1 + int(9)) % 10}`;
    if (broken === 'duplicate' && cleanIds.length > 0) id = pick(cleanIds);
    else usedIds.add(id);
    if (!broken) cleanIds.push(id);
    const shownId = chance(0.01) ? `${id.slice(0, 6)} ${id.slice(6)}` : id;

    const lastName = pick(FAMILY);
    const female = chance(0.47);
    let firstName = pick(female ? GIVEN_F : GIVEN_M);
    if (chance(0.15)) firstName += `${chance(0.3) ? '-' : ' '}${pick(female ? SECOND_F : SECOND_M)}`;
    if (chance(0.001)) firstName += ' "Kiki"';

    const noAddress = fictitious ? chance(0.4) : chance(0.005);
    const home = noAddress ? (['', '', ''] as const) : street(area);
    const second =
      !noAddress && chance(0.07)
        ? schoolYear - Number(birthDate.slice(0, 4)) >= 19 && chance(0.5)
          ? pick(DORMS)
          : street(pick(FALLBACK_AREAS))
        : ['', '', ''];

    let mob = chance(0.12) ? '' : mobile();
    if (broken === 'mobile') mob = pick(['1234567', '22 33 44 55', '+46 70 123 45 67', '912345678']);
    const email = chance(0.45)
      ? `${ascii(firstName).slice(0, 12)}${pick(['.', '', '_'])}${ascii(lastName)}${chance(0.4) ? String(int(100)) : ''}@${pick(MAIL)}`
      : '';

    let caseworker = '';
    let status = '';
    if (chance(0.1)) {
      caseworker = pick(caseworkers[unitIndex]);
      // Some caseworkers only note themselves on the case; they lose it at the transfer (seed 000).
      status = chance(0.85) ? pick(WASHED) : '';
    }

    const guardianCols: string[] = ['', '', '', '', '', '', '', ''];
    const minor = birthDate > `${schoolYear - 18}${letters[osCode].slice(4)}`;
    if (minor) {
      const parentArea = chance(0.9) ? area : pick(FALLBACK_AREAS);
      const g1Address = home[0] === '' || chance(0.2) ? street(parentArea) : home;
      guardianCols.splice(0, 4, `${pick(PARENT_GIVEN)} ${chance(0.85) ? lastName : pick(FAMILY)}`, ...g1Address);
      if (chance(0.6)) {
        const g2Address = chance(0.3) ? street(parentArea) : g1Address;
        guardianCols.splice(4, 4, `${pick(PARENT_GIVEN)} ${chance(0.7) ? lastName : pick(FAMILY)}`, ...g2Address);
      }
    }

    const row = [
      shownId,
      firstName,
      broken === 'lastName' ? '' : lastName,
      ...home,
      ...second,
      mob,
      email,
      broken === 'unit' ? pick(['12299', '1225', '46010', '12 250']) : units[unitIndex].code,
      broken === 'osCode' ? pick(['OSXX', 'OS0N', 'OTUK', 'OSNY']) : osCode,
      caseworker,
      status,
      ...guardianCols,
    ];
    lines.push(row.map(field).join(';'));
  }
  return lines.join('\r\n') + '\r\n';
}
