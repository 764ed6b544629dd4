import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyChange } from '../../board/src/board-model.ts';
import { BoardSync, type BoardSocket } from '../../board/src/board-sync.ts';
import { BOARD_LIMITS, type BoardState } from '../../server/src/protocol/board.ts';
import type { AttendanceChanged } from '../../server/src/protocol/events.ts';

function boardAt(version: number, extra: Partial<BoardState> = {}): BoardState {
  return {
    centerName: '志愿驿站', timeZone: 'Asia/Shanghai', defaultLanguage: 'zh-CN', generatedAt: '2025-04-15T02:00:00Z', today: '2025-04-15', month: '2025-04',
    version, stateHash: `h${version}`, stars: { period: 'lifetime', thresholds: [100, 300, 600, 1000, 1500] }, onSiteTotal: 0,
    activities: [{ id: 'a1', title: '社区清洁', startsAt: '2025-04-15T00:00:00Z', endsAt: '2025-04-15T06:00:00Z', onSite: 0, people: [] }],
    hours: { today: 0, month: 0 }, volunteersToday: 0, feed: [], teams: [], honourRoll: [], newStars: [], notice: null,
    ...extra,
  };
}

let attendanceNo = 0;
function change(version: number, volunteerId: string, action: AttendanceChanged['action'] = 'check-in', onSite = 1): AttendanceChanged {
  return {
    action, attendanceId: `att-${volunteerId}-${attendanceNo++}`, activityId: 'a1', activityTitle: '社区清洁', at: `2025-04-15T02:${String(version % 60).padStart(2, '0')}:00Z`,
    volunteer: { id: volunteerId, displayName: '张*明', stars: 0, teamNames: ['红马甲'] },
    onSite: { a1: onSite }, onSiteTotal: onSite, version,
  };
}

describe('applyChange', () => {
  it('a sign-in puts the person at the front of the activity and of the feed, with the counts of the event', () => {
    const result = applyChange(boardAt(4), change(5, 'v1'));
    expect(result.kind).toBe('applied');
    if (result.kind !== 'applied') return;
    expect(result.state.version).toBe(5);
    expect(result.state.onSiteTotal).toBe(1);
    expect(result.state.activities[0]).toMatchObject({ onSite: 1, people: [{ volunteerId: 'v1', displayName: '张*明', since: '2025-04-15T02:05:00Z' }] });
    expect(result.state.feed[0]).toMatchObject({ action: 'check-in', volunteer: { id: 'v1' } });
  });

  it('a sign-out takes the person off the activity', () => {
    const signedIn = applyChange(boardAt(4), change(5, 'v1'));
    const signedOut = signedIn.kind === 'applied' ? applyChange(signedIn.state, change(6, 'v1', 'check-out', 0)) : signedIn;
    expect(signedOut.kind === 'applied' && signedOut.state.activities[0]!.people).toEqual([]);
  });

  it('an event already in the state is ignored; a gap, a correction or an unknown activity ask for a refetch', () => {
    expect(applyChange(boardAt(5), change(5, 'v1')).kind).toBe('ignored');
    expect(applyChange(boardAt(5), change(7, 'v1')).kind).toBe('refetch');
    expect(applyChange(boardAt(5), change(6, 'v1', 'correction')).kind).toBe('refetch');
    expect(applyChange(boardAt(5), { ...change(6, 'v1'), activityId: 'a2', onSite: { a2: 1 } }).kind).toBe('refetch');
  });

  it('stays bounded however many events a week brings', () => {
    let state = boardAt(0);
    for (let version = 1; version <= 5000; version++) {
      const result = applyChange(state, change(version, `v${version}`, 'check-in', version));
      if (result.kind === 'applied') state = result.state;
    }
    expect(state.version).toBe(5000);
    expect(state.feed).toHaveLength(BOARD_LIMITS.feed);
    expect(state.activities[0]!.people).toHaveLength(BOARD_LIMITS.peoplePerActivity);
    expect(state.activities[0]!.onSite).toBe(5000);
  });
});

/** A socket the test drives by hand. */
class FakeSocket implements BoardSocket {
  readonly listeners = new Map<string, ((...args: any[]) => void)[]>();
  on(event: string, listener: (...args: any[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  off(event?: string) {
    if (event) this.listeners.delete(event);
    else this.listeners.clear();
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

describe('BoardSync', () => {
  let socket: FakeSocket;
  let server: BoardState;
  let fetches: number;
  let release: (() => void) | null;
  let sync: BoardSync;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    server = boardAt(10);
    fetches = 0;
    release = null;
    sync = new BoardSync({
      socket,
      fetchBoard: () => {
        fetches++;
        const answer = server;
        return new Promise((resolve) => {
          release = () => resolve(answer);
        });
      },
      onState: () => undefined,
      safetyRefreshMs: 60_000,
      settleMs: 1_000,
    });
  });

  afterEach(() => {
    sync.stop();
    vi.useRealTimers();
  });

  const answer = async () => {
    release!();
    await vi.advanceTimersByTimeAsync(0);
  };

  it('fetches on every connect, and applies events that arrived during the fetch on top of it', async () => {
    socket.emit('connect');
    expect(fetches).toBe(1);
    socket.emit('attendance:changed', change(10, 'old'));
    socket.emit('attendance:changed', change(11, 'v1'));
    await answer();
    expect(sync.state!.version).toBe(11);
    expect(sync.state!.activities[0]!.people.map((p) => p.volunteerId)).toEqual(['v1']);

    socket.emit('disconnect');
    socket.emit('connect');
    expect(fetches).toBe(2);
  });

  it('the version told on connect does not fetch twice, unless the fetch came back older', async () => {
    socket.emit('connect');
    socket.emit('board:stale', { version: 10 });
    await answer();
    expect(fetches).toBe(1);
    socket.emit('connect');
    socket.emit('board:stale', { version: 12 });
    await answer();
    expect(fetches).toBe(3);
  });

  it('refetches on a version gap, and on board:stale only when the version differs', async () => {
    socket.emit('connect');
    await answer();
    socket.emit('board:stale', { version: 10 });
    expect(fetches).toBe(1);
    socket.emit('board:stale', { version: 12 });
    expect(fetches).toBe(2);
    server = boardAt(14);
    await answer();
    socket.emit('attendance:changed', change(16, 'v1'));
    expect(fetches).toBe(3);
  });

  it('refetches once after a burst of events settles, and as a safety net', async () => {
    socket.emit('connect');
    await answer();
    for (let version = 11; version <= 15; version++) socket.emit('attendance:changed', change(version, `v${version}`));
    expect(sync.state!.version).toBe(15);
    expect(fetches).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fetches).toBe(2);
    server = boardAt(15);
    await answer();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetches).toBe(3);
  });

  it('stops listening and ticking when stopped', async () => {
    socket.emit('connect');
    await answer();
    sync.stop();
    expect(socket.listeners.size).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetches).toBe(1);
  });
});
