import { describe, expect, it } from 'vitest';
import { boardState } from '../../server/src/board/board-state.ts';
import { TopList } from '../../server/src/board/top-list.ts';
import { BOARD_LIMITS } from '../../server/src/protocol/board.ts';
import { StateBuilder } from './board-fixtures.ts';

// 10:00 on 15 April 2025 in Beijing.
const now = new Date('2025-04-15T02:00:00Z');
const board = (b: StateBuilder, at = now) => boardState({ state: b.state, now: at, version: 7, notice: null });

function morning() {
  const b = new StateBuilder({ stars: { thresholds: [10, 20, 30, 40, 50], period: 'calendarYear' } });
  const red = b.team('红马甲');
  const blue = b.team('蓝天队');
  const zhang = b.volunteer('张小明', { teamIds: [red], phone: '13800001111' });
  const li = b.volunteer('李秀英', { teamIds: [blue] });
  const wang = b.volunteer('王芳', { teamIds: [red, blue] });
  const clean = b.activity('社区清洁', '2025-04-15T00:00:00Z', '2025-04-15T06:00:00Z', { place: '社区广场' });
  const visit = b.activity('敬老院探访', '2025-04-15T01:00:00Z', '2025-04-15T04:00:00Z');
  return { b, red, blue, zhang, li, wang, clean, visit };
}

describe('board state: who is on site', () => {
  it('lists open activities with masked people, team and since, newest first, and counts per activity and in total', () => {
    const { b, zhang, li, wang, clean, visit } = morning();
    b.attendance(zhang, clean, '2025-04-15T00:10:00Z', 'open');
    b.attendance(li, clean, '2025-04-15T00:20:00Z', 'open');
    b.attendance(wang, visit, '2025-04-15T01:05:00Z', 'open');
    const state = board(b);
    expect(state.onSiteTotal).toBe(3);
    expect(state.activities.map((a) => [a.title, a.onSite])).toEqual([['社区清洁', 2], ['敬老院探访', 1]]);
    expect(state.activities[0]).toMatchObject({ place: '社区广场' });
    expect(state.activities[0]!.people).toEqual([
      { volunteerId: li, displayName: '李*英', teamNames: ['蓝天队'], stars: 0, since: '2025-04-15T00:20:00Z' },
      { volunteerId: zhang, displayName: '张*明', teamNames: ['红马甲'], stars: 0, since: '2025-04-15T00:10:00Z' },
    ]);
  });

  it('keeps showing an activity past its sign-in window while people are still signed in to it', () => {
    const { b, zhang } = morning();
    const early = b.activity('晨练', '2025-04-14T22:00:00Z', '2025-04-14T23:00:00Z');
    b.attendance(zhang, early, '2025-04-14T22:00:00Z', 'open');
    expect(board(b).activities.find((a) => a.id === early)).toMatchObject({ onSite: 1 });
  });

  it('an activity with nobody on site and closed for sign-in is not shown', () => {
    const { b } = morning();
    const yesterday = b.activity('昨日活动', '2025-04-14T00:00:00Z', '2025-04-14T02:00:00Z');
    expect(board(b).activities.some((a) => a.id === yesterday)).toBe(false);
  });
});

describe('board state: hours today and this month, in the center’s zone', () => {
  it('counts creditable hours by the day of sign-in in Asia/Shanghai', () => {
    const { b, zhang, li, clean } = morning();
    const lastMonth = b.activity('月末', '2025-03-31T14:00:00Z', '2025-03-31T18:00:00Z');
    // 23:30 on 31 March in Beijing: last month.
    b.attendance(zhang, lastMonth, '2025-03-31T15:30:00Z', 60);
    // 00:30 on 1 April in Beijing (still 31 March in UTC): this month, not today.
    b.attendance(li, lastMonth, '2025-03-31T16:30:00Z', 90);
    // This morning.
    b.attendance(zhang, clean, '2025-04-15T00:00:00Z', 120);
    b.attendance(li, clean, '2025-04-15T00:30:00Z', 30);
    const state = board(b);
    expect(state.today).toBe('2025-04-15');
    expect(state.month).toBe('2025-04');
    expect(state.hours).toEqual({ today: 2.5, month: 4 });
    expect(state.volunteersToday).toBe(2);
  });

  it('a removed attendance counts for nothing and leaves the feed', () => {
    const { b, zhang, clean } = morning();
    b.attendance(zhang, clean, '2025-04-15T00:00:00Z', 120, { removed: { at: '2025-04-15T01:00:00Z', by: 'staff:a', reason: '重复' } });
    const state = board(b);
    expect(state.hours.today).toBe(0);
    expect(state.feed).toEqual([]);
  });
});

describe('board state: live feed', () => {
  it('lists sign-ins and sign-outs newest first, at most 20', () => {
    const { b, zhang, clean } = morning();
    for (let i = 0; i < 15; i++) b.attendance(zhang, clean, new Date(Date.parse('2025-04-15T00:00:00Z') + i * 120_000).toISOString(), 1);
    const state = board(b);
    expect(state.feed).toHaveLength(BOARD_LIMITS.feed);
    const times = state.feed.map((item) => item.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(state.feed[0]).toMatchObject({ action: 'check-out', activityTitle: '社区清洁', volunteer: { id: zhang, displayName: '张*明', teamNames: ['红马甲'] } });
  });

  it('an automatic close is told as such', () => {
    const { b, zhang, clean } = morning();
    b.attendance(zhang, clean, '2025-04-15T00:00:00Z', 60, { autoClosed: true });
    expect(board(b).feed[0]).toMatchObject({ action: 'auto-close' });
  });
});

describe('board state: standings', () => {
  it('ranks teams by this month’s hours; a member of two teams counts for both', () => {
    const { b, zhang, li, wang, clean } = morning();
    b.attendance(zhang, clean, '2025-04-02T00:00:00Z', 180);
    b.attendance(li, clean, '2025-04-03T00:00:00Z', 60);
    b.attendance(wang, clean, '2025-04-04T00:00:00Z', 120);
    expect(board(b).teams.map((t) => [t.name, t.hours, t.volunteers])).toEqual([['红马甲', 5, 2], ['蓝天队', 3, 2]]);
  });

  it('the honour roll orders by star, then hours; volunteers who left are not on it', () => {
    const { b, zhang, li, wang, clean } = morning();
    b.attendance(zhang, clean, '2025-02-01T00:00:00Z', 25 * 60);
    b.attendance(li, clean, '2025-02-01T00:00:00Z', 22 * 60);
    b.attendance(wang, clean, '2025-02-01T00:00:00Z', 35 * 60);
    const gone = b.volunteer('赵六', { status: 'left' });
    b.attendance(gone, clean, '2025-02-01T00:00:00Z', 50 * 60);
    expect(board(b).honourRoll.map((h) => [h.displayName, h.stars, h.hours])).toEqual([['王*', 3, 35], ['张*明', 2, 25], ['李*英', 2, 22]]);
  });

  it('new stars: whose star rose with this month’s hours, with the level before', () => {
    const { b, zhang, li, clean } = morning();
    b.attendance(zhang, clean, '2025-03-01T00:00:00Z', 9 * 60);
    b.attendance(zhang, clean, '2025-04-02T00:00:00Z', 2 * 60);
    b.attendance(li, clean, '2025-03-01T00:00:00Z', 12 * 60);
    b.attendance(li, clean, '2025-04-02T00:00:00Z', 60);
    expect(board(b).newStars).toEqual([{ volunteerId: zhang, displayName: '张*明', teamNames: ['红马甲'], stars: 1, hours: 11, previousStars: 0 }]);
  });
});

describe('board state: privacy and identity', () => {
  it('carries no phone, no full name; full names only when the center chose them', () => {
    const { b, zhang, clean } = morning();
    b.attendance(zhang, clean, '2025-04-15T00:10:00Z', 'open');
    const json = JSON.stringify(board(b));
    expect(json).not.toContain('13800001111');
    expect(json).not.toContain('张小明');
    b.settings({ publicNames: 'full' });
    expect(JSON.stringify(board(b))).toContain('张小明');
  });

  it('the state hash is the same for the same board and changes with what it shows, not with the time or version', () => {
    const { b, zhang, clean } = morning();
    const first = board(b);
    expect(boardState({ state: b.state, now: new Date(now.getTime() + 1000), version: 8, notice: null }).stateHash).toBe(first.stateHash);
    b.attendance(zhang, clean, '2025-04-15T00:10:00Z', 'open');
    expect(board(b).stateHash).not.toBe(first.stateHash);
    expect(first.version).toBe(7);
  });
});

describe('TopList', () => {
  it('keeps the first n in order while offered many more', () => {
    const top = new TopList<number>(3, (a, b) => b - a);
    for (const n of [5, 1, 9, 7, 3, 9, 2]) top.offer(n);
    expect(top.items()).toEqual([9, 9, 7]);
    expect(top.accepts(6)).toBe(false);
    expect(top.accepts(8)).toBe(true);
  });
});
