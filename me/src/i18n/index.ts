import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en.ts';
import { zhCN, type Messages } from './zh-CN.ts';

export type Language = 'zh-CN' | 'en';
export type { Messages };

export const catalogs: Record<Language, Messages> = { 'zh-CN': zhCN, en };
export const MessagesContext = createContext<Messages>(zhCN);

export function useMessages(): Messages {
  return useContext(MessagesContext);
}

const KEY = 'vs-me-language';

/** Chinese first; a volunteer who switches to English keeps it on this phone. */
export function savedLanguage(): Language {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function saveLanguage(language: Language): void {
  try {
    localStorage.setItem(KEY, language);
  } catch {
    // Private mode: the choice lasts for this visit only.
  }
}

export function errorMessage(messages: Messages, code: string | undefined): string {
  return (code && messages.errors[code]) || messages.errors.other!;
}
