import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** Calendar facts in the center's zone, never the PC's: a server set to UTC must still close the day at Beijing midnight. */

export function dayKey(at: string | Date, timeZone: string): string {
  return format(new TZDate(new Date(at).getTime(), timeZone), 'yyyy-MM-dd');
}

export function yearOf(at: string | Date, timeZone: string): number {
  return new TZDate(new Date(at).getTime(), timeZone).getFullYear();
}

export function monthKey(at: string | Date, timeZone: string): string {
  return format(new TZDate(new Date(at).getTime(), timeZone), 'yyyy-MM');
}

/** The instant a calendar day begins in the zone, e.g. for `from`/`to` report bounds. */
export function startOfDayIn(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, date, 0, 0, 0, timeZone).getTime());
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function formatTimeIn(at: string | Date, timeZone: string, pattern = 'yyyy-MM-dd HH:mm'): string {
  return format(new TZDate(new Date(at).getTime(), timeZone), pattern);
}
