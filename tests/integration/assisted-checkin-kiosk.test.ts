import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../server/src/clock.ts';
import { adminClient, ADMIN_PASSWORD, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

interface Ack {
  ok: boolean;
  error?: { code: string; details?: Record<string, unknown> };
  items?: { id: string; name: string; onSite: unknown }[];
  action?: string;
}

/**
 * Staff-assisted check-in from a check-in kiosk's staff panel (issue 12): the `/kiosk` events
 * are refused unless this very socket opened the staff panel with a staff PIN or password, and
 * the panel locks after `assisted:end` and after five idle minutes, whatever the tablet shows.
 */
describe('assisted check-in on /kiosk', () => {
  let station: TestStation;
  let api: ApiClient;
  let kiosk: Socket;
  let nowMs = Date.now();
  const clock: Clock = { now: () => new Date(nowMs) };
  let person: { id: string; cardNo: string };

  beforeAll(async () => {
    station = await startStation({ clock });
    api = await adminClient(station);
    await openActivityNow(api, '敬老院探访', new Date(nowMs));
    person = await registerVolunteer(api, '张三明', '13800138001');
    kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin', '大厅签到机')).token });
  });

  afterAll(async () => {
    kiosk?.disconnect();
    await station?.destroy();
  });

  const attendanceOf = async () => (await api.get(`/api/volunteers/${person.id}/attendance`)).body.items as { checkOutAt?: string; source?: string; assistedBy?: string }[];

  it('refuses to search or sign anyone in before the staff panel is opened', async () => {
    for (const [event, payload] of [['assisted:search', { q: '张三' }], ['assisted:checkin', { volunteerId: person.id, action: 'check-in' }]] as const) {
      const ack = await emitWithAck<Ack>(kiosk, event, payload);
      expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { reason: 'staff-panel-locked' } } });
    }
    expect(await attendanceOf()).toEqual([]);
  });

  it('a wrong secret opens nothing', async () => {
    expect(await emitWithAck<Ack>(kiosk, 'settings:unlock', { username: 'admin', secret: 'wrong-secret' })).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(await emitWithAck<Ack>(kiosk, 'assisted:search', { q: '张三' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('after the staff password, finds by pinyin and phone, signs in and out, and audits with the staff member', async () => {
    expect(await emitWithAck<Ack>(kiosk, 'settings:unlock', { username: 'admin', secret: ADMIN_PASSWORD }, 15_000)).toMatchObject({ ok: true });
    const byInitials = await emitWithAck<Ack>(kiosk, 'assisted:search', { q: 'zsm' });
    expect(byInitials.items).toEqual([expect.objectContaining({ id: person.id, name: '张三明', onSite: null })]);
    const byPhone = await emitWithAck<Ack>(kiosk, 'assisted:search', { q: '13800138001' });
    expect(byPhone.items?.map((p) => p.id)).toEqual([person.id]);
    // No phone number in what the tablet gets.
    expect(JSON.stringify(byPhone)).not.toContain('13800138001');

    expect(await emitWithAck<Ack>(kiosk, 'assisted:checkin', { volunteerId: person.id, action: 'check-in' })).toMatchObject({ ok: true, action: 'check-in' });
    // The staff member's intent: "sign in" again is refused, not turned into a sign-out.
    expect(await emitWithAck<Ack>(kiosk, 'assisted:checkin', { volunteerId: person.id, action: 'check-in' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await attendanceOf()).toEqual([expect.objectContaining({ source: 'assisted', assistedBy: 'staff:admin' })]);
    nowMs += 4 * 60_000;
    expect(await emitWithAck<Ack>(kiosk, 'assisted:checkin', { volunteerId: person.id, action: 'check-out' })).toMatchObject({ ok: true, action: 'check-out' });
    expect((await attendanceOf())[0]?.checkOutAt).toBeTruthy();

    const audit = (await api.get('/api/audit?q=attendance.assisted')).body.items as { action: string; actor: string }[];
    expect(audit.map((e) => [e.action, e.actor]).sort()).toEqual([['attendance.assisted-check-in', 'staff:admin'], ['attendance.assisted-check-out', 'staff:admin']]);
    const phoneSearches = (await api.get('/api/audit?q=volunteers.searched-by-phone')).body.items as { actor: string }[];
    expect(phoneSearches).toEqual([expect.objectContaining({ actor: 'staff:admin' })]);
  });

  it('locks after five idle minutes, and at once after assisted:end', async () => {
    nowMs += 5 * 60_000 + 1000;
    expect(await emitWithAck<Ack>(kiosk, 'assisted:search', { q: 'zsm' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await emitWithAck<Ack>(kiosk, 'settings:unlock', { username: 'admin', secret: ADMIN_PASSWORD }, 15_000)).toMatchObject({ ok: true });
    expect(await emitWithAck<Ack>(kiosk, 'assisted:search', { q: 'zsm' })).toMatchObject({ ok: true });
    expect(await emitWithAck<Ack>(kiosk, 'assisted:end')).toEqual({ ok: true });
    expect(await emitWithAck<Ack>(kiosk, 'assisted:search', { q: 'zsm' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('another tablet, and a counter, get nothing from this panel being open', async () => {
    expect(await emitWithAck<Ack>(kiosk, 'settings:unlock', { username: 'admin', secret: ADMIN_PASSWORD }, 15_000)).toMatchObject({ ok: true });
    const other = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin', '二号签到机')).token });
    const counter = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'counter', '柜台')).token });
    try {
      expect(await emitWithAck<Ack>(other, 'assisted:search', { q: 'zsm' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await emitWithAck<Ack>(counter, 'assisted:search', { q: 'zsm' })).toMatchObject({ ok: false, error: { code: 'DEVICE_MODE_FORBIDDEN' } });
    } finally {
      other.disconnect();
      counter.disconnect();
    }
  });
});
