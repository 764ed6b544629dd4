import { describe, expect, it } from 'vitest';
import { autoCloseAt, creditableMinutes, roundCreditableMinutes, servedMinutes } from '../../server/src/domain/hours.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';

const activity = { startsAt: '2026-03-01T01:00:00.000Z', endsAt: '2026-03-01T04:00:00.000Z' };
const rules = defaultSettings.hours;

describe('servedMinutes clips to the activity window plus grace', () => {
  it('counts the minutes inside the window', () => {
    expect(servedMinutes('2026-03-01T01:10:00Z', '2026-03-01T03:40:00Z', activity, 30)).toBe(150);
  });
  it('counts arrival within the grace before the start', () => {
    expect(servedMinutes('2026-03-01T00:40:00Z', '2026-03-01T01:40:00Z', activity, 30)).toBe(60);
  });
  it('does not count time before start minus grace', () => {
    expect(servedMinutes('2026-02-28T22:00:00Z', '2026-03-01T01:00:00Z', activity, 30)).toBe(30);
  });
  it('stops at end plus grace for a sign-out at midnight', () => {
    expect(servedMinutes('2026-03-01T01:00:00Z', '2026-03-01T16:00:00Z', activity, 30)).toBe(210);
  });
  it('is zero for a sign-out before the sign-in window', () => {
    expect(servedMinutes('2026-03-01T05:00:00Z', '2026-03-01T06:00:00Z', activity, 30)).toBe(0);
  });
});

describe('roundCreditableMinutes', () => {
  it('rounds down to the half hour by default: 89 minutes credit 1 h, 90 credit 1.5 h', () => {
    expect(roundCreditableMinutes(89, rules)).toBe(60);
    expect(roundCreditableMinutes(90, rules)).toBe(90);
    expect(roundCreditableMinutes(29, rules)).toBe(0);
  });
  it('rounds to nearest or up when the center says so', () => {
    expect(roundCreditableMinutes(75, { ...rules, roundingMode: 'nearest' })).toBe(90);
    expect(roundCreditableMinutes(74, { ...rules, roundingMode: 'nearest' })).toBe(60);
    expect(roundCreditableMinutes(61, { ...rules, roundingMode: 'up' })).toBe(90);
  });
  it('applies the cap per attendance, the activity cap first', () => {
    expect(roundCreditableMinutes(300, { ...rules, maxHoursPerAttendance: 4 })).toBe(240);
    expect(roundCreditableMinutes(300, { ...rules, maxHoursPerAttendance: 4 }, 2)).toBe(120);
  });
});

describe('creditableMinutes', () => {
  it('clips, then rounds', () => {
    // Window opens at 00:30 (start minus grace): 00:30–02:59 is 149 minutes, credited as 2 h.
    expect(creditableMinutes('2026-03-01T00:00:00Z', '2026-03-01T02:59:00Z', activity, rules)).toBe(120);
    expect(creditableMinutes('2026-03-01T00:00:00Z', '2026-03-01T03:00:00Z', activity, rules)).toBe(150);
  });
  it('auto-close happens at end plus grace', () => {
    expect(autoCloseAt(activity, rules)).toBe('2026-03-01T04:30:00.000Z');
  });
});
