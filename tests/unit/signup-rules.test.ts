import { describe, expect, it } from 'vitest';
import { decideAutoClose } from '../../server/src/attendance/auto-close.ts';
import type { Activity, Attendance, Volunteer } from '../../server/src/protocol/model.ts';
import type { Signup } from '../../server/src/protocol/organizing.ts';
import { defaultSettings, type Settings } from '../../server/src/protocol/settings.ts';
import {
  decideCancel, decideExcuse, decidePromotions, decideSignUp, isNoShow, noShowsOf, promotionsFor, signupsOf, unexcusedNoShowsWithin,
} from '../../server/src/signups/signup-rules.ts';
import { StationState, type Change } from '../../server/src/store/state.ts';

// 巡逻 on 2026-03-10, 09:00–11:00 Beijing (01:00–03:00Z); grace 30 min, so it is over at 03:30Z.
const START = '2026-03-10T01:00:00.000Z';
const END = '2026-03-10T03:00:00.000Z';
const before = new Date('2026-03-09T08:00:00.000Z');

function volunteer(id: string): Volunteer {
  return { id, name: `志愿者${id}`, gender: 'unspecified', skills: [], teamIds: [], joinedOn: '2026-01-01', status: 'active', cardNo: id, cardSerial: 1, createdAt: '', updatedAt: '' };
}

function station(activity: Partial<Activity> = {}, settings: Settings = defaultSettings): StationState {
  const state = new StationState();
  state.apply({ c: 'config', v: { id: 'settings', settings } });
  for (const id of ['v1', 'v2', 'v3', 'v4']) state.apply({ c: 'volunteers', v: volunteer(id) });
  state.apply({ c: 'activities', v: { id: 'a1', title: '巡逻', teamIds: [], startsAt: START, endsAt: END, status: 'planned', createdAt: '', capacity: 2, ...activity } });
  return state;
}

const apply = (state: StationState, changes: Change[]) => changes.forEach((c) => state.apply(c));
const signUp = (state: StationState, volunteerId: string, now = before) => {
  const decision = decideSignUp(state, { activityId: 'a1', volunteerId, by: 'staff:admin' }, now);
  apply(state, decision.changes);
  return decision.signup;
};
const statuses = (state: StationState) => signupsOf(state, 'a1').map((s) => `${s.volunteerId}:${s.status}`);

describe('sign-up and the waiting list', () => {
  it('confirms up to the capacity, then waitlists in order of arrival', () => {
    const state = station();
    expect(['v1', 'v2', 'v3', 'v4'].map((v) => signUp(state, v).status)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
    expect(signupsOf(state, 'a1').map((s) => s.number)).toEqual([1, 2, 3, 4]);
  });

  it('confirms everyone when the activity has no capacity', () => {
    const state = station({ capacity: undefined });
    expect(['v1', 'v2', 'v3'].map((v) => signUp(state, v).status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
  });

  it('signing up twice changes nothing and keeps the first status', () => {
    const state = station();
    signUp(state, 'v1');
    const again = decideSignUp(state, { activityId: 'a1', volunteerId: 'v1', by: 'staff:admin' }, before);
    expect(again).toMatchObject({ created: false, changes: [], signup: { status: 'confirmed', number: 1 } });
  });

  it('a cancelled place goes to the first on the waiting list, not the last', () => {
    const state = station();
    for (const v of ['v1', 'v2', 'v3', 'v4']) signUp(state, v);
    const { promoted, changes } = decideCancel(state, { activityId: 'a1', volunteerId: 'v1', by: 'staff:admin' }, before);
    expect(promoted.map((s) => s.volunteerId)).toEqual(['v3']);
    apply(state, changes);
    expect(statuses(state)).toEqual(['v1:cancelled', 'v2:confirmed', 'v3:confirmed', 'v4:waitlisted']);
  });

  it('cancelling a waiting sign-up promotes nobody', () => {
    const state = station();
    for (const v of ['v1', 'v2', 'v3', 'v4']) signUp(state, v);
    expect(decideCancel(state, { activityId: 'a1', volunteerId: 'v3', by: 'staff:admin' }, before).promoted).toEqual([]);
  });

  it('a volunteer who cancelled and signs up again joins the back of the queue', () => {
    const state = station();
    for (const v of ['v1', 'v2', 'v3']) signUp(state, v);
    apply(state, decideCancel(state, { activityId: 'a1', volunteerId: 'v1', by: 'staff:admin' }, before).changes);
    const again = signUp(state, 'v1');
    expect(again).toMatchObject({ status: 'waitlisted', number: 4 });
  });

  it('no promotion once the activity has ended', () => {
    const state = station();
    for (const v of ['v1', 'v2', 'v3']) signUp(state, v);
    const after = new Date('2026-03-10T03:00:00.000Z');
    expect(decideCancel(state, { activityId: 'a1', volunteerId: 'v1', by: 'staff:admin' }, after).promoted).toEqual([]);
  });

  it('cancelling what was never signed up is NOT_FOUND', () => {
    expect(() => decideCancel(station(), { activityId: 'a1', volunteerId: 'v1', by: 'x' }, before)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('a raised capacity promotes the waiting list in order', () => {
    const state = station();
    for (const v of ['v1', 'v2', 'v3', 'v4']) signUp(state, v);
    state.apply({ c: 'activities', v: { ...state.get('activities', 'a1')!, capacity: 3 } });
    expect(decidePromotions(state, state.get('activities', 'a1')!, before).map((s) => s.volunteerId)).toEqual(['v3']);
  });

  it('promotionsFor fills exactly the free places', () => {
    const s = (volunteerId: string, number: number, status: Signup['status']) => ({ id: volunteerId, activityId: 'a', volunteerId, number, status, signedUpAt: '', by: '' });
    const list = [s('d', 4, 'waitlisted'), s('a', 1, 'confirmed'), s('c', 3, 'waitlisted'), s('b', 2, 'cancelled')];
    expect(promotionsFor(list, 2).map((x) => x.id)).toEqual(['c']);
    expect(promotionsFor(list, 1)).toEqual([]);
    expect(promotionsFor(list, undefined).map((x) => x.id)).toEqual(['c', 'd']);
  });
});

describe('the sign-up deadline', () => {
  it('accepts until the deadline and refuses at it', () => {
    const deadline = '2026-03-09T10:00:00.000Z';
    const state = station({ signupDeadline: deadline });
    expect(signUp(state, 'v1', new Date('2026-03-09T09:59:59.999Z')).status).toBe('confirmed');
    expect(() => signUp(state, 'v2', new Date(deadline))).toThrow(expect.objectContaining({ code: 'SIGNUP_DEADLINE_PASSED' }));
  });

  it('without a deadline, sign-ups close when the activity starts', () => {
    const state = station();
    expect(() => signUp(state, 'v1', new Date(START))).toThrow(expect.objectContaining({ code: 'SIGNUP_DEADLINE_PASSED' }));
  });

  it('a cancelled or closed activity takes no sign-ups', () => {
    expect(() => signUp(station({ status: 'cancelled' }), 'v1')).toThrow(expect.objectContaining({ code: 'SIGNUP_CLOSED' }));
    expect(() => signUp(station({ status: 'closed' }), 'v1')).toThrow(expect.objectContaining({ code: 'SIGNUP_CLOSED' }));
  });
});

describe('no-shows', () => {
  const checkIn = (state: StationState, volunteerId: string, extra: Partial<Attendance> = {}) =>
    state.apply({ c: 'attendance', v: { id: `att-${volunteerId}`, volunteerId, activityId: 'a1', checkInAt: '2026-03-10T01:05:00.000Z', source: 'scan', createdAt: '', ...extra } });

  it('is decided at the end plus grace, not before', () => {
    const state = station();
    const signup = signUp(state, 'v1');
    expect(isNoShow(state, signup, new Date('2026-03-10T03:29:59.999Z'))).toBe(false);
    expect(isNoShow(state, signup, new Date('2026-03-10T03:30:00.000Z'))).toBe(true);
  });

  it('a volunteer whose open sign-in was auto-closed at the end is not a no-show', () => {
    const state = station();
    const signup = signUp(state, 'v1');
    signUp(state, 'v2');
    checkIn(state, 'v1');
    const now = new Date('2026-03-10T03:30:00.000Z');
    apply(state, decideAutoClose(state, now).changes);
    expect(state.get('attendance', 'att-v1')).toMatchObject({ autoClosed: true });
    expect(isNoShow(state, signup, now)).toBe(false);
    expect(noShowsOf(state, 'v2', now).map((n) => n.activityId)).toEqual(['a1']);
  });

  it('a removed attendance does not count as coming; waitlisted and cancelled sign-ups are never no-shows', () => {
    const state = station();
    signUp(state, 'v1');
    signUp(state, 'v2');
    signUp(state, 'v3');
    checkIn(state, 'v1', { removed: { at: '', by: '', reason: 'wrong person' } });
    const now = new Date('2026-03-11T00:00:00.000Z');
    expect(noShowsOf(state, 'v1', now)).toHaveLength(1);
    expect(noShowsOf(state, 'v3', now)).toHaveLength(0);
  });

  it('a cancelled activity has no no-shows', () => {
    const state = station();
    signUp(state, 'v1');
    state.apply({ c: 'activities', v: { ...state.get('activities', 'a1')!, status: 'cancelled' } });
    expect(noShowsOf(state, 'v1', new Date('2026-03-11T00:00:00.000Z'))).toEqual([]);
  });

  it('pauses sign-ups after N unexcused no-shows in the window; an excuse lifts it', () => {
    const settings = { ...defaultSettings, signups: { pauseAfterNoShows: 1, noShowWindowDays: 365 } };
    const state = station({}, settings);
    signUp(state, 'v1');
    state.apply({ c: 'activities', v: { id: 'a2', title: '清扫', teamIds: [], startsAt: '2026-04-01T01:00:00.000Z', endsAt: '2026-04-01T03:00:00.000Z', status: 'planned', createdAt: '' } });
    const now = new Date('2026-03-20T00:00:00.000Z');
    expect(unexcusedNoShowsWithin(state, 'v1', now, 365)).toBe(1);
    expect(() => decideSignUp(state, { activityId: 'a2', volunteerId: 'v1', by: 'x' }, now)).toThrow(expect.objectContaining({ code: 'SIGNUPS_PAUSED' }));
    state.apply({ c: 'signups', v: decideExcuse(state, { activityId: 'a1', volunteerId: 'v1', by: 'staff:admin', reason: '生病' }, now) });
    expect(decideSignUp(state, { activityId: 'a2', volunteerId: 'v1', by: 'x' }, now).signup.status).toBe('confirmed');
    // A year later the old no-show no longer counts.
    expect(unexcusedNoShowsWithin(state, 'v1', new Date('2027-03-11T00:00:00.000Z'), 365)).toBe(0);
  });
});
