import { addDays } from '../domain/time-zone.ts';
import { isWorkingDay, nextWorkingDay, type WorkCalendar } from '../domain/work-calendar.ts';

/**
 * The notice period: it opens on `firstDay` (or the next working day) and closes at the end of
 * its n-th working day, by the center's calendar of holidays and swapped working days.
 */
export function noticeWindow(firstDay: string, workingDays: number, calendar: WorkCalendar = {}): { startsOn: string; endsOn: string } {
  const startsOn = nextWorkingDay(firstDay, calendar);
  let day = startsOn;
  for (let counted = 1; counted < workingDays; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) counted++;
  }
  return { startsOn, endsOn: day };
}
