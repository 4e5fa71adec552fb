import type { ConsoleLanguage } from '../../../schemas/users';

/**
 * The console's languages and a page's texts in each, as types alone: plain modules (the words of the case pages,
 * deadline-words.ts) take them from here, so that they compile, and are tested, without JSX.
 */
export type Language = ConsoleLanguage;

export type Texts<T> = Record<Language, T>;
