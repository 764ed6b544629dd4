import { addDays } from '../domain/time-zone.ts';

/**
 * Working days are Monday to Friday. Chinese public holidays and their swapped working weekends
 * (调休) are not known to the station: staff choose a longer period when a holiday falls inside.
 */
export function isWorkingDay(day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The notice period: it opens on `firstDay` (or the next working day) and closes at the end of its n-th working day. */
export function noticeWindow(firstDay: string, workingDays: number): { startsOn: string; endsOn: string } {
  let day = firstDay;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  const startsOn = day;
  for (let counted = 1; counted < workingDays; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) counted++;
  }
  return { startsOn, endsOn: day };
}
