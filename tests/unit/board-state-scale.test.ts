import { describe, expect, it } from 'vitest';
import { boardState } from '../../server/src/board/board-state.ts';
import { StateBuilder } from './board-fixtures.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Three years of a busy center: 2,000 volunteers in 20 teams, 4,000 activities of 50 people each
 * (200,000 attendances), and a morning in progress. The board must stay cheap to compute however
 * long the history grows: it reaches the month through the activities, not by scanning attendances.
 */
describe('board state at scale', () => {
  // Building 200,000 records takes a few seconds alone and much longer on a loaded machine; the
  // assertion is relative, so only the time limit needs room.
  it('costs far less than one pass over 200,000 attendances, with 2,000 volunteers', () => {
    const now = new Date('2026-11-23T02:00:00Z');
    const b = new StateBuilder({ stars: { thresholds: [100, 300, 600, 1000, 1500], period: 'lifetime' } });
    const teams = Array.from({ length: 20 }, (_, i) => b.team(`第${i + 1}服务队`));
    const volunteers = Array.from({ length: 2000 }, (_, i) => b.volunteer(`志愿者${i}`, { teamIds: [teams[i % 20]!] }));
    const start = now.getTime() - 3 * 365 * DAY;
    for (let a = 0; a < 4000; a++) {
      const startsAt = start + Math.floor((a * 3 * 365 * DAY) / 4000);
      const activity = b.activity(`活动${a}`, new Date(startsAt).toISOString(), new Date(startsAt + 3 * HOUR).toISOString());
      for (let p = 0; p < 50; p++) {
        const volunteer = volunteers[(a * 37 + p * 41) % 2000]!;
        b.attendance(volunteer, activity, new Date(startsAt + p * 60_000).toISOString(), 150);
      }
    }
    const today = b.activity('今日活动', new Date(now.getTime() - HOUR).toISOString(), new Date(now.getTime() + 3 * HOUR).toISOString());
    for (let p = 0; p < 80; p++) b.attendance(volunteers[p * 7]!, today, new Date(now.getTime() - HOUR + p * 30_000).toISOString(), 'open');
    expect(b.state.records.attendance.size).toBe(200_080);

    // Timed against one pass over the attendances, interleaved, so a loaded machine slows both alike.
    const fullScan = () => {
      let counted = 0;
      for (const attendance of b.state.records.attendance.values()) if (Date.parse(attendance.checkInAt) > 0) counted++;
      return counted;
    };
    const timed = (fn: () => unknown) => {
      const started = performance.now();
      fn();
      return performance.now() - started;
    };
    const board: number[] = [];
    const scan: number[] = [];
    let state = boardState({ state: b.state, now, version: 1, notice: null });
    for (let run = 0; run < 11; run++) {
      board.push(timed(() => (state = boardState({ state: b.state, now, version: 1, notice: null }))));
      scan.push(timed(fullScan));
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    console.log(`board state, 2,000 volunteers / 200,080 attendances: median ${median(board).toFixed(1)} ms; one pass over the attendances: ${median(scan).toFixed(1)} ms`);
    expect(state.onSiteTotal).toBe(80);
    expect(state.honourRoll).toHaveLength(30);
    expect(state.feed).toHaveLength(20);
    expect(median(board)).toBeLessThan(median(scan) / 2);
  }, 180_000);
});
