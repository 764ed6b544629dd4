import { describe, expect, it } from 'vitest';
import { formatDayList, parseDayList } from '../../admin/src/day-list.ts';

describe('holiday days as staff type them', () => {
  it('reads single days and ranges in the ways the notice is copied', () => {
    expect(parseDayList('2025-10-01~2025-10-03\n2025-10-06 至 2025-10-08，2025-09-28\n\n2025-10-01')).toEqual({
      days: ['2025-09-28', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'],
      wrong: [],
    });
  });

  it('returns what is not a day as typed: an impossible date, a range backwards or too long, words', () => {
    expect(parseDayList('2025-02-30\n2025-10-08~2025-10-01\n2025-01-01~2025-12-31\n国庆').wrong).toEqual(['2025-02-30', '2025-10-08~2025-10-01', '2025-01-01~2025-12-31', '国庆']);
  });

  it('writes the days back with consecutive runs as ranges, and reads them back the same', () => {
    const days = ['2025-09-28', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'];
    expect(formatDayList(days)).toBe('2025-09-28\n2025-10-01~2025-10-03\n2025-10-06~2025-10-08');
    expect(parseDayList(formatDayList(days)).days).toEqual(days);
    expect(formatDayList([])).toBe('');
  });
});
