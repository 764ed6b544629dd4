import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkPhone, sendSnap, testImage } from '../support/phone.ts';
import { adminClient, connectSocket, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

// 01:30 on 1 December in Beijing (the center's zone by default) is still 30 November in UTC.
const NOW = '2026-11-30T17:30:00.000Z';

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
let snapId = '';

beforeAll(async () => {
  t = await startStation({ clock: { now: () => new Date(NOW) } });
  api = await adminClient(t);
  kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
  const phone = await linkPhone(kiosk, t.url, (await registerVolunteer(api, '吴骑手', '13700007777')).cardCode);
  const sent = await sendSnap(phone, { photo: await testImage('jpeg'), category: 'rubbish', place: '南门' });
  expect(sent.status).toBe(201);
  snapId = sent.body.id;
});
afterAll(async () => {
  kiosk?.close();
  await t?.destroy();
});

describe('随手拍 months are the center’s months', () => {
  it('a snap sent at 01:30 on the 1st in Beijing is in that month, not in UTC’s previous one', async () => {
    const ids = async (month: string) => ((await api.get(`/api/snaps?month=${month}`)).body.items as { id: string }[]).map((s) => s.id);
    expect(await ids('2026-12')).toEqual([snapId]);
    expect(await ids('2026-11')).toEqual([]);
  });

  it('the report and the board count it in the center’s current month', async () => {
    const report = (await api.get('/api/snaps/report')).body as { month: string; count: number };
    expect(report).toMatchObject({ month: '2026-12', count: 1 });
    expect((await api.get('/api/board')).body.snaps.monthCount).toBe(1);
  });
});
