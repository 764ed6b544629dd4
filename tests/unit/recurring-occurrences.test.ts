import { describe, expect, test } from 'vitest';
import { dayKey, formatTimeIn } from '../../server/src/domain/time-zone.ts';
import { lastWorkingDayOf, occurrences, weekdayOf } from '../../server/src/recurring/occurrences.ts';
import { plannedOccurrences } from '../../server/src/recurring/series.ts';
import type { RepeatEnd, RepeatRule } from '../../server/src/protocol/recurring.ts';
import { AppError } from '../../server/src/protocol/errors.ts';

const SHANGHAI = 'Asia/Shanghai';

/** An activity on a Beijing day and time, as the form sends it. */
const at = (day: string, start: string, end: string) => ({ startsAt: new Date(`${day}T${start}:00+08:00`).toISOString(), endsAt: new Date(`${day}T${end}:00+08:00`).toISOString() });

function daysOf(repeat: RepeatRule, end: RepeatEnd, first = at('2027-01-01', '09:00', '11:00'), timeZone = SHANGHAI): string[] {
  const result = occurrences({ repeat, end }, first, timeZone);
  if (!result.ok) throw new Error(`refused: ${result.problem}`);
  return result.occurrences.map((o) => dayKey(o.startsAt, timeZone));
}

describe('occurrences of a series (Asia/Shanghai unless said)', () => {
  test('the 8th and the 28th of every month across a year: 24 activities, each at 09:00–11:00 Beijing time', () => {
    const result = occurrences({ repeat: { kind: 'monthly', days: [8, 28] }, end: { until: '2027-12-31' } }, at('2027-01-01', '09:00', '11:00'), SHANGHAI);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.occurrences).toHaveLength(24);
    const months = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
    expect(result.occurrences.map((o) => dayKey(o.startsAt, SHANGHAI))).toEqual(months.flatMap((m) => [`2027-${m}-08`, `2027-${m}-28`]));
    // Beijing has no summer time: 09:00 there is 01:00 UTC all year.
    for (const o of result.occurrences) {
      expect(o.startsAt.slice(11)).toBe('01:00:00.000Z');
      expect(o.endsAt.slice(11)).toBe('03:00:00.000Z');
    }
  });

  test('days a month lacks are skipped: no 29th–31st of February 2027, the 29th in leap 2028, never a 30th or 31st of February', () => {
    const days = daysOf({ kind: 'monthly', days: [29, 30, 31] }, { until: '2028-03-31' });
    expect(days.filter((d) => d.startsWith('2027-02'))).toEqual([]);
    expect(days.filter((d) => d.startsWith('2028-02'))).toEqual(['2028-02-29']);
    expect(days.filter((d) => d.startsWith('2027-04'))).toEqual(['2027-04-29', '2027-04-30']);
    expect(days.filter((d) => d.startsWith('2027-01'))).toEqual(['2027-01-29', '2027-01-30', '2027-01-31']);
    expect(days.every((d) => !Number.isNaN(Date.parse(d)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d))).toBe(true);
  });

  test('the 31st monthly lands only in the seven months that have one', () => {
    expect(daysOf({ kind: 'monthly', days: [31] }, { until: '2027-12-31' })).toEqual(['2027-01-31', '2027-03-31', '2027-05-31', '2027-07-31', '2027-08-31', '2027-10-31', '2027-12-31']);
  });

  test('last working day: a month ending on a Saturday or Sunday gives the Friday before', () => {
    const days = daysOf({ kind: 'lastWorkingDay' }, { count: 12 });
    // 2027: 31 Jan is a Sunday, 31 Jul a Saturday, 31 Oct a Sunday; 30 Apr a Friday, 31 Dec a Friday.
    expect(days).toEqual(['2027-01-29', '2027-02-26', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30', '2027-07-30', '2027-08-31', '2027-09-30', '2027-10-29', '2027-11-30', '2027-12-31']);
    for (const day of days) expect(weekdayOf(day)).toBeLessThanOrEqual(5);
    expect(lastWorkingDayOf('2028-02-10')).toBe('2028-02-29'); // a leap-year Tuesday
    expect(lastWorkingDayOf('2026-02-01')).toBe('2026-02-27'); // 28 Feb 2026 is a Saturday
  });

  test("last working day follows the center's calendar: a holiday at the month's end moves it earlier, a swapped Saturday can be it", () => {
    // 2025: 30 September (Tue) is a working day before 国庆; say a center also marks it off, and
    // 31 May (Sat) is a 调休 working day.
    const calendar = { holidays: ['2025-09-30'], workdays: ['2025-05-31'] };
    expect(lastWorkingDayOf('2025-09-10', calendar)).toBe('2025-09-29');
    expect(lastWorkingDayOf('2025-05-10', calendar)).toBe('2025-05-31');
    const result = occurrences({ repeat: { kind: 'lastWorkingDay' }, end: { count: 5 } }, at('2025-05-01', '09:00', '11:00'), SHANGHAI, calendar);
    if (!result.ok) throw new Error(result.problem);
    expect(result.occurrences.map((o) => dayKey(o.startsAt, SHANGHAI))).toEqual(['2025-05-31', '2025-06-30', '2025-07-31', '2025-08-29', '2025-09-29']);
  });

  test('weekly on Tuesday and Thursday, 10 times, from a Monday: the Monday itself is not one', () => {
    const days = daysOf({ kind: 'weekly', weekdays: [2, 4] }, { count: 10 }, at('2027-03-01', '14:00', '16:00'));
    expect(days).toEqual(['2027-03-02', '2027-03-04', '2027-03-09', '2027-03-11', '2027-03-16', '2027-03-18', '2027-03-23', '2027-03-25', '2027-03-30', '2027-04-01']);
    expect(days.map(weekdayOf)).toEqual([2, 4, 2, 4, 2, 4, 2, 4, 2, 4]);
  });

  test('an activity at 07:00 Beijing time is on its Beijing day although UTC calls it the day before', () => {
    const result = occurrences({ repeat: { kind: 'monthly', days: [1] }, end: { count: 3 } }, at('2027-01-01', '07:00', '08:30'), SHANGHAI);
    expect(result.ok && result.occurrences).toEqual([
      { startsAt: '2026-12-31T23:00:00.000Z', endsAt: '2027-01-01T00:30:00.000Z' },
      { startsAt: '2027-01-31T23:00:00.000Z', endsAt: '2027-02-01T00:30:00.000Z' },
      { startsAt: '2027-02-28T23:00:00.000Z', endsAt: '2027-03-01T00:30:00.000Z' },
    ]);
  });

  test('an overnight activity (22:00 to 02:00) ends on the next day every time', () => {
    const first = { startsAt: '2027-01-08T14:00:00.000Z', endsAt: '2027-01-08T18:00:00.000Z' }; // 22:00–02:00 Beijing
    const result = occurrences({ repeat: { kind: 'monthly', days: [8] }, end: { count: 2 } }, first, SHANGHAI);
    expect(result.ok && result.occurrences[1]).toEqual({ startsAt: '2027-02-08T14:00:00.000Z', endsAt: '2027-02-08T18:00:00.000Z' });
  });

  test('a zone with summer time keeps the local time (the rule is wall-clock, not a fixed number of hours)', () => {
    const zone = 'America/New_York';
    const first = { startsAt: '2027-03-01T14:00:00.000Z', endsAt: '2027-03-01T15:00:00.000Z' }; // 09:00 EST
    const result = occurrences({ repeat: { kind: 'weekly', weekdays: [1] }, end: { count: 3 } }, first, zone);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.occurrences.map((o) => formatTimeIn(o.startsAt, zone, 'yyyy-MM-dd HH:mm'))).toEqual(['2027-03-01 09:00', '2027-03-08 09:00', '2027-03-15 09:00']);
    expect(result.occurrences[2]!.startsAt).toBe('2027-03-15T13:00:00.000Z');
  });

  test('limits: more than 366 activities, beyond two years, or an end before the start are refused, never cut short', () => {
    const first = at('2027-01-01', '09:00', '10:00');
    const everyDay = { kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7] } as RepeatRule;
    expect(occurrences({ repeat: everyDay, end: { until: '2028-12-31' } }, first, SHANGHAI)).toEqual({ ok: false, problem: 'too-many' });
    const full = occurrences({ repeat: everyDay, end: { count: 366 } }, first, SHANGHAI);
    expect(full.ok && full.occurrences.length).toBe(366);
    expect(occurrences({ repeat: { kind: 'monthly', days: [8] }, end: { until: '2029-01-02' } }, first, SHANGHAI)).toEqual({ ok: false, problem: 'too-far' });
    expect(occurrences({ repeat: { kind: 'monthly', days: [8] }, end: { until: '2029-01-01' } }, first, SHANGHAI).ok).toBe(true);
    // 24 last working days fit in two years; a 25th does not.
    expect(occurrences({ repeat: { kind: 'lastWorkingDay' }, end: { count: 24 } }, first, SHANGHAI).ok).toBe(true);
    expect(occurrences({ repeat: { kind: 'lastWorkingDay' }, end: { count: 25 } }, first, SHANGHAI)).toEqual({ ok: false, problem: 'too-far' });
    expect(occurrences({ repeat: { kind: 'monthly', days: [8] }, end: { until: '2026-12-31' } }, first, SHANGHAI)).toEqual({ ok: false, problem: 'until-before-start' });
    expect(occurrences({ repeat: { kind: 'monthly', days: [8] }, end: { until: '2027-01-05' } }, first, SHANGHAI)).toEqual({ ok: false, problem: 'none' });
  });

  test('the clock is injected: a series whose first activity has started is refused; one a minute ahead is planned', () => {
    const first = at('2027-01-08', '09:00', '11:00');
    const rule = { repeat: { kind: 'monthly', days: [8, 28] } as RepeatRule, end: { count: 4 } as RepeatEnd };
    expect(() => plannedOccurrences(rule, first, SHANGHAI, new Date('2027-01-08T01:00:00Z'))).toThrow(AppError);
    expect(plannedOccurrences(rule, first, SHANGHAI, new Date('2027-01-08T00:59:00Z'))).toHaveLength(4);
  });
});
