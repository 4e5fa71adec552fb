import { createContext, useContext } from 'react';
import { CONSOLE_LANGUAGES } from '../../../schemas/users';
import type { Language, Texts } from './language';

export type { Language, Texts };

/**
 * The console's two languages: Nynorsk (the seeds' language, the default) and Bokmål, chosen per user.
 * Each page keeps its own texts beside it as a Texts object; useText picks the user's language.
 */
export const LANGUAGES = CONSOLE_LANGUAGES;

export const LanguageContext = createContext<Language>('nn');

export function useLanguage(): Language {
  return useContext(LanguageContext);
}

export function useText<T>(texts: Texts<T>): T {
  return texts[useLanguage()];
}

/**
 * The BCP 47 tags for dates and numbers (Intl), best first. Chromium's ICU has no Nynorsk: alone, 'nn-NO' fell back
 * to the browser's own language ("Dec 2, 2026" in an English browser), so Nynorsk falls back to Bokmål's formats,
 * which write dates and numbers the same way.
 */
export const LOCALE: Record<Language, string[]> = { nn: ['nn-NO', 'nb-NO'], nb: ['nb-NO'] };
