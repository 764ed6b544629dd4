import { z } from 'zod';

/**
 * How a reader checks a printed certificate (issue 12 item 15): a web address for the QR code
 * and a phone number to call. Both optional ('' = not set).
 */

/**
 * A center's own public address for the check page, e.g. https://zhiyuan.example.org or
 * https://example.org/station: http(s) only, a host name or address, an optional port and plain
 * path segments; no user name or password, query, fragment, backslash, `.`/`..` segment or
 * percent escape, so the printed link goes where it says. Stored without a trailing slash.
 */
export const publicVerifyUrlSchema = z
  .string()
  .trim()
  .max(200)
  .transform((value) => value.replace(/\/+$/, ''))
  .refine((value) => value === '' || isPlainWebAddress(value), 'Use an http:// or https:// address with no user name, query or fragment, e.g. https://zhiyuan.example.org');

/**
 * The center's phone for checking a certificate by call: a mobile (13912345678), a landline with
 * its area code (010-12345678, 0571 8888 6666), a service number (400-123-4567) or a hotline
 * (12345), optionally with an extension (转 801 / -801). Digits, spaces and hyphens; 5 to 20 digits.
 */
export const centerPhoneSchema = z
  .string()
  .trim()
  .max(40)
  .refine((value) => value === '' || isPhoneNumber(value), 'Use digits, spaces and hyphens, e.g. 010-12345678 or 13912345678');

/** Scheme, a DNS name or bracketed IPv6 address, an optional port, plain path segments (none starting with a dot). */
const WEB_ADDRESS = /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?(?:\/[a-z0-9_~-][a-z0-9._~-]*)*$/i;

export function isPlainWebAddress(value: string): boolean {
  const match = WEB_ADDRESS.exec(value);
  if (!match || (match[1] !== undefined && Number(match[1]) > 65535)) return false;
  return URL.canParse(value);
}

export function isPhoneNumber(value: string): boolean {
  const match = /^(\+?\d[\d -]*\d)(?:\s*转\s*\d{1,6})?$/.exec(value);
  if (!match || /[ -]{2}/.test(match[1]!)) return false;
  const digits = match[1]!.replace(/\D/g, '').length;
  return digits >= 5 && digits <= 20;
}
