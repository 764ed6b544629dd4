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

/** `?lang=en` on the address wins (a TV has no settings menu); otherwise the center's default language. */
export function chooseLanguage(centerDefault: Language | undefined): Language {
  const asked = new URL(window.location.href).searchParams.get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  return centerDefault ?? 'zh-CN';
}
