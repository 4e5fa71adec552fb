import { readFileSync } from 'node:fs';
import { templatePath } from './templates';

/** The placeholders an SMS template may use. */
const FIELDS = ['fornamn', 'eining'] as const;
type SmsField = (typeof FIELDS)[number];

/** Four concatenated SMS parts of GSM text; a longer text is refused rather than cut or split unpredictably. */
const MAX_LENGTH = 612;

export class SmsTemplateError extends Error {}

export type SmsTemplate = (values: Record<SmsField, string>) => string;

/**
 * Reads and checks the school year's SMS text (templates/sms.txt by default: the seed's suggested text), or the second
 * round's (sms2.txt), checked the same way.
 */
export function loadSmsTemplate(templatesDir: string, schoolYear: number, name: 'sms.txt' | 'sms2.txt' = 'sms.txt'): SmsTemplate {
  const file = templatePath(templatesDir, schoolYear, name);
  const text = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s*\n\s*/g, ' ');
  if (!text) throw new SmsTemplateError(`${file}: the SMS text is empty`);
  for (const m of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    if (!(FIELDS as readonly string[]).includes(m[1]))
      throw new SmsTemplateError(`${file}: unknown placeholder {{${m[1]}}}; known: ${FIELDS.join(', ')}`);
  }
  const fill: SmsTemplate = (values) => text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: SmsField) => values[name]);
  const longest = fill({ fornamn: 'x'.repeat(40), eining: 'x'.repeat(40) });
  if (longest.length > MAX_LENGTH)
    throw new SmsTemplateError(`${file}: the SMS text may be ${longest.length} characters long; at most ${MAX_LENGTH} are sent`);
  return fill;
}
