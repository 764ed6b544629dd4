import { describe, expect, it } from 'vitest';
import { starsEarned } from '../../server/src/domain/stars.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';
import { liftedStar } from '../../server/src/stars/star-rise.ts';
import { figuresOf } from '../../server/src/volunteers/figures.ts';
import { StateBuilder } from './board-fixtures.ts';

const national = defaultSettings.stars;
const yearly = { ...defaultSettings.stars, thresholds: [10, 20, 30, 40, 50], period: 'calendarYear' as const };

describe('starsEarned: hours against the thresholds', () => {
  it('reaching a national threshold exactly earns the star; a minute short does not', () => {
    expect(starsEarned({ periodHours: 99.98, points: 0 }, national)).toBe(0);
    expect(starsEarned({ periodHours: 100, points: 0 }, national)).toBe(1);
    expect(starsEarned({ periodHours: 1499.99, points: 0 }, national)).toBe(4);
    expect(starsEarned({ periodHours: 1500, points: 0 }, national)).toBe(5);
  });

  it('follows a community’s yearly thresholds', () => {
    expect(starsEarned({ periodHours: 19.5, points: 0 }, yearly)).toBe(1);
    expect(starsEarned({ periodHours: 20, points: 0 }, yearly)).toBe(2);
    expect(starsEarned({ periodHours: 50, points: 0 }, yearly)).toBe(5);
  });
});

describe('starsEarned: optional conditions', () => {
  const withPoints = { ...national, minPoints: 50 };
  const withEvaluation = { ...national, minEvaluation: 80 };

  it('a points condition withholds the star below the minimum balance and grants it at the minimum exactly', () => {
    expect(starsEarned({ periodHours: 320, points: 49.9 }, withPoints)).toBe(0);
    expect(starsEarned({ periodHours: 320, points: 50 }, withPoints)).toBe(2);
  });

  it('an evaluation condition withholds the star below the score, and from a volunteer never evaluated', () => {
    expect(starsEarned({ periodHours: 320, points: 0 }, withEvaluation)).toBe(0);
    expect(starsEarned({ periodHours: 320, points: 0, evaluation: 79.5 }, withEvaluation)).toBe(0);
    expect(starsEarned({ periodHours: 320, points: 0, evaluation: 80 }, withEvaluation)).toBe(2);
  });

  it('both conditions must hold; hours still decide the level', () => {
    const both = { ...national, minPoints: 10, minEvaluation: 60 };
    expect(starsEarned({ periodHours: 99, points: 100, evaluation: 100 }, both)).toBe(0);
    expect(starsEarned({ periodHours: 600, points: 10, evaluation: 60 }, both)).toBe(3);
    expect(starsEarned({ periodHours: 600, points: 9, evaluation: 60 }, both)).toBe(0);
  });

  it('null conditions are no conditions', () => {
    expect(starsEarned({ periodHours: 100, points: 0 }, { ...national, minPoints: null, minEvaluation: null })).toBe(1);
  });
});

describe('figuresOf: the star period', () => {
  it('lifetime: hours of every year count', () => {
    const b = new StateBuilder({ stars: { ...national, thresholds: [10, 20, 30, 40, 50] } });
    const v = b.volunteer('王芳');
    const a = b.activity('巡逻', '2023-06-01T00:00:00Z', '2025-12-31T00:00:00Z');
    b.attendance(v, a, '2023-06-01T01:00:00Z', 600);
    b.attendance(v, a, '2025-02-01T01:00:00Z', 600);
    expect(figuresOf(b.state, v, new Date('2025-03-01T00:00:00Z'))).toMatchObject({ hours: 20, periodHours: 20, stars: 2 });
  });

  it('calendar year: only this year’s hours count, and the year turns at midnight in Asia/Shanghai, not UTC', () => {
    const b = new StateBuilder({ stars: yearly });
    const v = b.volunteer('王芳');
    const a = b.activity('跨年夜值守', '2024-12-31T10:00:00Z', '2025-01-01T10:00:00Z');
    // 23:59 on 31 December in Beijing (15:59 UTC): last year's hours.
    b.attendance(v, a, '2024-12-31T15:59:00Z', 600);
    // 00:30 on 1 January in Beijing, still 31 December in UTC: this year's hours.
    b.attendance(v, a, '2024-12-31T16:30:00Z', 1200);
    const newYear = new Date('2024-12-31T16:00:00Z');
    expect(figuresOf(b.state, v, newYear)).toMatchObject({ hours: 30, periodHours: 20, stars: 2 });
    // A second before midnight in Beijing the current year is 2024.
    expect(figuresOf(b.state, v, new Date('2024-12-31T15:59:59Z'))).toMatchObject({ periodHours: 10, stars: 1 });
  });

  it('calendar year: the star drops back at the new year until hours are served again', () => {
    const b = new StateBuilder({ stars: yearly });
    const v = b.volunteer('王芳');
    const a = b.activity('巡逻', '2024-06-01T00:00:00Z', '2024-06-30T00:00:00Z');
    b.attendance(v, a, '2024-06-01T01:00:00Z', 50 * 60);
    expect(figuresOf(b.state, v, new Date('2024-12-31T15:00:00Z')).stars).toBe(5);
    expect(figuresOf(b.state, v, new Date('2025-01-01T00:00:00Z')).stars).toBe(0);
  });

  it('the points condition reads the balance: a redemption below the minimum withholds the star', () => {
    const b = new StateBuilder({ stars: { ...yearly, minPoints: 15 } });
    const v = b.volunteer('王芳');
    const a = b.activity('巡逻', '2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z');
    b.attendance(v, a, '2025-02-01T01:00:00Z', 20 * 60);
    const now = new Date('2025-03-01T00:00:00Z');
    expect(figuresOf(b.state, v, now)).toMatchObject({ points: 20, stars: 2 });
    b.points(v, -5.5, '2025-02-20T00:00:00Z');
    expect(figuresOf(b.state, v, now)).toMatchObject({ points: 14.5, stars: 0 });
  });

  it('the evaluation condition reads the volunteer’s current score', () => {
    const b = new StateBuilder({ stars: { ...yearly, minEvaluation: 60 } });
    const v = b.volunteer('王芳');
    const a = b.activity('巡逻', '2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z');
    b.attendance(v, a, '2025-02-01T01:00:00Z', 30 * 60);
    const now = new Date('2025-03-01T00:00:00Z');
    expect(figuresOf(b.state, v, now).stars).toBe(0);
    b.evaluation(v, 59);
    expect(figuresOf(b.state, v, now).stars).toBe(0);
    b.evaluation(v, 60);
    expect(figuresOf(b.state, v, now).stars).toBe(3);
  });
});

describe('liftedStar: a sign-out that reaches a new star', () => {
  const build = () => {
    const b = new StateBuilder({ stars: yearly });
    const v = b.volunteer('王芳');
    const a = b.activity('巡逻', '2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z');
    return { b, v, a };
  };

  it('is told when the hours of this attendance cross a threshold', () => {
    const { b, v, a } = build();
    b.attendance(v, a, '2025-02-01T01:00:00Z', 9 * 60);
    const closing = b.attendance(v, a, '2025-02-02T01:00:00Z', 60);
    expect(liftedStar(b.state, b.state.get('attendance', closing)!, new Date('2025-02-02T03:00:00Z'))).toBe(true);
  });

  it('is not told when the level was held already, or the attendance is still open', () => {
    const { b, v, a } = build();
    b.attendance(v, a, '2025-02-01T01:00:00Z', 10 * 60);
    const more = b.attendance(v, a, '2025-02-02T01:00:00Z', 60);
    expect(liftedStar(b.state, b.state.get('attendance', more)!, new Date('2025-02-02T03:00:00Z'))).toBe(false);
    const open = b.attendance(v, a, '2025-02-03T01:00:00Z', 'open');
    expect(liftedStar(b.state, b.state.get('attendance', open)!, new Date('2025-02-03T03:00:00Z'))).toBe(false);
  });

  it('under a points condition, the points this attendance earned can be what lifts the star', () => {
    const b = new StateBuilder({ stars: { ...yearly, minPoints: 12 } });
    const v = b.volunteer('王芳');
    const a = b.activity('巡逻', '2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z');
    b.attendance(v, a, '2025-02-01T01:00:00Z', 11 * 60);
    const closing = b.attendance(v, a, '2025-02-02T01:00:00Z', 60);
    expect(figuresOf(b.state, v, new Date('2025-02-02T03:00:00Z')).stars).toBe(1);
    expect(liftedStar(b.state, b.state.get('attendance', closing)!, new Date('2025-02-02T03:00:00Z'))).toBe(true);
  });
});
