import { describe, expect, it } from 'vitest';
import { dayKey, formatTimeIn } from '../../server/src/domain/time-zone.ts';
import { LocalTimes } from '../../server/src/reports/local-times.ts';

describe('LocalTimes', () => {
  it('writes Beijing wall-clock time across midnight and the year end', () => {
    const beijing = new LocalTimes('Asia/Shanghai');
    expect(beijing.dateTime('2026-01-31T15:30:00.000Z')).toBe('2026-01-31 23:30');
    expect(beijing.dateTime('2026-01-31T16:30:00.000Z')).toBe('2026-02-01 00:30');
    expect(beijing.dateTime('2025-12-31T23:30:00+08:00')).toBe('2025-12-31 23:30');
    expect(beijing.day(Date.parse('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });

  it('agrees with formatTimeIn every 17 minutes through a year with two daylight-saving changes', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Shanghai']) {
      const local = new LocalTimes(zone);
      for (let ms = Date.parse('2026-01-01T00:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 17 * 60_000) {
        const expected = formatTimeIn(new Date(ms), zone);
        if (local.dateTime(ms) !== expected) expect(`${zone} ${new Date(ms).toISOString()} ${local.dateTime(ms)}`).toBe(expected);
        if (local.day(ms) !== dayKey(new Date(ms), zone)) expect(local.day(ms)).toBe(dayKey(new Date(ms), zone));
      }
    }
  });
});
