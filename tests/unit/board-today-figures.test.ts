import { describe, expect, it } from 'vitest';
import { boardState, todayFigures } from '../../server/src/board/board-state.ts';
import { minutesToHours } from '../../server/src/domain/hours.ts';
import { StateBuilder } from './board-fixtures.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Today's figures ride on every scan's board event. They must equal the board state's own count,
 * follow changes (a sign-out, a removal, a new day), and cost what today holds, not what a
 * long-running activity has gathered over the weeks: that cost grew with every scan.
 */
describe('today’s figures on a scan’s board event', () => {
  const now = new Date('2026-11-23T04:00:00Z'); // 12:00 in Asia/Shanghai
  const b = new StateBuilder();
  const volunteers = Array.from({ length: 300 }, (_, i) => b.volunteer(`志愿者${i}`));
  // A month-long 日常值班 with 30,000 sign-ins before today, and a few today.
  const duty = b.activity('日常值班', new Date(now.getTime() - 30 * DAY).toISOString(), new Date(now.getTime() + DAY).toISOString());
  for (let i = 0; i < 30_000; i++) b.attendance(volunteers[i % 300]!, duty, new Date(now.getTime() - 30 * DAY + i * 80_000).toISOString(), 30);
  const todayStart = Date.parse('2026-11-22T16:00:00Z');
  const morning = [0, 1, 2].map((p) => b.attendance(volunteers[p]!, duty, new Date(todayStart + (8 + p) * HOUR).toISOString(), 60));
  const open = b.attendance(volunteers[3]!, duty, new Date(now.getTime() - HOUR).toISOString(), 'open');

  const fromBoard = () => {
    const state = boardState({ state: b.state, now, version: 1, notice: null });
    return { volunteersToday: state.volunteersToday, hoursToday: state.hours.today };
  };

  it('counts exactly what the board state counts, and follows a sign-out and a removal', () => {
    expect(todayFigures(b.state, now)).toEqual({ volunteersToday: 4, hoursToday: 3 });
    expect(todayFigures(b.state, now)).toEqual(fromBoard());
    const signedOut = b.state.get('attendance', open)!;
    b.state.apply({ c: 'attendance', v: { ...signedOut, checkOutAt: now.toISOString(), creditedMinutes: 60 } });
    expect(todayFigures(b.state, now)).toEqual({ volunteersToday: 4, hoursToday: 4 });
    b.state.apply({ c: 'attendance', v: { ...b.state.get('attendance', morning[0]!)!, removed: { at: now.toISOString(), by: 'admin', reason: '重复签到' } } });
    expect(todayFigures(b.state, now)).toEqual({ volunteersToday: 3, hoursToday: 3 });
    expect(todayFigures(b.state, now)).toEqual(fromBoard());
    // The next day starts from nothing; asked about an earlier day again (a clock set back), it still answers.
    expect(todayFigures(b.state, new Date(now.getTime() + DAY))).toEqual({ volunteersToday: 0, hoursToday: 0 });
    expect(todayFigures(b.state, now)).toEqual({ volunteersToday: 3, hoursToday: 3 });
  });

  it('costs the same on a day of thousands of sign-ins: nothing is walked per scan', () => {
    for (let i = 0; i < 5_000; i++) b.attendance(volunteers[i % 300]!, duty, new Date(todayStart + HOUR + i * 1_000).toISOString(), 20);
    const timed = (fn: () => unknown) => {
      const started = performance.now();
      for (let i = 0; i < 20; i++) fn();
      return performance.now() - started;
    };
    const walk = () => {
      let minutes = 0;
      const people = new Set<string>();
      for (const id of b.state.attendanceIdsOfActivity(duty)) {
        const attendance = b.state.get('attendance', id)!;
        if (attendance.removed || Date.parse(attendance.checkInAt) < todayStart) continue;
        minutes += attendance.creditedMinutes ?? 0;
        people.add(attendance.volunteerId);
      }
      return { volunteersToday: people.size, hoursToday: minutesToHours(minutes) };
    };
    expect(todayFigures(b.state, now)).toEqual(walk());
    const figures: number[] = [];
    const walks: number[] = [];
    for (let run = 0; run < 5; run++) {
      figures.push(timed(() => todayFigures(b.state, now)));
      walks.push(timed(walk));
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[2]!;
    expect(median(figures)).toBeLessThan(median(walks) / 10);
  });
});
