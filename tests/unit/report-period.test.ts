import { describe, expect, it } from 'vitest';
import { reportQuerySchema } from '../../server/src/protocol/reports.ts';
import { PeriodCalendar } from '../../server/src/reports/period.ts';

describe('PeriodCalendar', () => {
  const quarter = new PeriodCalendar({ from: '2026-01-01', to: '2026-03-31' }, 'Asia/Shanghai');

  it('starts and ends at Beijing midnight, not UTC midnight', () => {
    expect(new Date(quarter.startMs).toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(new Date(quarter.endMs).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(quarter.contains(Date.parse('2025-12-31T15:59:59.999Z'))).toBe(false);
    expect(quarter.contains(Date.parse('2025-12-31T16:00:00.000Z'))).toBe(true);
    expect(quarter.contains(Date.parse('2026-03-31T15:59:59.999Z'))).toBe(true);
    expect(quarter.contains(Date.parse('2026-03-31T16:00:00.000Z'))).toBe(false);
  });

  it('puts 23:30 on 31 January (Beijing) in January and 2026-01-31T16:30Z in February', () => {
    expect(quarter.months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(quarter.monthIndexOf(Date.parse('2026-01-31T23:30:00+08:00'))).toBe(0);
    expect(quarter.monthIndexOf(Date.parse('2026-01-31T15:59:59.999Z'))).toBe(0);
    expect(quarter.monthIndexOf(Date.parse('2026-01-31T16:00:00.000Z'))).toBe(1);
    expect(quarter.monthIndexOf(Date.parse('2026-01-31T16:30:00.000Z'))).toBe(1);
    expect(quarter.monthIndexOf(Date.parse('2026-03-01T00:00:00+08:00'))).toBe(2);
  });

  it('follows daylight saving time in a zone that has it', () => {
    const spring = new PeriodCalendar({ from: '2026-02-15', to: '2026-04-10' }, 'America/New_York');
    expect(new Date(spring.startMs).toISOString()).toBe('2026-02-15T05:00:00.000Z');
    // March begins on standard time (UTC−5), April on daylight time (UTC−4).
    expect(spring.monthIndexOf(Date.parse('2026-03-01T04:59:00Z'))).toBe(0);
    expect(spring.monthIndexOf(Date.parse('2026-03-01T05:00:00Z'))).toBe(1);
    expect(spring.monthIndexOf(Date.parse('2026-04-01T03:59:00Z'))).toBe(1);
    expect(spring.monthIndexOf(Date.parse('2026-04-01T04:00:00Z'))).toBe(2);
    expect(new Date(spring.endMs).toISOString()).toBe('2026-04-11T04:00:00.000Z');
  });

  it('places calendar days of the register by their text', () => {
    expect(quarter.containsDay('2026-02-28')).toBe(true);
    expect(quarter.containsDay('2026-04-01')).toBe(false);
    expect(quarter.monthIndexOfDay('2026-02-28')).toBe(1);
  });
});

describe('reportQuerySchema', () => {
  const parse = (query: Record<string, string>) => reportQuerySchema.safeParse(query);
  const messages = (query: Record<string, string>) => {
    const result = parse(query);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it('takes from and to, a month or a year, and keeps the filters', () => {
    expect(parse({ from: '2026-01-01', to: '2026-03-31', teamId: 't1', theme: '助老', volunteerId: 'v1' }).data).toEqual({
      from: '2026-01-01', to: '2026-03-31', teamId: 't1', theme: '助老', volunteerId: 'v1',
    });
    expect(parse({ month: '2028-02' }).data).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(parse({ month: '2026-12' }).data).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(parse({ year: '2026' }).data).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('explains each mistake in words', () => {
    expect(messages({})).toEqual(['Give the period as from and to (YYYY-MM-DD), or month=YYYY-MM, or year=YYYY']);
    expect(messages({ from: '2026-03-31', to: '2026-03-01' })).toEqual(['The period must end on or after its start']);
    expect(messages({ from: '2026-03-01' })).toEqual(['The period needs an end day (to=YYYY-MM-DD)']);
    expect(messages({ from: '2010-01-01', to: '2020-01-10' })).toEqual(['A report covers at most 10 years']);
    expect(messages({ month: '2026-03', year: '2026' })).toEqual(['Give the period one way only: from and to, or month, or year']);
    expect(messages({ month: '2026-13' })).toEqual(['A month is written YYYY-MM, e.g. 2026-03']);
    expect(messages({ from: '2026-02-30', to: '2026-03-01' })).toHaveLength(1);
  });

  it('accepts ten years exactly', () => {
    expect(parse({ from: '2016-01-01', to: '2025-12-31' }).success).toBe(true);
  });
});
