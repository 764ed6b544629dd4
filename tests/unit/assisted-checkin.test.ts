import { describe, expect, it } from 'vitest';
import { parsePersonQuery } from '../../server/src/volunteers/search.ts';
import { decideAssistedCheckIn, findPeople as find } from '../../server/src/assisted-checkin/assisted-checkin.ts';
import type { Activity, Volunteer } from '../../server/src/protocol/model.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';
import { StationState, type Change } from '../../server/src/store/state.ts';

const volunteer = (id: string, name: string, cardNo: string, extra: Partial<Volunteer> = {}): Volunteer => ({
  id, name, gender: 'unspecified', skills: [], teamIds: [], joinedOn: '2026-01-01', status: 'active', cardNo, cardSerial: 1, createdAt: '', updatedAt: '', ...extra,
});
// 2026-03-10 10:00 Beijing, inside the activity below.
const now = new Date('2026-03-10T02:00:00.000Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const staff = { actor: 'staff:liu', staffName: '刘阿姨' };

function station(activity: Partial<Activity> = {}, repeatWindowSeconds = 30): StationState {
  const state = new StationState();
  state.apply({ c: 'config', v: { id: 'settings', settings: { ...defaultSettings, repeatWindowSeconds } } });
  state.apply({ c: 'volunteers', v: volunteer('v1', '王秀英', '100001') });
  state.apply({ c: 'volunteers', v: volunteer('v2', '李建国', '100002') });
  state.apply({ c: 'volunteers', v: volunteer('v3', '赵停', '100003', { status: 'suspended' }) });
  state.apply({ c: 'activities', v: { id: 'a1', title: '敬老院探访', teamIds: [], startsAt: '2026-03-10T01:00:00.000Z', endsAt: '2026-03-10T05:00:00.000Z', status: 'planned', createdAt: '', ...activity } });
  return state;
}
const apply = (state: StationState, changes: Change[]) => changes.forEach((change) => state.apply(change));
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'passed';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

const findPeople = (state: StationState, q: string) => find(state, parsePersonQuery(q));

describe('staff-assisted check-in', () => {
  it('signs a person in and later out, with the staff member on the attendance, the ledger and the audit', () => {
    const state = station();
    const signIn = decideAssistedCheckIn(state, { volunteerId: 'v1', action: 'check-in' }, { now, ...staff });
    expect(signIn.result.action).toBe('check-in');
    apply(state, signIn.changes);
    const attendance = state.get('attendance', signIn.result.attendanceId)!;
    expect(attendance).toMatchObject({ source: 'assisted', assistedBy: 'staff:liu', checkInAt: now.toISOString(), activityId: 'a1' });
    const audits = signIn.changes.filter((c) => c.c === 'audit').map((c) => ('v' in c ? c.v : undefined));
    expect(audits).toMatchObject([{ actor: 'staff:liu', action: 'attendance.assisted-check-in', target: attendance.id, summary: '敬老院探访 · 刘阿姨' }]);

    const signOut = decideAssistedCheckIn(state, { volunteerId: 'v1', action: 'check-out' }, { now: later(120), ...staff });
    expect(signOut.result).toMatchObject({ action: 'check-out', hoursEarned: 2, pointsEarned: 2 });
    apply(state, signOut.changes);
    expect(state.isOnSite('v1')).toBe(false);
    expect([...state.records.ledger.values()]).toMatchObject([{ volunteerId: 'v1', delta: 2, by: 'staff:liu' }]);
  });

  it('keeps the scan’s repeat window: a second tap within it changes nothing', () => {
    const state = station();
    apply(state, decideAssistedCheckIn(state, { volunteerId: 'v1', action: 'check-in' }, { now, ...staff }).changes);
    const again = decideAssistedCheckIn(state, { volunteerId: 'v1', action: 'check-out' }, { now: later(0.2), ...staff });
    expect(again.result).toMatchObject({ action: 'repeat', previousAction: 'check-in' });
    expect(again.changes).toEqual([]);
  });

  it('refuses the chosen action when the person’s state changed meanwhile, instead of doing the opposite', () => {
    const state = station();
    expect(codeOf(() => decideAssistedCheckIn(state, { volunteerId: 'v1', action: 'check-out' }, { now, ...staff }))).toBe('CONFLICT');
    apply(state, decideAssistedCheckIn(state, { volunteerId: 'v1', action: 'check-in' }, { now, ...staff }).changes);
    expect(codeOf(() => decideAssistedCheckIn(state, { volunteerId: 'v1', action: 'check-in' }, { now: later(60), ...staff }))).toBe('CONFLICT');
  });

  it('keeps capacity, the gates, the activity window and the volunteer’s status, as a scan does', () => {
    const full = station({ capacity: 1 });
    apply(full, decideAssistedCheckIn(full, { volunteerId: 'v1', action: 'check-in' }, { now, ...staff }).changes);
    expect(codeOf(() => decideAssistedCheckIn(full, { volunteerId: 'v2', action: 'check-in' }, { now, ...staff }))).toBe('ACTIVITY_FULL');
    expect(codeOf(() => decideAssistedCheckIn(station({ requiresInsurance: true }), { volunteerId: 'v1', action: 'check-in' }, { now, ...staff }))).toBe('INSURANCE_REQUIRED');
    expect(codeOf(() => decideAssistedCheckIn(station(), { volunteerId: 'v1', action: 'check-in' }, { now: later(24 * 60), ...staff }))).toBe('NO_OPEN_ACTIVITY');
    expect(codeOf(() => decideAssistedCheckIn(station(), { volunteerId: 'v3', action: 'check-in' }, { now, ...staff }))).toBe('VOLUNTEER_SUSPENDED');
    expect(codeOf(() => decideAssistedCheckIn(station(), { volunteerId: 'nobody', action: 'check-in' }, { now, ...staff }))).toBe('NOT_FOUND');
  });

  it('asks which activity when several are open', () => {
    const state = station();
    state.apply({ c: 'activities', v: { id: 'a2', title: '垃圾分类宣传', teamIds: [], startsAt: '2026-03-10T01:00:00.000Z', endsAt: '2026-03-10T05:00:00.000Z', status: 'planned', createdAt: '' } });
    expect(codeOf(() => decideAssistedCheckIn(state, { volunteerId: 'v1', action: 'check-in' }, { now, ...staff }))).toBe('ACTIVITY_REQUIRED');
    expect(decideAssistedCheckIn(state, { volunteerId: 'v1', activityId: 'a2', action: 'check-in' }, { now, ...staff }).result.activity.id).toBe('a2');
  });

  it('finds people by name, pinyin initials and card number, with where they are signed in', () => {
    const state = station();
    apply(state, decideAssistedCheckIn(state, { volunteerId: 'v2', action: 'check-in' }, { now, ...staff }).changes);
    expect(findPeople(state, '秀英').map((p) => p.id)).toEqual(['v1']);
    expect(findPeople(state, 'ljg')).toMatchObject([{ id: 'v2', onSite: { activityTitle: '敬老院探访' } }]);
    expect(findPeople(state, '100001')).toMatchObject([{ id: 'v1', onSite: null }]);
  });
});
