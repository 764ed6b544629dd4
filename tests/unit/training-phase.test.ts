import { describe, expect, it } from 'vitest';
import { canOpenTraining, trainingPhase } from '../../server/src/signups/training-phase.ts';

const zone = 'Asia/Shanghai';
// 10 March 2026, 23:30 in Beijing (15:30 UTC): late on the training's day.
const lateOnTheDay = new Date('2026-03-10T15:30:00Z');
// 11 March 2026, 00:10 in Beijing: the next day, though still 10 March in UTC.
const justAfterMidnight = new Date('2026-03-10T16:10:00Z');

describe('a training at the kiosk', () => {
  it('is planned until staff open it, even on its day', () => {
    expect(trainingPhase({ date: '2026-03-10' }, lateOnTheDay, zone)).toBe('planned');
    expect(trainingPhase({ date: '2026-03-11' }, lateOnTheDay, zone)).toBe('planned');
  });

  it('is open only between staff’s open and close, on its day', () => {
    expect(trainingPhase({ date: '2026-03-10', status: 'open' }, lateOnTheDay, zone)).toBe('open');
    expect(trainingPhase({ date: '2026-03-10', status: 'closed' }, lateOnTheDay, zone)).toBe('closed');
  });

  it('closes by itself when its day is over in the center’s time zone, opened or not', () => {
    expect(trainingPhase({ date: '2026-03-10', status: 'open' }, justAfterMidnight, zone)).toBe('closed');
    expect(trainingPhase({ date: '2026-03-10' }, justAfterMidnight, zone)).toBe('closed');
    // The same instant is still 10 March in UTC: the center's zone decides.
    expect(trainingPhase({ date: '2026-03-10', status: 'open' }, justAfterMidnight, 'UTC')).toBe('open');
  });

  it('can be opened on its own day only (again after an early close)', () => {
    expect(canOpenTraining({ date: '2026-03-10' }, lateOnTheDay, zone)).toBe(true);
    expect(canOpenTraining({ date: '2026-03-11' }, lateOnTheDay, zone)).toBe(false);
    expect(canOpenTraining({ date: '2026-03-10' }, justAfterMidnight, zone)).toBe(false);
  });
});
