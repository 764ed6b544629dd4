import { promises as fs } from 'node:fs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../scripts/demo-data.ts';
import { signCard } from '../../server/src/domain/card-code.ts';
import type { LookupAck, MeLinkAck } from '../../server/src/protocol/events.ts';
import type { MeView } from '../../server/src/protocol/me.ts';
import type { Redemption, Volunteer } from '../../server/src/protocol/model.ts';
import { ApiClient, ADMIN_PASSWORD, connectSocket, emitWithAck, makeDataDir, pairDevice, startStation, type TestStation } from '../support/station.ts';

// Three years of history to a fixed day early in 2025: 2022–2024 are closed (1 February 2025 has
// passed) and 2025 has only six weeks of records, so every volunteer's latest records reach into 2024.
const NOW = new Date('2025-02-10T10:30:00+08:00');
const clock = { now: () => NOW };
const dirs: string[] = [];
let dir: string;
let volunteers: Volunteer[];
let oldRedemption: Redemption;
let activityOf2025: string;
/** An activity of 2024 that volunteers[0] signed up for and attended, and one they signed up for and missed. */
let attendedOf2024: string;
let missedOf2024: string;
/** Late on New Year's Eve of a closed year, into 1 January. */
const NYE = { checkInAt: '2024-12-31T22:00:00+08:00', checkOutAt: '2025-01-01T01:30:00+08:00' };

beforeAll(async () => {
  dir = await makeDataDir();
  dirs.push(dir);
  const demo = await generateDemoData({ dataDir: dir, size: 'small-3y', seed: 7, until: NOW, adminPassword: ADMIN_PASSWORD });
  const state = demo.state;
  // Active volunteers with attendance in 2024, one of them with a redemption of 2024.
  const active = (id: string) => state.get('volunteers', id)?.status === 'active';
  const attended2024 = new Set([...state.records.attendance.values()].filter((a) => a.checkInAt.startsWith('2024-') && active(a.volunteerId)).map((a) => a.volunteerId));
  const redemptions2024 = [...state.records.redemptions.values()].filter((r) => r.at.startsWith('2024-06') && !r.voided && attended2024.has(r.volunteerId));
  oldRedemption = redemptions2024[0]!;
  const ids = [oldRedemption.volunteerId, ...[...attended2024].filter((id) => id !== oldRedemption.volunteerId).slice(0, 3)];
  volunteers = ids.map((id) => state.get('volunteers', id)!);
  activityOf2025 = [...state.records.activities.values()].find((a) => a.startsAt.startsWith('2025-01'))!.id;
  const mine = new Set([...state.records.attendance.values()].filter((a) => a.volunteerId === volunteers[0]!.id).map((a) => a.activityId));
  const of2024 = [...state.records.activities.values()].filter((a) => a.startsAt.startsWith('2024-11') && a.status !== 'cancelled');
  attendedOf2024 = of2024.find((a) => mine.has(a.id))!.id;
  missedOf2024 = of2024.find((a) => !mine.has(a.id))!.id;
}, 120_000);

afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function withKiosk<T>(station: TestStation, use: (kiosk: Socket, api: ApiClient) => Promise<T>): Promise<T> {
  const api = await new ApiClient(station.url).login();
  const kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
  try {
    return await use(kiosk, api);
  } finally {
    kiosk.close();
  }
}

/** What the volunteer sees of their own record: 我的记录 on the kiosk and the phone page's API. */
async function ownViews(station: TestStation, kiosk: Socket): Promise<Record<string, unknown>> {
  const secret = station.station.ctx.cardSecret;
  const out: Record<string, unknown> = {};
  for (const volunteer of volunteers) {
    const code = signCard(secret, volunteer.cardNo, volunteer.cardSerial);
    const lookup = await emitWithAck<LookupAck>(kiosk, 'volunteer:lookup', { code }, 30_000);
    expect(lookup.ok, JSON.stringify(lookup)).toBe(true);
    out[`kiosk ${volunteer.id}`] = lookup;
    const link = await emitWithAck<MeLinkAck>(kiosk, 'me:link', { code }, 30_000);
    if (!link.ok) throw new Error(`me:link failed: ${JSON.stringify(link)}`);
    const opened = await fetch(link.url, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 10; K) Mobile Safari/537.36' } });
    const phone = new ApiClient(station.url);
    phone.cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const me = await phone.get('/api/me');
    expect(me.status).toBe(200);
    out[`me ${volunteer.id}`] = me.body;
  }
  return out;
}

describe('a volunteer’s own record reads closed years back from their archives', () => {
  let before: Record<string, unknown>;
  let archived: TestStation;

  beforeAll(async () => {
    const live = await startStation({ dataDir: dir, clock });
    try {
      const api = await new ApiClient(live.url).login();
      // An attendance late on New Year's Eve of 2024, entered while 2024 is still live.
      const nye = await api.post('/api/attendance', { volunteerId: volunteers[1]!.id, activityId: activityOf2025, ...NYE, reason: '跨年夜值守' });
      expect(nye.status, JSON.stringify(nye.body)).toBe(201);
      // Sign-ups of 2024 (kept live when 2024 is archived): one attended, one missed.
      const volunteerId = volunteers[0]!.id;
      await live.station.ctx.store.commit([attendedOf2024, missedOf2024].map((activityId, i) => ({
        c: 'signups' as const,
        v: { id: `${activityId}:${volunteerId}`, activityId, volunteerId, status: 'confirmed' as const, number: 1, signedUpAt: `2024-10-0${i + 1}T10:00:00+08:00`, by: 'staff:admin' },
      })));
      const noShows = await api.get(`/api/volunteers/${volunteerId}/no-shows`);
      expect(noShows.body.items.map((n: { activityId: string }) => n.activityId)).toEqual([missedOf2024]);
      before = await withKiosk(live, (kiosk) => ownViews(live, kiosk));
    } finally {
      await live.stop();
    }
    archived = await startStation({ dataDir: dir, clock, archiveClosedYears: true });
    expect(archived.station.ctx.store.state.archivedYears()).toEqual([2022, 2023, 2024]);
  }, 180_000);

  afterAll(async () => {
    await archived?.stop();
  });

  it('kiosk 我的记录 and /me/ list the same records and totals after archiving as before', async () => {
    // Sanity: the lists do reach into the closed year, so archiving could lose them.
    for (const volunteer of volunteers) {
      const kiosk = before[`kiosk ${volunteer.id}`] as Extract<LookupAck, { ok: true }>;
      expect(kiosk.recent).toHaveLength(10);
      expect(kiosk.recent.some((r) => r.checkInAt.startsWith('2024-'))).toBe(true);
      const me = before[`me ${volunteer.id}`] as MeView;
      expect(me.records).toHaveLength(20);
      expect(me.records.some((r) => r.at.startsWith('2024-'))).toBe(true);
    }
    const me = before[`me ${oldRedemption.volunteerId}`] as MeView;
    expect(me.redemptions.some((r) => r.receiptNo === oldRedemption.receiptNo)).toBe(true);

    const after = await withKiosk(archived, (kiosk) => ownViews(archived, kiosk));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const key of Object.keys(before)) expect(JSON.stringify(after[key]), key).toBe(JSON.stringify(before[key]));
  }, 120_000);

  it('refuses a 补录 on 1 January overlapping an attendance of New Year’s Eve of the closed year, single or on a sheet', async () => {
    const api = await new ApiClient(archived.url).login();
    const volunteerId = volunteers[1]!.id;
    const overlapping = { checkInAt: '2025-01-01T00:30:00+08:00', checkOutAt: '2025-01-01T03:00:00+08:00' };
    const single = await api.post('/api/attendance', { volunteerId, activityId: activityOf2025, ...overlapping, reason: '补录' });
    expect(single.status, JSON.stringify(single.body)).toBe(409);
    expect(single.body.error.details).toMatchObject({ problem: 'OVERLAP' });
    expect(Date.parse(single.body.error.details.checkInAt)).toBe(Date.parse(NYE.checkInAt));
    const sheet = await api.post('/api/attendance/bulk', { activityId: activityOf2025, reason: '纸质签到表', entries: [{ volunteerId, ...overlapping }] });
    expect(sheet.status, JSON.stringify(sheet.body)).toBe(409);
    expect(sheet.body.error.details.problems).toMatchObject([{ index: 0, volunteerId, problem: 'OVERLAP' }]);
    // A 补录 after it ended is fine, and one dated in the closed year is refused as before.
    const after = await api.post('/api/attendance', { volunteerId, activityId: activityOf2025, checkInAt: '2025-01-01T02:00:00+08:00', checkOutAt: '2025-01-01T03:00:00+08:00', reason: '补录' });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    const closed = await api.post('/api/attendance', { volunteerId: volunteers[2]!.id, activityId: activityOf2025, checkInAt: '2024-12-31T10:00:00+08:00', checkOutAt: '2024-12-31T11:00:00+08:00', reason: '补录' });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('YEAR_ARCHIVED');
  }, 60_000);

  it('does not count a sign-up of a closed year as a no-show when its attendance was archived', async () => {
    const api = await new ApiClient(archived.url).login();
    const volunteerId = volunteers[0]!.id;
    const noShows = await api.get(`/api/volunteers/${volunteerId}/no-shows`);
    expect(noShows.body.items.map((n: { activityId: string }) => n.activityId)).toEqual([missedOf2024]);
    const list = await api.get(`/api/activities/${attendedOf2024}/signups`);
    expect(list.body.items).toMatchObject([{ volunteerId, attended: true, noShow: false }]);
  }, 60_000);

  it('refuses to void a receipt of a closed year, saying so, and changes nothing', async () => {
    const api = await new ApiClient(archived.url).login();
    const state = archived.station.ctx.store.state;
    const balance = state.totalsOf(oldRedemption.volunteerId).pointsTenths;
    const seq = state.seq;
    const response = await api.post(`/api/redemptions/${oldRedemption.receiptNo}/void`, { reason: '退货' });
    expect(response.status, JSON.stringify(response.body)).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'YEAR_ARCHIVED', details: { year: 2024, receiptNo: oldRedemption.receiptNo } });
    expect(response.body.error.message).toContain('points adjustment');
    expect(state.seq).toBe(seq);
    expect(state.totalsOf(oldRedemption.volunteerId).pointsTenths).toBe(balance);
    expect(state.get('redemptions', oldRedemption.id)?.voided).toBeUndefined();
  }, 60_000);
});

