import { startOfDayIn, yearOf } from '../../domain/time-zone.ts';

/**
 * When a year closes: on 1 February of the next year, at 00:00 in the center's zone. January
 * is the grace month: attendance back-dated into December (补录), late corrections and voids of
 * last year's records still land in the live state and count as usual. From 1 February on, the
 * year's history may be moved to its archive file and its records can no longer be changed
 * (YEAR_ARCHIVED).
 */
export const GRACE_MONTH_DAY = '02-01';

/** The instant year `year` closes in the zone. */
export function closesAt(year: number, timeZone: string): Date {
  return startOfDayIn(`${String(year + 1).padStart(4, '0')}-${GRACE_MONTH_DAY}`, timeZone);
}

/** The latest closed year at `now` in the zone: last year from 1 February on, the year before in January. */
export function lastClosedYear(now: Date, timeZone: string): number {
  const year = yearOf(now, timeZone);
  return now.getTime() >= closesAt(year - 1, timeZone).getTime() ? year - 1 : year - 2;
}
