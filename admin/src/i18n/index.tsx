import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useMemo, useState } from 'preact/hooks';
import { z } from 'zod';
import zodEnglish from 'zod/v4/locales/en.js';
import zodChinese from 'zod/v4/locales/zh-CN.js';
import type { ClientErrorCode } from '../api/client.ts';
import { en } from './en.ts';
import { zhCN, type Messages } from './zh-CN.ts';

export type Language = 'zh-CN' | 'en';
export const languages: Language[] = ['zh-CN', 'en'];
const catalogs: Record<Language, Messages> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'vs-admin-language';

/** The language this browser chose last time, if any: staff share one PC, but each keeps their switch. */
export function rememberedLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en' || value === 'zh-CN' ? value : null;
  } catch {
    return null;
  }
}

function apply(language: Language): void {
  document.documentElement.lang = language;
  // Form checks run the server's own zod schemas in the browser; their generic messages follow the UI language.
  z.config(language === 'en' ? zodEnglish() : zodChinese());
}

interface I18n {
  language: Language;
  m: Messages;
  /** `remember` is false when the center's default is applied, so a later change of that default still reaches this browser. */
  setLanguage(language: Language, remember?: boolean): void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [language, setState] = useState<Language>(() => {
    const initial = rememberedLanguage() ?? 'zh-CN';
    apply(initial);
    return initial;
  });
  const value = useMemo<I18n>(
    () => ({
      language,
      m: catalogs[language],
      setLanguage(next, remember = true) {
        if (remember) {
          try {
            localStorage.setItem(STORAGE_KEY, next);
          } catch {
            // Private mode: the switch still works for this visit.
          }
        }
        apply(next);
        setState(next);
      },
    }),
    [language],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export function useMessages(): Messages {
  return useI18n().m;
}

/** The friendly sentence for an error code. */
export function errorText(m: Messages, code: ClientErrorCode): string {
  return m.errors[code];
}

/**
 * A field problem in words staff can act on: the catalog's sentence for the field when it has
 * one (the schemas' own messages are written for API users), else the message as given.
 */
export function problemText(m: Messages, field: string, message: string): string {
  const known = m.fieldProblems as Record<string, string>;
  return known[field] ?? message;
}

export type { Messages };
