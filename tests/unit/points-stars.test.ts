import { describe, expect, it } from 'vitest';
import { addPoints, balanceOf, pointsForAttendance, ruleFor } from '../../server/src/domain/points.ts';
import { starLevel } from '../../server/src/domain/stars.ts';
import { maskIdNumber, maskName, maskPhone } from '../../server/src/domain/masking.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';

describe('points', () => {
  it('per hour: 1 point per creditable hour by default', () => {
    expect(pointsForAttendance(90, ruleFor({}, defaultSettings))).toBe(1.5);
    expect(pointsForAttendance(0, ruleFor({}, defaultSettings))).toBe(0);
  });
  it('per hour with another rate keeps one decimal, rounded down', () => {
    expect(pointsForAttendance(50, { kind: 'perHour', pointsPerHour: 2 })).toBe(1.6);
  });
  it('fixed: the same amount for any credited attendance, nothing for none', () => {
    expect(pointsForAttendance(30, { kind: 'fixed', points: 5 })).toBe(5);
    expect(pointsForAttendance(0, { kind: 'fixed', points: 5 })).toBe(0);
  });
  it('an activity rule overrides the center default', () => {
    expect(ruleFor({ pointsRule: { kind: 'fixed', points: 3 } }, defaultSettings)).toEqual({ kind: 'fixed', points: 3 });
  });
  it('balance is the exact sum of the ledger, without binary drift', () => {
    expect(balanceOf([{ delta: 0.1 }, { delta: 0.2 }])).toBe(0.3);
    expect(addPoints(0.1, 0.2)).toBe(0.3);
    expect(balanceOf([{ delta: 10 }, { delta: -3.5 }, { delta: -6.5 }])).toBe(0);
  });
});

describe('stars', () => {
  const national = defaultSettings.stars.thresholds;
  it('reaching a threshold exactly earns the star', () => {
    expect(starLevel(99.5, national)).toBe(0);
    expect(starLevel(100, national)).toBe(1);
    expect(starLevel(299.99, national)).toBe(1);
    expect(starLevel(1500, national)).toBe(5);
    expect(starLevel(9999, national)).toBe(5);
  });
  it('follows a community’s own thresholds', () => {
    expect(starLevel(25, [10, 20, 30, 40, 50])).toBe(2);
  });
});

describe('masking for public screens', () => {
  it('masks Chinese names keeping the family name and last character', () => {
    expect(maskName('张小明')).toBe('张*明');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
  });
  it('masks Latin names word by word', () => {
    expect(maskName('Anna Lee')).toBe('A*** L**');
  });
  it('masks phone and ID numbers', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });
});
