import { TZDate } from '@date-fns/tz';

/**
 * Times are shown and entered in the center's time zone (a setting), not the browser's: a
 * laptop set to another zone must still write "Tuesday 17:00" as the center means it.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(date: Date, timeZone: string): Record<string, string> {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' });
    partsFormatters.set(timeZone, formatter);
  }
  return Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]));
}

/** "2026-11-24" for the day the instant falls on in the zone. */
export function dayIn(iso: string | Date, timeZone: string): string {
  const p = partsIn(new Date(iso), timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "2026-12" for the month the instant falls in, in the zone (the center's month, not UTC's). */
export function monthIn(iso: string | Date, timeZone: string): string {
  return dayIn(iso, timeZone).slice(0, 7);
}

/** The value of an <input type="datetime-local"> showing the instant in the zone. */
export function toLocalInput(iso: string | Date, timeZone: string): string {
  const p = partsIn(new Date(iso), timeZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The instant an <input type="datetime-local"> value means in the zone, or null when incomplete. */
export function fromLocalInput(value: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  return new TZDate(y, mo - 1, d, h, mi, timeZone).toISOString();
}

/** Adds whole days to a "YYYY-MM-DD" day, calendar-wise. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The Monday of the week the day belongs to (weeks start on Monday in China). */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** A "YYYY-MM" month moved by whole months: addMonths('2026-01', -1) is '2025-12'. */
export function addMonths(month: string, months: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber - 1 + months, 1)).toISOString().slice(0, 7);
}

/** The last day of a "YYYY-MM" month. */
export function lastDayOf(month: string): string {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}
