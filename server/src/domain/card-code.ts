import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The QR text of a card: `VS1.<cardNo>.<serial>.<mac>`. The MAC (HMAC-SHA256 with the
 * server's secret, 72 bits) stops anyone printing a working card by guessing numbers; the
 * serial is bumped on reissue, so a lost card stops working at once.
 */
const PREFIX = 'VS1';
const MAC_LENGTH = 12;

export function signCard(secret: Buffer, cardNo: string, serial: number): string {
  return `${PREFIX}.${cardNo}.${serial}.${mac(secret, cardNo, serial)}`;
}

export type ParsedCode =
  | { kind: 'card'; cardNo: string; serial: number; valid: boolean }
  | { kind: 'cardNumber'; cardNo: string }
  | { kind: 'unknown' };

export function parseCode(secret: Buffer, rawCode: string): ParsedCode {
  const code = normalizeDigits(rawCode.trim());
  if (/^\d{4,10}$/.test(code)) return { kind: 'cardNumber', cardNo: code };
  const match = /^VS1\.(\d{4,10})\.(\d{1,6})\.([A-Za-z0-9_-]{12})$/.exec(code);
  if (!match) return { kind: 'unknown' };
  const [, cardNo, serialText, givenMac] = match as unknown as [string, string, string, string];
  const serial = Number(serialText);
  const expected = Buffer.from(mac(secret, cardNo, serial));
  const valid = expected.length === givenMac.length && timingSafeEqual(expected, Buffer.from(givenMac));
  return { kind: 'card', cardNo, serial, valid };
}

/** Keyboard-wedge scanners on a Chinese IME and hand-typed card numbers can arrive as full-width digits. */
export function normalizeDigits(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

function mac(secret: Buffer, cardNo: string, serial: number): string {
  return createHmac('sha256', secret).update(`${PREFIX}|${cardNo}|${serial}`).digest('base64url').slice(0, MAC_LENGTH);
}
