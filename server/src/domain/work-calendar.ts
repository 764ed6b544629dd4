import { addDays } from './time-zone.ts';

/**
 * The center's calendar of the year's public holidays and swapped working days (调休), as the
 * State Council publishes them each year and staff enter them. Days are `YYYY-MM-DD` in the
 * center's time zone. Without entries, Monday to Friday are the working days.
 */
export interface WorkCalendar {
  /** Days off that would be working days: 国庆、春节… */
  holidays?: readonly string[];
  /** Weekend days that are working days (调休上班). */
  workdays?: readonly string[];
}

export function isWorkingDay(day: string, calendar: WorkCalendar = {}): boolean {
  if (calendar.workdays?.includes(day)) return true;
  if (calendar.holidays?.includes(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The first working day on or after `day`. Bounded: a calendar cannot hold a year off. */
export function nextWorkingDay(day: string, calendar: WorkCalendar = {}): string {
  let next = day;
  for (let i = 0; i < 366 && !isWorkingDay(next, calendar); i++) next = addDays(next, 1);
  return next;
}

/** The last working day on or before `day`. */
export function previousWorkingDay(day: string, calendar: WorkCalendar = {}): string {
  let previous = day;
  for (let i = 0; i < 366 && !isWorkingDay(previous, calendar); i++) previous = addDays(previous, -1);
  return previous;
}
