import type { WireError } from '@protocol/errors.ts';
import { errorText, type Messages } from '../i18n/index.ts';
import { formatNumber } from '../server-clock.ts';

/** A refused redemption in plain words, with the facts the server gave (points missing, units left). */
export function errorLines(messages: Messages, error: WireError): string[] {
  const m = messages.counter;
  const details = error.details ?? {};
  const name = typeof details.name === 'string' ? details.name : '';
  switch (error.code) {
    case 'INSUFFICIENT_POINTS':
      if (typeof details.missing === 'number' && typeof details.balance === 'number') {
        return [m.insufficient(formatNumber(details.missing), formatNumber(details.balance)), m.adjustCart];
      }
      break;
    case 'OUT_OF_STOCK':
      if (name) return [m.outOfStock(name, typeof details.stock === 'number' ? details.stock : 0), m.adjustCart];
      break;
    case 'GOODS_WITHDRAWN':
      if (name) return [m.withdrawn(name), m.adjustCart];
      break;
  }
  const text = errorText(messages, error.code);
  return [text.message, text.next].filter(Boolean);
}
