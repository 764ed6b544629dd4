import { TZDate } from '@date-fns/tz';
import { addDays, dayKey, formatTimeIn } from '../domain/time-zone.ts';
import { previousWorkingDay, type WorkCalendar } from '../domain/work-calendar.ts';
import { seriesLimits, type RepeatEnd, type RepeatRule } from '../protocol/recurring.ts';

/**
 * When a series' activities happen: pure calendar rules in the center's time zone, no clock and
 * no I/O. Days are walked as calendar days ("YYYY-MM-DD"), and each day's start is the first
 * activity's local time of day on that day, so an activity at 07:00 Beijing time stays at 07:00
 * (23:00 UTC the day before) and a zone with summer time keeps its wall-clock time.
 */

export interface Occurrence {
  startsAt: string;
  endsAt: string;
}

/** Why a rule cannot make a series: nothing matches, more than 366, or beyond two years. */
export type SeriesProblem = 'none' | 'too-many' | 'too-far' | 'until-before-start';

export type OccurrencesResult = { ok: true; occurrences: Occurrence[] } | { ok: false; problem: SeriesProblem };

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday (the day, not an instant: no zone involved). */
export function weekdayOf(day: string): number {
  return ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last working day of the month of `day`, by the center's calendar of holidays and 调休 (Monday–Friday without one). */
export function lastWorkingDayOf(day: string, calendar: WorkCalendar = {}): string {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return previousWorkingDay(`${day.slice(0, 8)}${String(daysInMonth(year, month)).padStart(2, '0')}`, calendar);
}

export function matches(rule: RepeatRule, day: string, calendar: WorkCalendar = {}): boolean {
  switch (rule.kind) {
    case 'weekly':
      return (rule.weekdays as number[]).includes(weekdayOf(day));
    case 'monthly':
      return rule.days.includes(Number(day.slice(8, 10)));
    case 'lastWorkingDay':
      return lastWorkingDayOf(day, calendar) === day;
  }
}

/** The last day a series starting on `firstDay` may reach: the same date two years on (28 February for a 29th). */
export function horizonOf(firstDay: string): string {
  const [year, month, date] = firstDay.split('-').map(Number) as [number, number, number];
  const toYear = year + seriesLimits.maxYearsAhead;
  const clamped = Math.min(date, daysInMonth(toYear, month));
  return `${toYear}-${String(month).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The instant a local day and time ("HH:mm") mean in the zone. */
export function instantOn(day: string, time: string, timeZone: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new Date(new TZDate(year, month - 1, date, hours, minutes, 0, timeZone).getTime()).toISOString();
}

/** An activity's shape in local terms: start time of day, and the end as days later plus a time of day. */
export interface LocalShape {
  startTime: string;
  endTime: string;
  endDayOffset: number;
}

export function localShapeOf(first: Occurrence, timeZone: string): LocalShape {
  return {
    startTime: formatTimeIn(first.startsAt, timeZone, 'HH:mm'),
    endTime: formatTimeIn(first.endsAt, timeZone, 'HH:mm'),
    endDayOffset: daysBetween(dayKey(first.startsAt, timeZone), dayKey(first.endsAt, timeZone)),
  };
}

/** The occurrence of a local shape on a day. */
export function occurrenceOn(day: string, shape: LocalShape, timeZone: string): Occurrence {
  return { startsAt: instantOn(day, shape.startTime, timeZone), endsAt: instantOn(addDays(day, shape.endDayOffset), shape.endTime, timeZone) };
}

/**
 * Every occurrence of a series whose first activity is `first`: the days from the first
 * activity's day on (that day included when it matches the rule) that match the rule, up to the
 * end, at the first activity's local times. At most 366 occurrences and two years ahead; a rule
 * that would go beyond is refused, never cut short silently.
 */
export function occurrences(rule: { repeat: RepeatRule; end: RepeatEnd }, first: Occurrence, timeZone: string, calendar: WorkCalendar = {}): OccurrencesResult {
  const firstDay = dayKey(first.startsAt, timeZone);
  const horizon = horizonOf(firstDay);
  const { end } = rule;
  if ('until' in end) {
    if (end.until < firstDay) return { ok: false, problem: 'until-before-start' };
    if (end.until > horizon) return { ok: false, problem: 'too-far' };
  }
  const lastDay = 'until' in end ? end.until : horizon;
  const wanted = 'count' in end ? end.count : Infinity;
  const shape = localShapeOf(first, timeZone);
  const days: string[] = [];
  for (let day = firstDay; day <= lastDay && days.length < wanted; day = addDays(day, 1)) {
    if (!matches(rule.repeat, day, calendar)) continue;
    if (days.length === seriesLimits.maxOccurrences) return { ok: false, problem: 'too-many' };
    days.push(day);
  }
  if (days.length < wanted && wanted !== Infinity) return { ok: false, problem: days.length === 0 ? 'none' : 'too-far' };
  if (days.length === 0) return { ok: false, problem: 'none' };
  return { ok: true, occurrences: days.map((day) => occurrenceOn(day, shape, timeZone)) };
}
