import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ErrorCode } from '@protocol/errors.ts';
import { en } from './en.ts';
import { zhCN, type ErrorText, type Messages } from './zh-CN.ts';

export type Language = 'zh-CN' | 'en';
export type { ErrorText, Messages };

export const catalogs: Record<Language, Messages> = { 'zh-CN': zhCN, en };

export const MessagesContext = createContext<Messages>(zhCN);

export function useMessages(): Messages {
  return useContext(MessagesContext);
}

/**
 * Sentences joined as their language writes them: Chinese runs on after 。！？ with no space
 * (GB/T 15834), other languages get one space between sentences.
 */
export function joinSentences(...parts: string[]): string {
  return parts.filter(Boolean).reduce((text, part) => (!text ? part : /[。！？；：，、）”』」…]$/u.test(text) ? text + part : `${text} ${part}`), '');
}

/** The sentence for an error code; a code newer than this kiosk still gets a plain sentence. */
export function errorText(messages: Messages, code: string): ErrorText {
  return Object.hasOwn(messages.errors, code) ? messages.errors[code as ErrorCode] : messages.unknownError;
}
