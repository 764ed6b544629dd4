import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminClient, ApiClient, startStation, type TestStation } from '../support/station.ts';

/** A clock the test moves by hand: 01:30 Beijing time on Monday 1 March 2027, the hour CI runs at. */
const clock = { time: new Date('2027-02-28T17:30:00.000Z'), now() { return new Date(this.time); } };
const beijing = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`).toISOString();
const beijingDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
const beijingTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16);

describe('recurring activities over HTTP (issue 12)', () => {
  let t: TestStation;
  let api: ApiClient;
  const seq = () => t.station.ctx.store.state.seq;

  beforeAll(async () => {
    t = await startStation({ clock });
    api = await adminClient(t);
  });
  afterAll(async () => t?.destroy());

  const weekly = {
    title: '周二周四巡逻',
    place: '社区东门',
    startsAt: beijing('2027-03-01', '09:00'),
    endsAt: beijing('2027-03-01', '11:00'),
    capacity: 8,
    repeat: { kind: 'weekly', weekdays: [2, 4], count: 6 },
  };

  test('preview lists the days; a series is created in one commit with one audit entry, each occurrence an ordinary activity', async () => {
    const preview = await api.post('/api/activity-series/preview', { startsAt: weekly.startsAt, endsAt: weekly.endsAt, repeat: weekly.repeat });
    expect(preview.status).toBe(200);
    expect(preview.body.occurrences.map((o: { startsAt: string }) => beijingDay(o.startsAt))).toEqual(['2027-03-02', '2027-03-04', '2027-03-09', '2027-03-11', '2027-03-16', '2027-03-18']);

    const before = seq();
    const created = await api.post('/api/activity-series', weekly);
    expect(created.status).toBe(201);
    expect(seq()).toBe(before + 1); // all six and the audit entry in one journal line
    const { series, activities } = created.body;
    expect(series).toMatchObject({ title: '周二周四巡逻', repeat: { kind: 'weekly', weekdays: [2, 4] }, end: { count: 6 } });
    expect(activities).toHaveLength(6);
    for (const a of activities) expect(a).toMatchObject({ seriesId: series.id, status: 'planned', place: '社区东门', capacity: 8 });
    expect(activities.map((a: { startsAt: string }) => beijingTime(a.startsAt))).toEqual(Array(6).fill('09:00'));

    const week = await api.get('/api/activities?from=2027-03-08&to=2027-03-14');
    expect(week.body.items.map((a: { id: string; seriesId?: string }) => a.seriesId)).toEqual([series.id, series.id]);
    const audit = await api.get('/api/audit?q=series');
    const entry = audit.body.items.find((e: { action: string }) => e.action === 'series.created');
    expect(entry).toMatchObject({ target: series.id, details: { count: 6, first: activities[0].startsAt, last: activities[5].startsAt } });
    expect(audit.body.names[series.id]).toBe('周二周四巡逻');

    const view = await api.get(`/api/activity-series/${series.id}`);
    expect(view.body.occurrences).toHaveLength(6);
  });

  test('the server refuses rules beyond the limits, a past start and a rule without days, and adds nothing', async () => {
    const before = seq();
    const count = t.station.ctx.store.state.records.activities.size;
    const cases: [unknown, string][] = [
      [{ ...weekly, repeat: { kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], until: '2028-12-31' } }, 'repeat.until'], // 670 activities
      [{ ...weekly, repeat: { kind: 'monthly', days: [8, 28], until: '2029-06-01' } }, 'repeat.until'], // beyond two years
      [{ ...weekly, repeat: { kind: 'weekly', weekdays: [], count: 3 } }, 'repeat.weekdays'],
      [{ ...weekly, repeat: { kind: 'monthly', days: [8], count: 400 } }, 'repeat.count'],
      [{ ...weekly, repeat: { kind: 'monthly', days: [8], count: 3, until: '2027-12-31' } }, 'repeat.until'],
      [{ ...weekly, startsAt: beijing('2027-02-28', '09:00'), endsAt: beijing('2027-02-28', '10:00'), repeat: { kind: 'weekly', weekdays: [7], count: 2 } }, 'startsAt'],
    ];
    for (const [body, field] of cases) {
      const refused = await api.post('/api/activity-series', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details.problems.map((p: { field: string }) => p.field)).toContain(field);
    }
    expect(seq()).toBe(before);
    expect(t.station.ctx.store.state.records.activities.size).toBe(count);
    const viewer = await api.post('/api/staff', { username: 'looker', role: 'viewer', password: 'viewer-pass-1' });
    expect(viewer.status).toBe(201);
    const asViewer = await new ApiClient(t.url).login('looker', 'viewer-pass-1');
    expect((await asViewer.post('/api/activity-series', weekly)).status).toBe(403);
  });

  test('只改这一次 changes one occurrence; 改以后所有 gives the form’s values to the later ones that may change and reports those kept for sign-ups or attendance', async () => {
    const { series, activities } = (await api.post('/api/activity-series', { ...weekly, title: '读报', repeat: { kind: 'monthly', days: [8, 28], count: 6 } })).body;
    const [first, second, third, fourth, fifth, sixth] = activities as { id: string; startsAt: string; endsAt: string }[];
    expect(activities.map((a: { startsAt: string }) => beijingDay(a.startsAt))).toEqual(['2027-03-08', '2027-03-28', '2027-04-08', '2027-04-28', '2027-05-08', '2027-05-28']);

    // One occurrence alone: the ordinary activity edit.
    expect((await api.patch(`/api/activities/${second!.id}`, { place: '二楼活动室' })).status).toBe(200);
    expect((await api.get(`/api/activities/${third!.id}`)).body.place).toBe('社区东门');

    // The fourth has a sign-up, the fifth an early sign-in (sign-ins open before the start): both must stay as they are.
    const volunteer = (await api.post('/api/volunteers', { name: '王秀英', phone: '13800000031' })).body;
    expect((await api.post(`/api/activities/${fourth!.id}/signups`, { volunteerId: volunteer.id })).status).toBe(201);
    const other = (await api.post('/api/volunteers', { name: '李建国', phone: '13800000032' })).body;
    const early = await api.post('/api/attendance', { volunteerId: other.id, activityId: fifth!.id, checkInAt: beijing('2027-05-08', '08:40'), checkOutAt: beijing('2027-05-08', '11:00'), reason: '纸质签到表' });
    expect(early.status).toBe(201);

    // From the second on: a new title and 14:00–16:30 instead of 09:00–11:00.
    const before = seq();
    const edited = await api.post(`/api/activity-series/${series.id}/edit`, {
      fromActivityId: second!.id,
      changes: { title: '读报（下午）', place: '二楼活动室', startsAt: beijing('2027-03-28', '14:00'), endsAt: beijing('2027-03-28', '16:30'), capacity: 8 },
    });
    expect(edited.status).toBe(200);
    expect(seq()).toBe(before + 1);
    expect(edited.body.changed).toEqual([second!.id, third!.id, sixth!.id]);
    expect(edited.body.kept.map((k: { id: string; reason: string }) => [k.id, k.reason])).toEqual([[fourth!.id, 'signups'], [fifth!.id, 'attendance']]);
    expect(edited.body.kept[0]).toMatchObject({ signups: 1, attendance: 0 });

    const now = await Promise.all(activities.map(async (a: { id: string }) => (await api.get(`/api/activities/${a.id}`)).body));
    expect(now.map((a) => `${beijingDay(a.startsAt)} ${beijingTime(a.startsAt)}–${beijingTime(a.endsAt)} ${a.title} ${a.place}`)).toEqual([
      '2027-03-08 09:00–11:00 读报 社区东门',
      '2027-03-28 14:00–16:30 读报（下午） 二楼活动室',
      '2027-04-08 14:00–16:30 读报（下午） 二楼活动室',
      '2027-04-28 09:00–11:00 读报 社区东门',
      '2027-05-08 09:00–11:00 读报 社区东门',
      '2027-05-28 14:00–16:30 读报（下午） 二楼活动室',
    ]);
    // The sign-up and the attendance are where they were.
    expect((await api.get(`/api/activities/${fourth!.id}/signups`)).body.confirmed).toBe(1);
    expect((await api.get(`/api/activities/${fifth!.id}`)).body.attendanceCount).toBe(1);
    const audit = (await api.get('/api/audit?q=series')).body.items.find((e: { action: string }) => e.action === 'series.updated');
    expect(audit).toMatchObject({ target: series.id, summary: '读报（下午）', details: { count: 3, kept: 2, fields: expect.arrayContaining(['title', 'startsAt', 'endsAt']) } });
    // The second already had 二楼活动室 (edited alone); the others took it from the form.
    expect(audit.details.fields).toContain('place');
    expect(audit.details.fields).not.toContain('capacity'); // 8 everywhere already

    // Once the third has started it is history: an edit from it leaves it alone.
    clock.time = new Date(Date.parse(now[2].startsAt) + 60_000); // 14:01 on 8 April, its new time
    await api.login(); // sessions last 7 days by the same clock
    const later = await api.post(`/api/activity-series/${series.id}/edit`, { fromActivityId: third!.id, changes: { organizer: '街道团工委' } });
    expect(later.body.changed).toEqual([sixth!.id]);
    expect(later.body.kept.map((k: { id: string; reason: string }) => [k.id, k.reason])).toEqual([[third!.id, 'started'], [fourth!.id, 'signups'], [fifth!.id, 'attendance']]);
    expect((await api.get(`/api/activities/${first!.id}`)).body.organizer).toBeUndefined();

    // An activity of another series, or none, is not "from" this one.
    const stranger = (await api.post('/api/activities', { title: '单次', startsAt: beijing('2027-06-01', '09:00'), endsAt: beijing('2027-06-01', '10:00') })).body;
    expect((await api.post(`/api/activity-series/${series.id}/edit`, { fromActivityId: stranger.id, changes: { title: 'x' } })).status).toBe(404);
    expect((await api.post(`/api/activity-series/nope/cancel`, { fromActivityId: stranger.id })).status).toBe(404);
    // A copy of an occurrence is an activity of its own.
    const copy = await api.post(`/api/activities/${sixth!.id}/duplicate`, { startsAt: beijing('2027-06-28', '14:00') });
    expect(copy.body.seriesId).toBeUndefined();
  });

  test('取消以后所有 cancels in one commit, keeps occurrences with sign-ups, and never touches earlier ones', async () => {
    clock.time = new Date('2027-02-28T17:30:00.000Z');
    await api.login();
    const { series, activities } = (await api.post('/api/activity-series', { ...weekly, title: '月末清洁', repeat: { kind: 'lastWorkingDay', until: '2027-08-31' } })).body;
    expect(activities.map((a: { startsAt: string }) => beijingDay(a.startsAt))).toEqual(['2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30', '2027-07-30', '2027-08-31']);
    const volunteer = (await api.post('/api/volunteers', { name: '赵敏', phone: '13800000033' })).body;
    expect((await api.post(`/api/activities/${activities[4].id}/signups`, { volunteerId: volunteer.id })).status).toBe(201);
    const before = seq();
    const cancelled = await api.post(`/api/activity-series/${series.id}/cancel`, { fromActivityId: activities[2].id });
    expect(cancelled.status).toBe(200);
    expect(seq()).toBe(before + 1);
    expect(cancelled.body.changed).toEqual([activities[2].id, activities[3].id, activities[5].id]);
    expect(cancelled.body.kept).toMatchObject([{ id: activities[4].id, reason: 'signups', signups: 1 }]);
    const statuses = await Promise.all(activities.map(async (a: { id: string }) => (await api.get(`/api/activities/${a.id}`)).body.status));
    expect(statuses).toEqual(['planned', 'planned', 'cancelled', 'cancelled', 'planned', 'cancelled']);
    const audit = (await api.get('/api/audit?q=series')).body.items.find((e: { action: string }) => e.action === 'series.cancelled');
    expect(audit).toMatchObject({ target: series.id, details: { count: 3, kept: 1, from: activities[2].startsAt } });
  });
});
