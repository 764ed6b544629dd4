import { describe, expect, it } from 'vitest';
import { homeView } from '../../server/src/home/home-view.ts';
import type { Activity, Volunteer } from '../../server/src/protocol/model.ts';
import { defaultSettings } from '../../server/src/protocol/settings.ts';
import { StationState } from '../../server/src/store/state.ts';

// 2026-03-10 00:30 in Beijing, 16:30 UTC the day before: "today" must be Beijing's 10 March.
const now = new Date('2026-03-09T16:30:00.000Z');
const volunteer = (id: string, name: string, extra: Partial<Volunteer> = {}): Volunteer => ({
  id, name, gender: 'unspecified', skills: [], teamIds: [], joinedOn: '2026-01-01', status: 'active', cardNo: id, cardSerial: 1, createdAt: '', updatedAt: '', ...extra,
});
const activity = (id: string, title: string, startsAt: string, endsAt: string, extra: Partial<Activity> = {}): Activity => ({ id, title, teamIds: [], startsAt, endsAt, status: 'planned', createdAt: '', ...extra });

function freshState(): StationState {
  const state = new StationState();
  state.apply({ c: 'config', v: { id: 'settings', settings: defaultSettings } });
  return state;
}

describe('the home page', () => {
  it('a fresh station shows every first-run step undone, and nothing else', () => {
    const view = homeView(freshState(), now);
    expect(view.today).toBe('2026-03-10');
    expect(view.checklist).toEqual([
      { step: 'center', done: false },
      { step: 'volunteers', done: false },
      { step: 'cards', done: false },
      { step: 'kiosk', done: false },
      { step: 'activity', done: false },
    ]);
    expect(view.activities).toEqual([]);
    expect(view.queues).toEqual({ attendanceReview: 0, snapsPending: 0, requestsOpen: 0 });
  });

  it('ticks each step from the real state: a name, a volunteer, a printed card, a paired tablet (not a TV, not revoked), an activity', () => {
    const state = freshState();
    state.apply({ c: 'config', v: { id: 'settings', settings: { ...defaultSettings, centerName: '幸福里社区志愿驿站' } } });
    state.apply({ c: 'volunteers', v: volunteer('v1', '王秀英') });
    state.apply({ c: 'devices', v: { id: 'd1', name: '大厅电视', mode: 'board', createdAt: '', createdBy: '', pairedAt: '2026-03-01T00:00:00Z' } });
    state.apply({ c: 'devices', v: { id: 'd2', name: '旧平板', mode: 'checkin', createdAt: '', createdBy: '', pairedAt: '2026-03-01T00:00:00Z', revokedAt: '2026-03-02T00:00:00Z' } });
    const done = () => Object.fromEntries(homeView(state, now).checklist.map((s) => [s.step, s.done]));
    expect(done()).toEqual({ center: true, volunteers: true, cards: false, kiosk: false, activity: false });
    state.apply({ c: 'volunteers', v: volunteer('v1', '王秀英', { cardPrintedSerial: 1 }) });
    state.apply({ c: 'devices', v: { id: 'd3', name: '签到平板', mode: 'checkin', createdAt: '', createdBy: '', pairedAt: '2026-03-03T00:00:00Z' } });
    state.apply({ c: 'activities', v: activity('a0', '下月活动', '2026-04-01T01:00:00Z', '2026-04-01T03:00:00Z') });
    expect(done()).toEqual({ center: true, volunteers: true, cards: true, kiosk: true, activity: true });
  });

  it('lists the center’s day’s activities with who is on site, the queues, low stock and what expires within 30 days', () => {
    const state = freshState();
    state.apply({ c: 'volunteers', v: volunteer('v1', '王秀英') });
    state.apply({ c: 'volunteers', v: volunteer('v2', '李建国') });
    // Beijing 10 March 09:00–11:00, and one on Beijing's 9 March (UTC's 9 March as well): only the first is today.
    state.apply({ c: 'activities', v: activity('a1', '敬老院探访', '2026-03-10T01:00:00Z', '2026-03-10T03:00:00Z') });
    state.apply({ c: 'activities', v: activity('a2', '昨天的活动', '2026-03-09T01:00:00Z', '2026-03-09T03:00:00Z') });
    state.apply({ c: 'activities', v: activity('a3', '取消的活动', '2026-03-10T05:00:00Z', '2026-03-10T06:00:00Z', { status: 'cancelled' }) });
    state.apply({ c: 'attendance', v: { id: 'r1', volunteerId: 'v1', activityId: 'a1', checkInAt: '2026-03-10T01:05:00Z', source: 'scan', createdAt: '' } });
    state.apply({ c: 'attendance', v: { id: 'r2', volunteerId: 'v2', activityId: 'a1', checkInAt: '2026-03-10T01:00:00Z', checkOutAt: '2026-03-10T02:00:00Z', source: 'scan', createdAt: '' } });
    state.apply({ c: 'attendance', v: { id: 'r3', volunteerId: 'v2', activityId: 'a2', checkInAt: '2026-03-09T01:00:00Z', checkOutAt: '2026-03-09T03:00:00Z', autoClosed: true, needsReview: true, source: 'scan', createdAt: '' } });
    state.apply({ c: 'goods', v: { id: 'g1', name: '大米', points: 20, active: true, lowStockThreshold: 5, createdAt: '' } });
    state.apply({ c: 'goods', v: { id: 'g2', name: '毛巾', points: 3, active: true, lowStockThreshold: 5, createdAt: '' } });
    state.apply({ c: 'stockMovements', v: { id: 'm1', goodsId: 'g1', delta: 3, kind: 'initial', at: '', by: '' } });
    state.apply({ c: 'stockMovements', v: { id: 'm2', goodsId: 'g2', delta: 30, kind: 'initial', at: '', by: '' } });
    state.apply({ c: 'insurance', v: { id: 'p1', insurer: '人保', policyNo: 'A-1', from: '2025-04-01', to: '2026-03-31', volunteerIds: ['v1', 'v2'], teamIds: [], createdAt: '', createdBy: '' } });
    state.apply({ c: 'insurance', v: { id: 'p2', insurer: '平安', policyNo: 'B-2', from: '2025-06-01', to: '2026-05-31', volunteerIds: ['v1'], teamIds: [], createdAt: '', createdBy: '' } });

    const view = homeView(state, now);
    expect(view.activities.map((a) => a.title)).toEqual(['敬老院探访']);
    expect(view.activities[0]).toMatchObject({ attendanceCount: 2, onSite: [{ volunteerId: 'v1', name: '王秀英' }] });
    expect(view.queues.attendanceReview).toBe(1);
    expect(view.lowStock).toEqual([{ id: 'g1', name: '大米', stock: 3, lowStockThreshold: 5 }]);
    expect(view.expiring.insurance.map((p) => p.policyNo)).toEqual(['A-1']);
  });

  it('lists a volunteer’s training as expiring only when their latest one of the category runs out within 30 days', () => {
    const state = freshState();
    state.apply({ c: 'config', v: { id: 'settings', settings: { ...defaultSettings, trainings: { ...defaultSettings.trainings, validityMonths: { 急救: 24 } } } } });
    state.apply({ c: 'volunteers', v: volunteer('v1', '王秀英') });
    state.apply({ c: 'volunteers', v: volunteer('v2', '李建国') });
    // First aid on 2024-03-20 is valid up to 2026-03-19: within 30 days of 10 March 2026. Li renewed in 2025.
    const training = (id: string, date: string, attendeeIds: string[]) => state.apply({ c: 'trainings', v: { id, title: '急救培训', category: '急救', date, hours: 2, attendeeIds, createdAt: '', createdBy: '' } });
    training('t1', '2024-03-20', ['v1', 'v2']);
    training('t2', '2025-03-01', ['v2']);
    expect(homeView(state, now).expiring.trainings).toEqual([{ volunteerId: 'v1', name: '王秀英', category: '急救', validUntil: '2026-03-19' }]);
  });
});
