import { describe, expect, it } from 'vitest';
import { decideAutoClose } from '../../server/src/attendance/auto-close.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';
import type { Activity, Attendance, Volunteer } from '../../server/src/protocol/model.ts';
import { StationState } from '../../server/src/store/state.ts';

function stateWithOpenSignIn(settings = defaultSettings): StationState {
  const state = new StationState();
  state.apply({ c: 'config', v: { id: 'settings', settings } });
  state.apply({ c: 'volunteers', v: { id: 'v1', name: '张三', cardNo: '100001', cardSerial: 1, status: 'active' } as Volunteer });
  state.apply({ c: 'activities', v: { id: 'a1', title: '巡逻', startsAt: '2026-03-10T01:00:00.000Z', endsAt: '2026-03-10T03:00:00.000Z', status: 'planned', teamIds: [], createdAt: '' } as Activity });
  state.apply({ c: 'attendance', v: { id: 'att1', volunteerId: 'v1', activityId: 'a1', checkInAt: '2026-03-10T01:05:00.000Z', source: 'scan', createdAt: '' } as Attendance });
  return state;
}

describe('auto-close', () => {
  it('leaves a sign-in open until the end plus grace', () => {
    expect(decideAutoClose(stateWithOpenSignIn(), new Date('2026-03-10T03:29:59.000Z')).closedIds).toEqual([]);
  });
  it('closes at the activity end, credits up to it, flags it and credits points', () => {
    const state = stateWithOpenSignIn();
    const { changes, closedIds } = decideAutoClose(state, new Date('2026-03-10T03:30:00.000Z'));
    expect(closedIds).toEqual(['att1']);
    const closed = changes.find((c) => !('remove' in c) && c.c === 'attendance');
    expect(closed).toMatchObject({ v: { checkOutAt: '2026-03-10T03:00:00.000Z', creditedMinutes: 90, pointsCredited: 1.5, autoClosed: true, needsReview: true } });
    expect(changes.some((c) => !('remove' in c) && c.c === 'ledger' && c.v.delta === 1.5)).toBe(true);
  });
  it('credits nothing when the center reviews first, and does nothing when switched off', () => {
    const none = stateWithOpenSignIn({ ...defaultSettings, autoClose: { enabled: true, credit: 'none' } });
    const { changes } = decideAutoClose(none, new Date('2026-03-11T00:00:00.000Z'));
    expect(changes.find((c) => !('remove' in c) && c.c === 'attendance')).toMatchObject({ v: { creditedMinutes: 0 } });
    expect(changes.some((c) => c.c === 'ledger')).toBe(false);
    const off = stateWithOpenSignIn({ ...defaultSettings, autoClose: { enabled: false, credit: 'untilEnd' } });
    expect(decideAutoClose(off, new Date('2026-03-11T00:00:00.000Z')).changes).toEqual([]);
  });
});
