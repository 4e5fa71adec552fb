import { LOCALE, type Language } from './i18n';

/** Dates and times as Norwegian offices read them, always in Europe/Oslo whatever the browser's zone. */
const ZONE = 'Europe/Oslo';

export function formatDate(iso: string | undefined | null, lang: Language): string {
  if (!iso) return '–';
  // A plain date (yyyy-mm-dd) is a calendar day, not an instant: no zone shift.
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const d = new Date(plain ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALE[lang], { timeZone: plain ? 'UTC' : ZONE, day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

export function formatDateTime(iso: string | undefined | null, lang: Language): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone: ZONE,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

export function formatNumber(n: number, lang: Language): string {
  return new Intl.NumberFormat(LOCALE[lang]).format(n);
}
